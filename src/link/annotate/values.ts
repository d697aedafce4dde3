import type { Sym } from '../../types/summary.js';
import type { Env, Evaluator, Val } from '../evaluate.js';

/** A literal a condition or payload can state: what a Choice state can compare with. */
export type Literal = string | number | boolean | null;

/**
 * Reads evaluated values as numbers and literals. `a ?? b` (and other alternatives) gives its first alternative
 * that is set: `opts.attempts ?? 3` is 3 when the caller passes no `attempts`.
 */
export class ValueReader {
  constructor(readonly evaluator: Evaluator) {}

  number(sym: Sym, env: Env): number {
    return this.toNumber(this.evaluator.evaluate(sym, env), 0);
  }

  /** A literal value, `undefined` when it is not statically known. */
  literal(sym: Sym, env: Env): Literal | undefined {
    return this.toLiteral(this.evaluator.evaluate(sym, env), 0);
  }

  toNumber(val: Val, depth: number): number {
    if (depth > 8) return NaN;
    const s = val.s;
    switch (s.k) {
      case 'num':
        return s.v;
      case 'str':
        return /^\s*-?\d+(\.\d+)?\s*$/.test(s.v) ? Number(s.v) : NaN;
      case 'or':
      case 'alts':
        return this.first(val, depth, (alt) => this.toNumber(alt, depth + 1), NaN);
      case 'call': {
        // `Number(x)`, `parseInt(x, 10)`: the number x holds.
        const callee = this.evaluator.evaluate(s.callee, val.env);
        const name = callee.s.k === 'global' ? callee.s.name : undefined;
        if ((name === 'Number' || name === 'parseInt' || name === 'parseFloat') && s.args[0]) {
          return this.toNumber(this.evaluator.evaluate(s.args[0], val.env), depth + 1);
        }
        return NaN;
      }
      case 'global':
        return s.name === 'Infinity' ? Infinity : NaN;
      default:
        return NaN;
    }
  }

  toLiteral(val: Val, depth: number): Literal | undefined {
    if (depth > 8) return undefined;
    const s = val.s;
    switch (s.k) {
      case 'str':
      case 'num':
      case 'bool':
        return s.v;
      case 'nil':
        return null;
      case 'or':
      case 'alts':
        return this.first(val, depth, (alt) => this.toLiteral(alt, depth + 1), undefined);
      case 'get':
        // An SDK or TypeScript enum member read from a package: `Status.Failed` is not known; leave it out.
        return undefined;
      default:
        return undefined;
    }
  }

  /** What the first alternative that is set (not `undefined`/`null`) reads as. */
  private first<T>(val: Val, depth: number, read: (alt: Val) => T, unknown: T): T {
    for (const alt of this.evaluator.alternatives(val, depth + 1)) {
      if (!isUnset(alt.s)) return read(alt);
    }
    return unknown;
  }

  /** Strings a value lists: a string, an array of them, `new Set([...])`, an object's keys. */
  strings(sym: Sym, env: Env): string[] {
    const val = this.evaluator.evaluate(sym, env);
    const out: string[] = [];
    const add = (item: Val) => {
      const literal = this.toLiteral(item, 0);
      if (typeof literal === 'string' || typeof literal === 'number') out.push(String(literal));
    };
    if (val.s.k === 'arr') for (const item of val.s.items) add(this.evaluator.evaluate(item, val.env));
    else if (val.s.k === 'new' && val.s.args[0]) return this.strings(val.s.args[0], val.env);
    else add(val);
    return out;
  }
}

/** `undefined`, or a property read from it (`options.attempts` when no options were passed). */
function isUnset(s: Val['s']): boolean {
  let current = s;
  while (current.k === 'get') current = current.obj;
  return current.k === 'nil';
}

/** JSONPath of a property path: `$.detail.items[0]`, `$['x-id']`. */
export function toJsonPath(path: readonly string[]): string {
  let out = '$';
  for (const part of path) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += `.${part}`;
    else out += `['${part.replace(/'/g, "\\'")}']`;
  }
  return out;
}
