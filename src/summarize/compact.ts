import type { FileSummary, Sym } from '../types/summary.js';

/** The bindings of every scope that has none: one shared, frozen object. */
const NO_BINDINGS: Readonly<Record<string, Sym>> = Object.freeze({});

/**
 * The summary the rest of the run holds, made small in memory: the walk's scope tables are dictionaries without a
 * prototype (safe for any name while walking, but four times the size of an ordinary object); here they become
 * ordinary objects, and the many empty ones one shared object. Readers look names up with `getOwn`, as they must
 * for summaries read back from the cache (JSON), so both behave the same.
 */
export function compactSummary(summary: FileSummary): FileSummary {
  summary.scopes = summary.scopes.map((scope) => ({ parent: scope.parent, fn: scope.fn, bindings: toPlainRecord(scope.bindings) }));
  return summary;
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
