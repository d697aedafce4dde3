import type { SummaryLookup } from '../read-tracker.js';
import type { RetryLoopData } from '../../../analyzers/code/retry-loop.js';
import { getOptionsArg, RETRY_LIBRARIES, type RetryLibrary } from '../../../analyzers/code/retry-library.js';
import type { Cond, ErrorCheckData, Expr, Step } from '../../../analyzers/code/retry-steps.js';
import { SDK_RETRY_DEFAULTS, type SdkClientRetryData } from '../../../analyzers/code/sdk-client-retry.js';
import type { RetryAnnotation } from '../../types/annotations.js';
import type { ContextRecord } from '../../types/summary.js';
import { fnKey, type Env, type Evaluator, type Val } from '../evaluate.js';
import type { ChainCall, EdgeChain } from './chain.js';
import type { ValueReader } from './values.js';

const MAX_ITERATIONS = 10_000;
const MAX_DELAYS = 10;

export interface RetryContext {
  summaries: SummaryLookup;
  evaluator: Evaluator;
  values: ValueReader;
}

/**
 * Every retry around an edge's call, outermost first: hand-written loops and recursive retries around any call of
 * the chain, retry helpers and libraries the call is handed to as a callback, then the SDK client's own retries.
 */
export function readRetries(chain: EdgeChain, context: RetryContext): RetryAnnotation[] {
  const found: { at: number; order: number; retry: RetryAnnotation }[] = [];
  chain.contexts.forEach((entry, order) => {
    if (entry.record.kind !== 'retry-loop') return;
    const data = entry.record.data as unknown as RetryLoopData;
    const retry = fromLoop(data, entry.record, entry.file, chain.calls[entry.at].env, context);
    found.push({ at: entry.at, order, retry: { ...retry, kind: data.form === 'loop' ? 'loop' : 'recursion' } });
  });
  chain.calls.forEach((call, at) => {
    if (!call.callback) return;
    const retry = readCallbackRetry(call, call.callback.argIndex, context);
    if (retry) found.push({ at, order: Number.MAX_SAFE_INTEGER, retry });
  });
  found.sort((a, b) => a.at - b.at || a.order - b.order);
  const out = found.map((f) => f.retry);
  const sdk = readSdkClientRetry(chain.calls[chain.calls.length - 1], context);
  if (sdk) out.push(sdk);
  return out;
}

/** A call handed a callback: a retry library (`pRetry(fn, opts)`) or a helper of the project whose loop retries it. */
function readCallbackRetry(call: ChainCall, argIndex: number, context: RetryContext): RetryAnnotation | undefined {
  const { evaluator } = context;
  for (const callee of evaluator.alternatives(evaluator.evaluate(call.call.callee, call.env))) {
    const s = callee.s;
    if (s.k === 'import') {
      for (const library of RETRY_LIBRARIES) {
        const optionsArg = library.module === s.source && library.exports.includes(s.name) ? getOptionsArg(library, argIndex) : undefined;
        if (optionsArg !== undefined) return fromLibrary(library, optionsArg, call, context);
      }
    }
    if (s.k === 'fn') {
      const summary = context.summaries.get(callee.env.file);
      const record = summary?.contexts.find((r) => {
        if (r.kind !== 'retry-loop') return false;
        const data = r.data as unknown as RetryLoopData;
        return data.fn === s.id && data.retriesParam === argIndex;
      });
      if (!summary || !record) continue;
      const key = fnKey(callee.env.file, s.id);
      const env: Env = { file: callee.env.file, bindings: { fnKey: key, args: call.call.args, argEnv: call.env, next: call.env.bindings } };
      const loop = fromLoop(record.data as unknown as RetryLoopData, record, callee.env.file, env, context);
      return {
        ...loop,
        file: call.file,
        helper: { file: callee.env.file, line: record.line, name: summary.functions[s.id]?.name ?? '<anonymous>' },
        kind: 'helper',
        line: call.call.line,
        text: call.call.text,
      };
    }
  }
  return undefined;
}

function fromLoop(data: RetryLoopData, record: ContextRecord, file: string, env: Env, context: RetryContext): RetryAnnotation {
  const numbers = new LoopNumbers(data, env, context.values);
  const run = numbers.simulate();
  const virtual = numbers.virtualDelays(4, true);
  const errors = readErrorChecks(data.checks, env, context.values);
  const attempts = run.unbounded ? null : run.attempts;
  const capped = attempts === null ? (run.unbounded ? numbers.virtualDelays(MAX_DELAYS, false) : []) : run.delays.slice(0, MAX_DELAYS);
  const first = attempts !== null && attempts > 1 ? run.delays[0] : virtual[0];
  const maxDelay = numbers.getMaxDelay();
  return {
    attempts,
    backoffRate: getBackoffRate(virtual),
    delaysMs: capped.every(Number.isFinite) ? capped : [],
    errorChecks: errors.checks,
    exhausted: run.unbounded ? 'unknown' : toExhausted(run.exit ?? numbers.findExit(), data.afterLoop),
    file,
    firstDelayMs: first === undefined ? 0 : Number.isFinite(first) ? first : null,
    jitter: data.jitter,
    kind: 'loop',
    line: record.line,
    ...(maxDelay !== undefined ? { maxDelayMs: maxDelay } : {}),
    notRetried: errors.notRetried,
    retried: errors.retried,
    sources: data.sources,
    text: data.text,
    unbounded: run.unbounded,
  };
}

function toExhausted(exit: Step['how'] | undefined, afterLoop: RetryLoopData['afterLoop']): RetryAnnotation['exhausted'] {
  if (exit === 'throw' || exit === 'return') return exit;
  if (exit === 'break') return afterLoop;
  return 'unknown';
}

/** Runs the counter through a retry's steps to count attempts and list the delays between them. */
class LoopNumbers {
  constructor(
    private readonly data: RetryLoopData,
    private readonly env: Env,
    private readonly values: ValueReader,
  ) {}

  private initial(): number {
    if (this.data.init === undefined) return this.data.counter ? NaN : 0;
    return this.expr(this.data.init, 0, false);
  }

  simulate(): { attempts: number | null; unbounded: boolean; delays: number[]; exit?: Step['how'] } {
    let c = this.initial();
    let attempts = 0;
    let pending = 0;
    const delays: number[] = [];
    const run = (steps: readonly Step[]): { end?: 'next' | Step['how']; unknown?: true } => {
      for (const step of steps) {
        const when = step.when === undefined ? true : this.cond(step.when, c);
        if (when === undefined) return { unknown: true };
        if (!when) continue;
        if (step.t === 'inc') {
          const delta = this.expr(step.value!, c, false);
          if (!Number.isFinite(delta)) return { unknown: true };
          c += delta;
        } else if (step.t === 'sleep') {
          pending += this.expr(step.value!, c, false);
        } else {
          return { end: step.t === 'next' ? 'next' : step.how };
        }
      }
      return {};
    };
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      for (const phase of ['before', 'failure', 'update'] as const) {
        const result = run(phase === 'before' ? this.data.beforeCall : phase === 'failure' ? this.data.onFailure : this.data.update);
        if (result.unknown) return { attempts: null, unbounded: false, delays: [] };
        if (result.end && result.end !== 'next') return { attempts, unbounded: false, delays, exit: result.end };
        if (phase === 'before') {
          // The wait since the previous attempt ends as this one starts.
          if (attempts > 0 && delays.length < MAX_ITERATIONS) delays.push(pending);
          pending = 0;
          attempts++;
        }
      }
    }
    return { attempts: null, unbounded: true, delays };
  }

  /**
   * The delays the sleeps would give attempt after attempt, whatever the tests and exits say (`if (attempt < max)
   * await sleep(d)` sleeps every time): how the delay grows, for the backoff rate and for retries without a bound.
   */
  virtualDelays(count: number, uncapped: boolean): number[] {
    let c = this.initial();
    const gaps: number[] = [];
    let pending = 0;
    const run = (steps: readonly Step[]) => {
      for (const step of steps) {
        if (step.t === 'inc' && (step.when === undefined || this.cond(step.when, c) !== false)) c += this.expr(step.value!, c, false);
        else if (step.t === 'sleep') pending += this.expr(step.value!, c, uncapped);
      }
    };
    for (let i = 0; i <= count && gaps.length < count; i++) {
      run(this.data.beforeCall);
      if (i > 0) gaps.push(pending);
      pending = 0;
      run(this.data.onFailure);
      run(this.data.update);
    }
    return gaps;
  }

  /** The cap of the first sleep: `Math.min(MAX_DELAY, ...)`, evaluated (null when it is not known). */
  getMaxDelay(): number | null | undefined {
    for (const step of [...this.data.beforeCall, ...this.data.onFailure]) {
      if (step.t !== 'sleep' || step.value === undefined) continue;
      const cap = findCap(step.value);
      if (!cap) return undefined;
      const value = this.expr(cap, 0, false);
      return value === Infinity ? undefined : Number.isFinite(value) ? value : null;
    }
    return undefined;
  }

  /**
   * How the retry gives up when the numbers are not known: the first exit that depends on the counter, one on the
   * failure path first (`if (attempt === max) throw err` fires at the last attempt, before the loop's own test).
   */
  findExit(): Step['how'] | undefined {
    for (const step of [...this.data.onFailure, ...this.data.update, ...this.data.beforeCall]) {
      if (step.t === 'exit' && step.when !== undefined) return step.how;
    }
    return undefined;
  }

  expr(expr: Expr, c: number, uncapped: boolean): number {
    if (typeof expr === 'number') return expr;
    if (expr === 'c') return c;
    if (expr === 'inf') return Infinity;
    if (expr === 'rand') return NaN;
    if ('s' in expr) return this.values.number(expr.s, this.env);
    if ('op' in expr) {
      const a = this.expr(expr.a, c, uncapped);
      const b = this.expr(expr.b, c, uncapped);
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
        case '**':
          return a ** b;
      }
    }
    if (uncapped && expr.f === 'min') {
      const growing = expr.args.filter(mentionsCounter);
      if (growing.length === 1) return this.expr(growing[0], c, uncapped);
    }
    const args = expr.args.map((arg) => this.expr(arg, c, uncapped));
    return (Math[expr.f] as (...values: number[]) => number)(...args);
  }

  cond(cond: Cond, c: number): boolean | undefined {
    if (cond === true || cond === false) return cond;
    if (cond === '?') return undefined;
    if ('cmp' in cond) {
      const a = this.expr(cond.a, c, false);
      const b = this.expr(cond.b, c, false);
      if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
      switch (cond.cmp) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '==':
          return a === b;
        case '!=':
          return a !== b;
      }
    }
    if ('not' in cond) {
      const inner = this.cond(cond.not, c);
      return inner === undefined ? undefined : !inner;
    }
    const parts = ('all' in cond ? cond.all : cond.any).map((part) => this.cond(part, c));
    if ('all' in cond) return parts.includes(false) ? false : parts.includes(undefined) ? undefined : true;
    return parts.includes(true) ? true : parts.includes(undefined) ? undefined : false;
  }
}

function mentionsCounter(expr: Expr): boolean {
  if (expr === 'c') return true;
  if (typeof expr !== 'object' || 's' in expr) return false;
  if ('op' in expr) return mentionsCounter(expr.a) || mentionsCounter(expr.b);
  return expr.args.some(mentionsCounter);
}

/** `Math.min(cap, delay)`, possibly inside `Math.floor`/`round`/`ceil`: the side that does not grow with the counter. */
function findCap(expr: Expr): Expr | undefined {
  let current = expr;
  for (let i = 0; i < 4 && typeof current === 'object' && 'f' in current; i++) {
    if (current.f === 'min') return current.args.find((arg) => !mentionsCounter(arg));
    if (current.f !== 'floor' && current.f !== 'round' && current.f !== 'ceil') return undefined;
    current = current.args[0];
  }
  return undefined;
}

/** The factor between consecutive delays when one factor fits them all; 1 for constant delays, null otherwise. */
function getBackoffRate(delays: readonly number[]): number | null {
  if (delays.length === 0 || !delays.every(Number.isFinite)) return null;
  if (delays.every((d) => d === delays[0])) return 1;
  if (delays[0] <= 0) return null;
  const rate = delays[1] / delays[0];
  for (let i = 2; i < delays.length; i++) {
    if (Math.abs(delays[i] - delays[i - 1] * rate) > 1e-6 * Math.max(1, delays[i])) return null;
  }
  return Math.round(rate * 1e6) / 1e6;
}

function readErrorChecks(checks: readonly ErrorCheckData[], env: Env, values: ValueReader) {
  const notRetried: string[] = [];
  const retried: string[] = [];
  for (const check of checks) {
    const names = [...check.names, ...(check.nameSyms ?? []).flatMap((sym) => values.strings(sym, env))];
    const list = check.namesEffect === 'not-retried' ? notRetried : retried;
    for (const name of names) if (!list.includes(name)) list.push(name);
  }
  return { checks: checks.map(({ effect, line, text }) => ({ effect, line, text })), notRetried, retried };
}

/** A retry library's call: its options read with the library's defaults. */
function fromLibrary(library: RetryLibrary, optionsArg: number, call: ChainCall, context: RetryContext): RetryAnnotation {
  const { evaluator, values } = context;
  const optionsSym = call.call.args[optionsArg];
  const options = optionsSym ? evaluator.evaluate(optionsSym, call.env) : undefined;
  const sources: RetryAnnotation['sources'] = {};
  const read = (name: string): Val | undefined => {
    if (!options) return undefined;
    const value = evaluator.getProperty(options, name, 0);
    return value.s.k === 'nil' ? undefined : value;
  };
  const number = (name: string, fallback: number, source?: keyof RetryAnnotation['sources']): number => {
    const value = read(name);
    if (source) sources[source] = value ? `${name}: ${describe(value, values)}` : `${name} (default ${fallback})`;
    return value ? values.toNumber(value, 0) : fallback;
  };
  const retries = number(library.attempts.option, library.attempts.default, 'attempts');
  const first = number(library.firstDelay.option, library.firstDelay.default, 'delay');
  let factor = number(library.factor.option, library.factor.default);
  if (factor === 0 && library.factor.zeroIsConstant) factor = 1;
  let max: number | null | undefined;
  if (library.maxDelay && read(library.maxDelay.option)) {
    max = number(library.maxDelay.option, Infinity, 'maxDelay');
    if (max === Infinity || (max === 0 && library.maxDelay.zeroIsNone)) max = undefined;
    else if (!Number.isFinite(max)) max = null;
  }
  const jitterValue = read(library.jitter.option);
  const jitterOn = jitterValue ? isOn(values.toLiteral(jitterValue, 0), library) : isOn(library.jitter.default, library);
  const unbounded = retries === Infinity;
  const attempts = unbounded || !Number.isFinite(retries) ? null : retries + library.attempts.plus;
  const delays: number[] = [];
  const count = attempts === null ? (unbounded ? MAX_DELAYS : 0) : Math.min(MAX_DELAYS, attempts - 1);
  for (let k = 0; k < count && Number.isFinite(first) && Number.isFinite(factor); k++) {
    const delay = first * factor ** k;
    delays.push(typeof max === 'number' ? Math.min(delay, max) : delay);
  }
  return {
    attempts,
    backoffRate: Number.isFinite(factor) ? factor : null,
    delaysMs: delays,
    errorChecks: [],
    exhausted: unbounded ? 'unknown' : 'throw',
    file: call.file,
    firstDelayMs: Number.isFinite(first) ? first : null,
    jitter: jitterValue && values.toLiteral(jitterValue, 0) === undefined ? 'unknown' : jitterOn ? library.jitter.on : 'none',
    kind: 'library',
    library: library.module,
    line: call.call.line,
    ...(max !== undefined ? { maxDelayMs: max } : {}),
    notRetried: [],
    retried: [],
    sources,
    text: call.call.text,
    unbounded,
  };
}

function isOn(value: unknown, library: RetryLibrary): boolean {
  return library.jitter.value === undefined ? value === true : value === library.jitter.value;
}

function describe(value: Val, values: ValueReader): string {
  const literal = values.toLiteral(value, 0);
  if (literal !== undefined) return JSON.stringify(literal);
  const number = values.toNumber(value, 0);
  return Number.isNaN(number) ? 'not known' : String(number);
}

/** The SDK client the call is made on, when it was created with retry settings of its own. */
function readSdkClientRetry(sdkCall: ChainCall | undefined, context: RetryContext): RetryAnnotation | undefined {
  const callee = sdkCall?.call.callee;
  if (!sdkCall || callee?.k !== 'get') return undefined;
  const { evaluator } = context;
  const queue: Val[] = [evaluator.evaluate(callee.obj, sdkCall.env)];
  for (let i = 0; i < queue.length && i < 8; i++) {
    for (const alt of evaluator.alternatives(queue[i])) {
      if (alt.s.k === 'call' && alt.s.args[0]) {
        // Instrumentation wrappers hand back the client they are given.
        queue.push(evaluator.evaluate(alt.s.args[0], alt.env));
        continue;
      }
      if (alt.s.k !== 'new') continue;
      const shape = JSON.stringify(alt.s);
      const record = context.summaries.get(alt.env.file)?.contexts.find((r) => r.kind === 'sdk-client-retry' && JSON.stringify((r.data as unknown as SdkClientRetryData).client) === shape);
      if (record) return fromSdkClient(record, alt.env.file, evaluator.evaluate(alt.s.callee, alt.env), context);
    }
  }
  return undefined;
}

function fromSdkClient(record: ContextRecord, file: string, ctor: Val, context: RetryContext): RetryAnnotation {
  const data = record.data as unknown as SdkClientRetryData;
  const { evaluator, values } = context;
  const env: Env = { file, bindings: null };
  const source = ctor.s.k === 'import' ? ctor.s.source : ctor.s.k === 'get' && ctor.s.obj.k === 'import' ? ctor.s.obj.source : 'aws-sdk';
  const v2 = source.startsWith('aws-sdk');
  let attempts: number | null = null;
  let first: number | null = v2 ? SDK_RETRY_DEFAULTS.v2.baseDelayMs : SDK_RETRY_DEFAULTS.v3.baseDelayMs;
  let custom = false;
  const sources: RetryAnnotation['sources'] = {};
  if (data.options.maxAttempts) {
    attempts = toCount(values.number(data.options.maxAttempts, env));
    sources.attempts = data.optionTexts.maxAttempts;
  } else if (data.options.retryMode && !v2) {
    // `retryMode` alone: the mode's own number of attempts.
    attempts = SDK_RETRY_DEFAULTS.v3.maxAttempts;
    sources.attempts = `maxAttempts (default ${attempts})`;
  }
  if (data.options.maxRetries) {
    const retries = toCount(values.number(data.options.maxRetries, env));
    attempts = retries === null ? null : retries + 1;
    sources.attempts = data.optionTexts.maxRetries;
  }
  if (data.options.retryStrategy) {
    // `new ConfiguredRetryStrategy(4, 1000)` or `new StandardRetryStrategy(3)`: attempts first, then the backoff.
    const strategy = evaluator.evaluate(data.options.retryStrategy, env);
    sources.attempts = data.optionTexts.retryStrategy;
    if (strategy.s.k === 'new' && strategy.s.args[0]) {
      attempts = toCount(values.number(strategy.s.args[0], strategy.env));
      const backoff = strategy.s.args[1];
      if (backoff) {
        const constant = values.number(backoff, strategy.env);
        first = Number.isFinite(constant) ? constant : null;
        custom = true;
        sources.delay = data.optionTexts.retryStrategy;
      }
    } else attempts = null;
  }
  if (data.options.retryDelayOptions) {
    const options = evaluator.evaluate(data.options.retryDelayOptions, env);
    const base = evaluator.getProperty(options, 'base', 0);
    if (base.s.k !== 'nil') {
      first = values.toNumber(base, 0);
      if (!Number.isFinite(first)) first = null;
      sources.delay = data.optionTexts.retryDelayOptions;
    }
    if (evaluator.getProperty(options, 'customBackoff', 0).s.k !== 'nil') {
      first = null;
      sources.delay = data.optionTexts.retryDelayOptions;
    }
  }
  const factor = custom ? 1 : SDK_RETRY_DEFAULTS.v3.factor;
  const max = v2 || custom ? undefined : SDK_RETRY_DEFAULTS.v3.maxDelayMs;
  const delays: number[] = [];
  if (attempts !== null && first !== null) {
    for (let k = 0; k < Math.min(MAX_DELAYS, attempts - 1); k++) delays.push(max === undefined ? first * factor ** k : Math.min(first * factor ** k, max));
  }
  return {
    attempts,
    backoffRate: first === null ? null : factor,
    delaysMs: delays,
    errorChecks: [],
    exhausted: 'throw',
    file,
    firstDelayMs: first,
    jitter: custom ? 'none' : 'full',
    kind: 'sdk-client',
    library: source,
    line: record.line,
    ...(max !== undefined ? { maxDelayMs: max } : {}),
    notRetried: [],
    retried: [...SDK_RETRY_DEFAULTS.retried],
    sources,
    text: data.text,
    unbounded: false,
  };
}

function toCount(value: number): number | null {
  return Number.isInteger(value) && value >= 0 ? value : null;
}
