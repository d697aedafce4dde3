import type { FunctionDef } from '../../types/inventory.js';
import type { CallRecord, ContextRecord } from '../../types/summary.js';
import type { CallSite, PassedAs } from '../callers.js';
import type { Memo, ReadTracker } from '../read-tracker.js';
import { fnKey, type Env, type Evaluator } from '../evaluate.js';

/** One call on the way from the handler to the SDK call, with the environment its arguments are read in. */
export interface ChainCall {
  file: string;
  call: CallRecord;
  /** The file of the call and the known parameter values of the functions it is in. */
  env: Env;
  /** `path`: a call in the handler or a helper leading to the site; `site`: where the edge is; `via`: wrapper calls; `sdk`: the SDK call. */
  role: 'path' | 'site' | 'via' | 'sdk';
  /** For `path` calls: the function (`file#id`) it leads into. */
  into?: string;
  /** For `path` calls: the next function is a callback handed to this call (argument `argIndex`), not the one it calls. */
  callback?: { argIndex: number; nested: boolean };
}

/** A context around one of the chain's calls. */
export interface ChainContext {
  file: string;
  record: ContextRecord;
  /** Index of the chain call it surrounds (the outermost such call). */
  at: number;
}

export interface EdgeChain {
  calls: ChainCall[];
  contexts: ChainContext[];
  /** Index of the site in `calls`. */
  siteIndex: number;
}

/** A step up from a function to where it is run: a call of it, a call it is handed to, or its enclosing function. */
interface Transition {
  into: string;
  step?: { site: CallSite; callback?: { argIndex: number; nested: boolean } };
}

const MAX_PATH_NODES = 400;

/**
 * Finds how each handler reaches the functions its edges are in, and the calls and contexts along the way. Built
 * once per run: the handlers' functions, and which calls hand which functions on as arguments.
 */
export class ChainBuilder {
  private readonly entries = new Map<string, Memo<Set<string>>>();

  constructor(
    private readonly summaries: ReadTracker,
    private readonly evaluator: Evaluator,
    private readonly getCallers: (key: string) => CallSite[],
    private readonly getPassedAs: (key: string) => PassedAs[],
    private readonly getOwners: (key: string) => readonly string[],
  ) {}

  /** The function keys of a deployed function's handler (also the function wrapped by `middy(fn)` and the like). */
  getEntries(lambda: FunctionDef): Set<string> {
    return this.summaries.memo(this.entries, lambda.id, () => this.findEntries(lambda));
  }

  private findEntries(lambda: FunctionDef): Set<string> {
    const found = new Set<string>();
    const handler = lambda.handler;
    if (handler?.file && this.summaries.has(handler.file)) {
      const value = this.evaluator.getExport(handler.file, handler.export, 0, new Set());
      for (const alt of this.evaluator.alternatives(value)) {
        if (alt.s.k === 'fn') found.add(fnKey(alt.env.file, alt.s.id));
        else if (alt.s.k === 'call') {
          for (const arg of alt.s.args) {
            for (const inner of this.evaluator.alternatives(this.evaluator.evaluate(arg, alt.env))) {
              if (inner.s.k === 'fn') found.add(fnKey(inner.env.file, inner.s.id));
            }
          }
        }
      }
    }
    return found;
  }

  build(lambda: FunctionDef, site: CallSite, via: readonly CallSite[], sdk: { site: CallSite; wrappers: readonly { key: string; args: CallRecord['args'] }[] }): EdgeChain {
    const calls: ChainCall[] = [];
    const path = this.findPath(lambda, site);
    const entry = path.entry;
    let env: Env = { file: entry ? splitKey(entry)[0] : site.file, bindings: null };
    for (const transition of path.transitions) {
      const [file] = splitKey(transition.into);
      if (transition.step) {
        const { site: step, callback } = transition.step;
        calls.push({ file: step.file, call: step.call, env, role: 'path', into: transition.into, ...(callback ? { callback } : {}) });
        env = callback
          ? { file, bindings: env.bindings }
          : { file, bindings: { fnKey: transition.into, args: step.call.args, argEnv: env, next: env.bindings } };
      } else {
        env = { file, bindings: env.bindings };
      }
    }
    const siteIndex = calls.length;
    calls.push({ file: site.file, call: site.call, env, role: 'site' });
    // Wrappers: each call into a wrapper binds its parameters; the next call sits inside that wrapper.
    sdk.wrappers.forEach((wrapper, i) => {
      const [file] = splitKey(wrapper.key);
      env = { file, bindings: { fnKey: wrapper.key, args: wrapper.args, argEnv: env, next: env.bindings } };
      const next = i < via.length ? via[i] : undefined;
      if (next) calls.push({ file: next.file, call: next.call, env, role: 'via' });
    });
    if (sdk.wrappers.length > 0) calls.push({ file: sdk.site.file, call: sdk.site.call, env, role: 'sdk' });
    return { calls, contexts: this.collectContexts(calls), siteIndex };
  }

  private collectContexts(calls: readonly ChainCall[]): ChainContext[] {
    const seen = new Set<string>();
    const out: ChainContext[] = [];
    calls.forEach((chainCall, at) => {
      const summary = this.summaries.get(chainCall.file);
      for (const index of chainCall.call.contexts ?? []) {
        const key = `${chainCall.file}#${index}`;
        const record = summary?.contexts[index];
        if (!record || seen.has(key)) continue;
        seen.add(key);
        out.push({ file: chainCall.file, record, at });
      }
    });
    return out;
  }

  /**
   * From the function the site is in up to the handler: through calls of it (the callers this deployed function
   * reaches), calls it is handed to as a callback, or its enclosing function. Breadth-first, so the shortest way.
   */
  private findPath(lambda: FunctionDef, site: CallSite): { entry?: string; transitions: Transition[] } {
    const entries = this.getEntries(lambda);
    if (site.call.fn < 0) return { transitions: [] };
    const start = fnKey(site.file, site.call.fn);
    if (entries.has(start)) return { entry: start, transitions: [] };
    const previous = new Map<string, { from: string; transition: Transition }>();
    const queue = [start];
    for (let head = 0; head < queue.length && queue.length < MAX_PATH_NODES; head++) {
      const key = queue[head];
      for (const up of this.getPredecessors(key, lambda.id)) {
        if (up.key === start || previous.has(up.key)) continue;
        previous.set(up.key, { from: key, transition: { into: key, step: up.step } });
        if (entries.has(up.key)) return { entry: up.key, transitions: unwind(up.key, start, previous) };
        queue.push(up.key);
      }
    }
    return { transitions: [] };
  }

  private getPredecessors(key: string, lambdaId: string): { key: string; step?: Transition['step'] }[] {
    const [file, id] = splitKey(key);
    const fn = this.summaries.get(file)?.functions[id];
    if (!fn) return [];
    const owned = (site: CallSite) => site.call.fn >= 0 && this.getOwners(fnKey(site.file, site.call.fn)).includes(lambdaId);
    const callers = this.getCallers(key).filter((site) => owned(site) && fnKey(site.file, site.call.fn) !== key);
    if (callers.length > 0) return sortSites(callers).map((site) => ({ key: fnKey(site.file, site.call.fn), step: { site } }));
    const passed = this.getPassedAs(key).filter((p) => owned(p.site));
    if (passed.length > 0) {
      return passed.map(({ site, argIndex }) => ({
        key: fnKey(site.file, site.call.fn),
        step: { site, callback: { argIndex, nested: site.file === file && site.call.fn === fn.parent } },
      }));
    }
    return fn.parent >= 0 ? [{ key: fnKey(file, fn.parent) }] : [];
  }
}

function unwind(entry: string, start: string, previous: Map<string, { from: string; transition: Transition }>): Transition[] {
  const out: Transition[] = [];
  for (let key = entry; key !== start; ) {
    const link = previous.get(key)!;
    out.push(link.transition);
    key = link.from;
  }
  return out;
}

function sortSites(sites: CallSite[]): CallSite[] {
  return [...sites].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.call.line - b.call.line || a.call.column - b.call.column));
}

export function splitKey(key: string): [string, number] {
  const hash = key.lastIndexOf('#');
  return [key.slice(0, hash), Number(key.slice(hash + 1))];
}
