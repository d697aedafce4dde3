import type { CallRecord, FileSummary } from '../types/summary.js';
import { fnKey, type Evaluator } from './evaluate.js';
import type { ReadTracker, SummaryLookup } from './read-tracker.js';

/** A call expression and the file it is in. */
export interface CallSite {
  file: string;
  call: CallRecord;
}

/** A call that hands a function on as argument `argIndex` (`withRetry(() => send(x))`, `pRetry(send)`). */
export interface PassedAs {
  site: CallSite;
  argIndex: number;
}

/**
 * What one file adds to the call indexes: the project functions each of its calls may call, and the functions its
 * calls hand on as arguments. Plain data, so that a re-run keeps it for the files it does not read again.
 */
export interface FileCalls {
  /** `[function key, call]`: the call's index in `calls`, then in `constructions`. */
  callers: [string, number][];
  /** `[function key, call, argument]`: an index in `calls`. */
  passed: [string, number, number][];
}

/** Evaluates every recorded callee of a file once (and every function passed as an argument). */
export function readFileCalls(file: string, summary: FileSummary, evaluator: Evaluator): FileCalls {
  const out: FileCalls = { callers: [], passed: [] };
  const env = { file, bindings: null };
  [...summary.calls, ...(summary.constructions ?? [])].forEach((call, index) => {
    for (const alt of evaluator.alternatives(evaluator.evaluate(call.callee, env))) {
      if (alt.s.k === 'fn') out.callers.push([fnKey(alt.env.file, alt.s.id), index]);
    }
  });
  summary.calls.forEach((call, index) => {
    call.args.forEach((arg, argIndex) => {
      if (arg.k !== 'fn' && arg.k !== 'ref') return;
      const value = arg.k === 'fn' ? { s: arg, env } : evaluator.evaluate(arg, env);
      if (value.s.k === 'fn') out.passed.push([fnKey(value.env.file, value.s.id), index, argIndex]);
    });
  });
  return out;
}

/**
 * Who calls each function of the project, and which calls hand it on, from every file's `FileCalls` in file order.
 * Used to follow a wrapper's parameters back to the values its callers pass. Asking notes the key in the running
 * unit's dependencies (`c:` and `p:`): a changed caller list makes it run again.
 */
export class CallIndex {
  private readonly callers = new Map<string, [string, number][]>();
  private readonly passed = new Map<string, [string, number, number][]>();
  private readonly callerSites = new Map<string, CallSite[]>();
  private readonly passedSites = new Map<string, PassedAs[]>();

  constructor(
    files: Iterable<[string, FileCalls]>,
    /** Summaries read without noting: a caller's call record changes only with a change of the key's list. */
    private readonly summaries: SummaryLookup,
    private readonly tracker: ReadTracker,
  ) {
    for (const [file, calls] of files) {
      for (const [key, index] of calls.callers) push(this.callers, key, [file, index]);
      for (const [key, index, argIndex] of calls.passed) push(this.passed, key, [file, index, argIndex]);
    }
  }

  getCallers(key: string): CallSite[] {
    this.tracker.noteKey(`c:${key}`);
    let sites = this.callerSites.get(key);
    if (!sites) {
      sites = (this.callers.get(key) ?? []).map(([file, index]) => new IndexedCallSite(file, index, this.summaries));
      this.callerSites.set(key, sites);
    }
    return sites;
  }

  getPassedAs(key: string): PassedAs[] {
    this.tracker.noteKey(`p:${key}`);
    let sites = this.passedSites.get(key);
    if (!sites) {
      sites = (this.passed.get(key) ?? []).map(([file, index, argIndex]) => ({ site: { file, call: this.getCall(file, index) }, argIndex }));
      this.passedSites.set(key, sites);
    }
    return sites;
  }

  private getCall(file: string, index: number): CallRecord {
    return getCall(this.summaries, file, index);
  }
}

function getCall(summaries: SummaryLookup, file: string, index: number): CallRecord {
  const summary = summaries.get(file)!;
  return index < summary.calls.length ? summary.calls[index] : summary.constructions![index - summary.calls.length];
}

/**
 * A caller from the index: its call record is read from its file's summary when first used, so that a re-run
 * reusing what was found under each caller (see resolveFile) does not read every caller's summary.
 */
export class IndexedCallSite implements CallSite {
  private record?: CallRecord;

  constructor(
    readonly file: string,
    /** The call's index in its file's calls, then constructions. */
    readonly index: number,
    private readonly summaries: SummaryLookup,
  ) {}

  get call(): CallRecord {
    return (this.record ??= getCall(this.summaries, this.file, this.index));
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
