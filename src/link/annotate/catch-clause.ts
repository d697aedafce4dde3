import type { SummaryLookup } from '../read-tracker.js';
import type { TryPartData } from '../../../analyzers/code/compensation.js';
import type { CatchAnnotation } from '../../types/annotations.js';
import { fnKey } from '../evaluate.js';
import type { EdgeChain } from './chain.js';

/**
 * The catch clause of the handler that handles the failure of the edge's call: the innermost `try` around the call
 * in one of the handler's own functions (`entries`) that has a catch, leaving out a try inside a retry loop there
 * (that catch is the retry's), with the rethrows it starts with (`if (err.name !== 'X') throw err`).
 */
export function readCatchClause(chain: EdgeChain, entries: ReadonlySet<string>, summaries: SummaryLookup): CatchAnnotation | undefined {
  // A promise's `.catch(cb)` holds its callback: a call in the callback is in the handler, not in what it protects.
  const handlers = new Set<string>();
  for (const entry of chain.contexts) {
    const data = entry.record.data as unknown as TryPartData;
    if (entry.record.kind === 'try-part' && data.part !== 'try') handlers.add(`${entry.file}#${data.tryLine}#${data.tryColumn}`);
  }
  for (let i = chain.contexts.length - 1; i >= 0; i--) {
    const entry = chain.contexts[i]!;
    if (entry.record.kind !== 'try-part') continue;
    const data = entry.record.data as unknown as TryPartData;
    if (data.part !== 'try' || !entries.has(fnKey(entry.file, data.fn))) continue;
    if (handlers.has(`${entry.file}#${data.tryLine}#${data.tryColumn}`)) continue;
    const inRetryLoop = chain.contexts.slice(0, i).some((outer) => outer.file === entry.file && outer.record.kind === 'retry-loop' && (outer.record.data as { fn?: number }).fn === data.fn);
    if (inRetryLoop) continue;
    const summary = summaries.get(entry.file);
    const catchIndex = summary?.contexts.findIndex((record) => {
      if (record.kind !== 'try-part') return false;
      const other = record.data as unknown as TryPartData;
      return other.part === 'catch' && other.tryLine === data.tryLine && other.tryColumn === data.tryColumn;
    });
    if (!summary || catchIndex === undefined || catchIndex < 0) continue;
    const clause = summary.contexts[catchIndex]!;
    const errorCondition = toErrorCondition(clause.data as unknown as TryPartData);
    const clauseData = clause.data as unknown as TryPartData;
    return { ...(errorCondition ? { errorCondition } : {}), exits: clauseData.exits === true, file: entry.file, line: clause.line, text: clauseData.text };
  }
  return undefined;
}

/** `!((err as Error).name !== 'X')`: the condition under which the catch goes on after the rethrows it starts with. */
function toErrorCondition(data: TryPartData): string | undefined {
  const tests = data.rethrows ?? [];
  return tests.length > 0 ? tests.map((test) => `!(${test})`).join(' && ') : undefined;
}
