import type { FileSummary, ScopeRecord, Sym } from '../types/summary.js';
import { pushSymChildren } from './to-sym.js';

/** The bindings of every scope that has none: one shared, frozen object. */
const NO_BINDINGS: Readonly<Record<string, Sym>> = Object.freeze({});

/**
 * The summary the rest of the run holds, made small in memory: scopes left without bindings are removed (see
 * `dropEmptyScopes`); the walk's scope tables are dictionaries without a prototype (safe for any name while
 * walking, but four times the size of an ordinary object), here they become ordinary objects. Readers look names
 * up with `getOwn`, as they must for summaries read back from the cache (JSON), so both behave the same.
 */
export function compactSummary(summary: FileSummary): FileSummary {
  dropEmptyScopes(summary);
  summary.scopes = summary.scopes.map((scope) => ({ parent: scope.parent, bindings: toPlainRecord(scope.bindings) }));
  return summary;
}

/**
 * Context data fields that hold the scope a variable is declared in, as a plain number (not a Sym): the scope of a
 * `for...of` element (`analyzers/code/fan-out.ts`) and the `[name, scope]` pairs of variables holding a call's
 * result (`analyzers/code/result-use.ts`). A collector that stores another scope number must be added here.
 */
const DECLARED_SCOPE_FIELD = 'elementScope';
const DECLARED_SCOPE_PAIRS = 'bound';

/**
 * Most scopes of a file (blocks, loops, callbacks) keep no binding once the unread ones are pruned. They are
 * removed and the rest renumbered, every child pointing to its nearest kept ancestor. A lookup walks up through
 * a scope without bindings without finding anything there, so every reference finds the binding it found before:
 *  - the scope of every `ref` Sym (in bindings, exports, functions, calls, contexts' data) becomes that of its
 *    nearest kept scope, where the lookup now starts;
 *  - a scope a variable is declared in (DECLARED_SCOPE_FIELD, DECLARED_SCOPE_PAIRS) becomes its new number, or -1
 *    when it was removed: no lookup can find a binding there any more, nor in scope -1.
 * The module scope stays scope 0.
 */
export function dropEmptyScopes(summary: FileSummary): void {
  const scopes = summary.scopes;
  /** Old scope → the new number of its nearest kept ancestor (itself when kept). */
  const lookupFrom: number[] = [];
  /** Old scope → its new number, -1 when removed. */
  const renumbered: number[] = [];
  const kept: ScopeRecord[] = [];
  for (let i = 0; i < scopes.length; i++) {
    const scope = scopes[i];
    // A scope is created after its parent, so the parent's new number is known.
    const parent = scope.parent < 0 ? -1 : lookupFrom[scope.parent];
    if (i === 0 || hasOwnKey(scope.bindings)) {
      renumbered[i] = lookupFrom[i] = kept.length;
      kept.push({ parent, bindings: scope.bindings });
    } else {
      renumbered[i] = -1;
      lookupFrom[i] = parent;
    }
  }
  if (kept.length === scopes.length) return;
  const declaredIn = (old: number): number => (old >= 0 && old < scopes.length ? renumbered[old] : -1);
  const work: Sym[] = [];
  // Syms may be shared (a destructured value, a class's `this`): each `ref` is moved once.
  const moved = new Set<Sym>();
  const drain = (): void => {
    while (work.length > 0) {
      const sym = work.pop()!;
      if (sym.k !== 'ref') pushSymChildren(sym, work);
      else if (!moved.has(sym) && sym.scope >= 0 && sym.scope < scopes.length) {
        moved.add(sym);
        sym.scope = lookupFrom[sym.scope];
      }
    }
  };
  const remap = (sym: Sym): void => {
    work.push(sym);
    drain();
  };
  const remapAll = (syms: readonly Sym[]): void => {
    work.push(...syms);
    drain();
  };
  summary.scopes = kept;
  for (const scope of kept) for (const name in scope.bindings) remap(scope.bindings[name]);
  for (const name in summary.exports) remap(summary.exports[name]);
  for (const fn of summary.functions) {
    remapAll(fn.returns);
    remapAll(fn.refs);
  }
  for (const call of summary.calls) {
    remap(call.callee);
    remapAll(call.args);
  }
  for (const call of summary.constructions ?? []) {
    remap(call.callee);
    remapAll(call.args);
  }
  remapAll(summary.moduleRefs);
  for (const name in summary.ownerRefs) remapAll(summary.ownerRefs[name]);
  const patched = new Set<object>();
  for (const context of summary.contexts) {
    const data = context.data;
    if (patched.has(data)) continue;
    patched.add(data);
    remapAll(findSyms(data));
    const element = data[DECLARED_SCOPE_FIELD];
    if (typeof element === 'number') data[DECLARED_SCOPE_FIELD] = declaredIn(element);
    const pairs = data[DECLARED_SCOPE_PAIRS];
    if (Array.isArray(pairs)) {
      for (const pair of pairs) if (Array.isArray(pair) && typeof pair[1] === 'number') pair[1] = declaredIn(pair[1]);
    }
  }
}

/** The Syms in a context's data, at any depth: objects whose `k` names a Sym kind (collectors' own objects never use that key). */
export function findSyms(value: unknown, out: Sym[] = []): Sym[] {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const item of value) findSyms(item, out);
    return out;
  }
  const kind = (value as { k?: unknown }).k;
  if (typeof kind === 'string' && SYM_KINDS.has(kind)) {
    out.push(value as Sym);
    return out;
  }
  for (const key in value) findSyms((value as Record<string, unknown>)[key], out);
  return out;
}

const SYM_KINDS = new Set(['str', 'num', 'bool', 'nil', 'env', 'self', 'cat', 'ref', 'param', 'import', 'get', 'obj', 'arr', 'call', 'new', 'fn', 'or', 'elem', 'unknown']);

function hasOwnKey(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

function toPlainRecord(bindings: Record<string, Sym>): Record<string, Sym> {
  let plain: Record<string, Sym> | undefined;
  for (const name in bindings) {
    plain ??= {};
    // Assigning `__proto__` would set the prototype instead of adding an entry.
    if (name === '__proto__') Object.defineProperty(plain, name, { value: bindings[name], enumerable: true, writable: true, configurable: true });
    else plain[name] = bindings[name];
  }
  return plain ?? (NO_BINDINGS as Record<string, Sym>);
}
