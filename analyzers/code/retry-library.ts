/**
 * Retry libraries, described as data: which export retries the callback passed at `callbackArg`, where its
 * options are, and what each option means with its default. `src/link/annotate/retries.ts` reads a call to one of
 * them (found when linking, so imports through re-exports and `require` work too). Defaults from each package's
 * documentation: p-retry 6/7, async-retry 1.3, promise-retry 2 (the `retry` module's options), exponential-backoff 3,
 * @lifeomic/attempt 3.
 */
export interface RetryLibrary {
  /** Package name (the import source). */
  module: string;
  /** Export names that are the retry function (`default` covers `require('p-retry')` called directly). */
  exports: readonly string[];
  callbackArg: number;
  optionsArg: number;
  /** Another order the arguments may come in (promise-retry also takes `(options, fn)`). */
  alternate?: { callbackArg: number; optionsArg: number };
  /** The option giving retries after the first attempt (`plus: 1`) or attempts in total (`plus: 0`). */
  attempts: { option: string; plus: number; default: number };
  firstDelay: { option: string; default: number };
  factor: { option: string; default: number; /** A factor of 0 means constant delays. */ zeroIsConstant?: boolean };
  maxDelay?: { option: string; /** Absent: no cap unless set; 0 means no cap. */ zeroIsNone?: boolean };
  jitter: { option: string; default: boolean | string; /** What a truthy (or this string) value means. */ on: 'full' | 'partial'; value?: string };
}

/** p-retry, async-retry and promise-retry all pass these options on to the `retry` module, with its defaults. */
const NODE_RETRY_TIMEOUTS: Pick<RetryLibrary, 'attempts' | 'firstDelay' | 'factor' | 'maxDelay'> = {
  attempts: { option: 'retries', plus: 1, default: 10 },
  firstDelay: { option: 'minTimeout', default: 1000 },
  factor: { option: 'factor', default: 2 },
  maxDelay: { option: 'maxTimeout' },
};

export const RETRY_LIBRARIES: readonly RetryLibrary[] = [
  {
    module: 'p-retry',
    exports: ['default', '*', 'pRetry'],
    callbackArg: 0,
    optionsArg: 1,
    ...NODE_RETRY_TIMEOUTS,
    jitter: { option: 'randomize', default: false, on: 'partial' },
  },
  {
    module: 'async-retry',
    exports: ['default', '*'],
    callbackArg: 0,
    optionsArg: 1,
    ...NODE_RETRY_TIMEOUTS,
    jitter: { option: 'randomize', default: true, on: 'partial' },
  },
  {
    module: 'promise-retry',
    exports: ['default', '*'],
    callbackArg: 0,
    optionsArg: 1,
    alternate: { callbackArg: 1, optionsArg: 0 },
    ...NODE_RETRY_TIMEOUTS,
    jitter: { option: 'randomize', default: false, on: 'partial' },
  },
  {
    module: 'exponential-backoff',
    exports: ['backOff'],
    callbackArg: 0,
    optionsArg: 1,
    attempts: { option: 'numOfAttempts', plus: 0, default: 10 },
    firstDelay: { option: 'startingDelay', default: 100 },
    factor: { option: 'timeMultiple', default: 2 },
    maxDelay: { option: 'maxDelay' },
    jitter: { option: 'jitter', default: 'none', on: 'full', value: 'full' },
  },
  {
    module: '@lifeomic/attempt',
    exports: ['retry'],
    callbackArg: 0,
    optionsArg: 1,
    attempts: { option: 'maxAttempts', plus: 0, default: 3 },
    firstDelay: { option: 'delay', default: 200 },
    factor: { option: 'factor', default: 0, zeroIsConstant: true },
    maxDelay: { option: 'maxDelay', zeroIsNone: true },
    jitter: { option: 'jitter', default: false, on: 'full' },
  },
];

/** Where a library call's options are when its callback is argument `argIndex`; undefined: not a signature of it. */
export function getOptionsArg(library: RetryLibrary, argIndex: number): number | undefined {
  if (library.callbackArg === argIndex) return library.optionsArg;
  if (library.alternate?.callbackArg === argIndex) return library.alternate.optionsArg;
  return undefined;
}
