import type { CallRecord, FileSummary } from '../types/summary.js';
import { fnKey, type Evaluator } from './evaluate.js';

/** A call expression and the file it is in. */
export interface CallSite {
  file: string;
  call: CallRecord;
}

/**
 * Who calls each function of the project: evaluates every recorded callee once. Used to follow a wrapper's
 * parameters back to the values its callers pass.
 */
export function buildCallerIndex(summaries: ReadonlyMap<string, FileSummary>, evaluator: Evaluator): Map<string, CallSite[]> {
  const callers = new Map<string, CallSite[]>();
  for (const [file, summary] of summaries) {
    for (const call of [...summary.calls, ...(summary.constructions ?? [])]) {
      const callee = evaluator.evaluate(call.callee, { file, bindings: null });
      for (const alt of evaluator.alternatives(callee)) {
        if (alt.s.k !== 'fn') continue;
        const key = fnKey(alt.env.file, alt.s.id);
        const list = callers.get(key);
        if (list) list.push({ file, call });
        else callers.set(key, [{ file, call }]);
      }
    }
  }
  return callers;
}
