// The annotation types of code edges (`GraphEdge.annotations`). Properties are declared in byte order of their
// names because the json format writes annotation keys sorted; `schema/graph.schema.json` lists them in that order.

/** A place in the analysed code: a path relative to the analysed folder and a 1-based line. */
export interface CodeLocation {
  file: string;
  line: number;
}

/**
 * What surrounds the call of a code edge: retries, fan-outs, a compensation, conditions, and how data flows in
 * (payload) and out (result). Each annotation cites the code it was read from (`file`, `line`, `text`). Filled by
 * the pattern analyzers (`analyzers/code/retry-loop.ts`, `fan-out.ts`, ...) through `src/link/annotate.ts`.
 */
export interface EdgeAnnotations {
  /** The calls that lead from the function's handler to the call site, outermost first, when the call sits in a helper. */
  callPath?: CodeLocation[];
  /** The handler's catch clause that handles the call's failure (retry loops left out). */
  caughtBy?: CatchAnnotation;
  compensation?: CompensationAnnotation;
  /** Every condition the call depends on, outermost first. */
  conditions?: ConditionAnnotation[];
  /** Every fan-out the call is part of, outermost first. */
  fanOuts?: FanOutAnnotation[];
  payload?: PayloadAnnotation;
  result?: ResultAnnotation;
  /** Every retry around the call, outermost first (a retry loop, then the SDK client's own retries). */
  retries?: RetryAnnotation[];
}

export interface RetryAnnotation {
  /** Attempts in total, the first one included; null when not statically known or unbounded. */
  attempts: number | null;
  /** Factor between consecutive delays (2 doubles, 1 keeps them constant); null when the delays follow no single factor or are not known. */
  backoffRate: number | null;
  /** The delays between consecutive attempts in milliseconds, in order, jitter left out (at most 10). */
  delaysMs: number[];
  /** Each test of the caught error that decides whether to retry, as written. */
  errorChecks: RetryErrorCheck[];
  /** What happens once the last attempt has failed. */
  exhausted: 'throw' | 'return' | 'continue' | 'unknown';
  file: string;
  /** The delay before the first retry in milliseconds (0: none); null when not statically known. */
  firstDelayMs: number | null;
  /** A retry helper of the project (`withRetry`) whose loop retries the callback passed at `line`: where that loop is. */
  helper?: RetryHelper;
  /** `full`: a random delay up to the computed one; `partial`: a random part added; `unknown`: set by a value not statically known. */
  jitter: 'none' | 'full' | 'partial' | 'unknown';
  /** How the retry is written: a loop, a function calling itself, a helper of the project, a library, the SDK client's configuration. */
  kind: 'loop' | 'recursion' | 'helper' | 'library' | 'sdk-client';
  /** For `library` and `sdk-client`: the package (`p-retry`, `@aws-sdk/client-lambda`). */
  library?: string;
  line: number;
  /** The longest delay in milliseconds; absent when there is no cap, null when capped by a value not statically known. */
  maxDelayMs?: number | null;
  /** Errors (names, codes or classes) given up on at once. */
  notRetried: string[];
  /** Errors (names, codes or classes) retried; empty when every error not in `notRetried` is. */
  retried: string[];
  sources: RetrySources;
  text: string;
  /** Retries until success, with no bound on the attempts. */
  unbounded: boolean;
}

export interface RetryHelper {
  file: string;
  line: number;
  name: string;
}

/** The source text each number was read from. */
export interface RetrySources {
  attempts?: string;
  delay?: string;
  maxDelay?: string;
}

export interface RetryErrorCheck {
  /** `not-retried`: errors that pass the test are thrown at once; `only-retried`: only errors that pass it are retried. */
  effect: 'not-retried' | 'only-retried';
  line: number;
  text: string;
}

export interface FanOutAnnotation {
  /** Items per batch when the collection is processed in chunks (`chunk(items, 10)`); null when the size is not statically known. */
  batchSize?: number | null;
  /** For `parallel`: the branch (0-based) this call is in. */
  branch?: number;
  /** For `parallel`: the source text of each branch. */
  branches?: string[];
  /** For maps: the collection as written (`order.items`). */
  collection?: string;
  /** For maps: the collection as a JSONPath from the handler's event (`$.detail.items`), when it can be traced. */
  collectionPath?: string;
  /** How the calls are started and awaited. */
  combinator: 'all' | 'allSettled' | 'any' | 'race' | 'p-map' | 'bluebird' | 'async' | 'forEach' | 'for-of' | 'for';
  /** For maps: the element variable (`item`). */
  element?: string;
  /** For maps: the fields of the element that feed the call (`sku`, `quantity`); an empty string stands for the whole element. */
  elementFields?: string[];
  file: string;
  /** `map`: one call per element, concurrently; `parallel`: a fixed list of calls; `sequential-map`: one element after the other. */
  kind: 'map' | 'parallel' | 'sequential-map';
  /** Where the concurrency limit is set, as written (`pLimit(5)`, `{ concurrency: 4 }`). */
  limitText?: string;
  line: number;
  /** The most calls in flight at once; absent without a limit, null when limited by a value not statically known. */
  maxConcurrency?: number | null;
  text: string;
  /** Whether the other calls' results stay usable when one fails (`allSettled`, `any`). */
  toleratesFailures: boolean;
}

/**
 * The catch clause that handles a failed call: the innermost try around the call in the handler's own code (a try
 * inside a retry loop is the retry's business). The workflow runs it as an on-error part (docs/plan.md).
 */
export interface CatchAnnotation {
  /** Early exits at the start of the catch that test the caught error, as the condition under which the catch goes on. */
  errorCondition?: string;
  /** Whether the catch ends in a return or a throw: one that goes on after the try cannot be run as a part to the handler's end. */
  exits: boolean;
  file: string;
  line: number;
  text: string;
}

export interface CompensationAnnotation {
  /** Earlier edges of the function this call undoes (a saga step); empty when it undoes nothing known (plain error handling). */
  compensates: EdgeReference[];
  /** Conditions on the caught error between the catch and the call, as written. */
  errorCondition?: string;
  /** The catch or finally clause, or the check of a failed result. */
  file: string;
  line: number;
  /** The edges whose failure leads to this call: those inside the try block, or the call whose result is checked. */
  protects: EdgeReference[];
  text: string;
  trigger: 'catch' | 'finally' | 'failed-result';
}

/** Another edge of the same function, by its call site and target. */
export interface EdgeReference {
  file: string;
  line: number;
  to: string;
}

export interface ConditionAnnotation {
  /** Where the call is: `then`/`else` of an if, ternary or `&&`/`||`; `case`/`default` of a switch; `else` after an early exit. */
  branch: 'then' | 'else' | 'case' | 'default';
  /** The test as simple comparisons on fields, when it is one (or several joined by `join`). */
  comparisons: ConditionComparison[];
  file: string;
  form: 'if' | 'ternary' | 'logical' | 'switch' | 'early-exit';
  /** How several comparisons combine. */
  join?: 'and' | 'or';
  line: number;
  /** For a test of an earlier call's result: that call. */
  resultOf?: CodeLocation;
  /** What the test reads: the handler's event, an earlier call's result, a caught error, the environment, or other values. */
  source: 'event' | 'result' | 'error' | 'environment' | 'local';
  text: string;
}

export interface ConditionComparison {
  operator: '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | 'not-exists' | 'truthy' | 'falsy';
  /** A JSONPath from the handler's event (`$.detail.total`) when it can be traced, else the variable path as written (`order.total`). */
  path: string;
  /** The value compared with, constants evaluated; absent when there is none or it is not statically known. */
  value?: string | number | boolean | null;
  /** The value as written. */
  valueText?: string;
}

export interface PayloadAnnotation {
  /** The exact size in bytes of the payload when it is entirely literal. */
  bytes?: number;
  /** `json`: an object serialised with JSON.stringify; `string`: a string as written; `unknown`: anything else. */
  encoding: 'json' | 'string' | 'unknown';
  /** The top-level fields of the payload and where each value comes from. */
  fields: PayloadField[];
  file: string;
  line: number;
  /** A lower bound of the size in bytes, from the known shape (keys and literal values). */
  minBytes?: number;
  /** The request property that carries the payload (`Payload`, `MessageBody`, `Message`, `Entries[].Detail`, `input`). */
  property: string;
  /** Objects spread into the payload, as written: their fields are not listed. */
  spreads?: string[];
  text: string;
}

export interface PayloadField {
  /** The value as written. */
  from: string;
  key: string;
  /** For values from the handler's event or a fan-out's element: the JSONPath they come from. */
  path?: string;
  source: 'event' | 'element' | 'result' | 'literal' | 'environment' | 'local';
}

export interface ResultAnnotation {
  /** Fields of the result read after the call (`Payload.status` when read from the decoded payload). */
  fields: string[];
  /** Where the result lands: the assignment, the return, or the call itself. */
  file: string;
  line: number;
  /** Lines where the result, or a value decoded from it, is read after the call. */
  readLines: number[];
  /** The calls of helpers that return the result on its way to where it is used, innermost first. */
  returnedThrough?: CodeLocation[];
  /** `assigned` to a variable; `returned` by the handler; `discarded`; `other`: passed on, tested or chained. */
  use: 'assigned' | 'returned' | 'discarded' | 'other';
  /** Whether the caller uses the result after the call (it must wait for it). */
  used: boolean;
  variable?: string;
}
