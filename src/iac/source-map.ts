import type { SourceLocation } from '../types/diagnostics.js';

/**
 * Where the objects of parsed IaC documents came from. Keyed by object identity, so a value keeps its location
 * however it is reached (`${self:...}`, aliases, `${file(...)}` includes); copies made while resolving variables
 * take over the locations of their originals with `copyLocations`.
 */
export class SourceMap {
  private readonly nodes = new WeakMap<object, SourceLocation>();
  private readonly keys = new WeakMap<object, Map<string, SourceLocation>>();

  /** Records where an object or array starts. */
  setNode(node: object, location: SourceLocation): void {
    this.nodes.set(node, location);
  }

  /** Records where the key `key` of an object (or item `key` of an array) is written. */
  setKey(parent: object, key: string, location: SourceLocation): void {
    let map = this.keys.get(parent);
    if (!map) {
      map = new Map();
      this.keys.set(parent, map);
    }
    map.set(key, location);
  }

  getNode(node: unknown): SourceLocation | undefined {
    return isObjectLike(node) ? this.nodes.get(node) : undefined;
  }

  getKey(parent: unknown, key: string | number): SourceLocation | undefined {
    return isObjectLike(parent) ? this.keys.get(parent)?.get(String(key)) : undefined;
  }

  /**
   * Where `parent[key]` is written (the key itself, else the value, else the parent), as file and line: entity
   * locations carry no column, which would only make expectations brittle.
   */
  locate(parent: unknown, key: string | number | undefined, fallback: SourceLocation): SourceLocation {
    let found: SourceLocation | undefined;
    if (key !== undefined) {
      found = this.getKey(parent, key) ?? this.getNode((parent as Record<string, unknown> | undefined)?.[key]);
    }
    found ??= this.getNode(parent) ?? fallback;
    return { file: found.file, line: found.line };
  }

  /** Gives `copy` (and each of its keys) the locations recorded for `original`. */
  copyLocations(original: object, copy: object): void {
    const node = this.nodes.get(original);
    if (node && !this.nodes.has(copy)) this.nodes.set(copy, node);
    const keys = this.keys.get(original);
    if (keys && !this.keys.has(copy)) this.keys.set(copy, new Map(keys));
  }
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
