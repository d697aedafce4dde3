import type { RetryAnnotation } from '../types/annotations.js';
import type { Evidence, RetryRule } from '../types/plan.js';

/** Retry kinds that a Retry rule replaces; `sdk-client` retries are the Lambda API's own (see lambdaServiceRetry). */
const REPLACEABLE_KINDS = new Set<RetryAnnotation['kind']>(['loop', 'recursion', 'helper', 'library']);
/** An unbounded loop still needs a number; this many retries, and a finding that says so. */
export const UNBOUNDED_RETRY_CAP = 10;

/**
 * The retry AWS recommends on every Lambda Task: transient Lambda service errors and throttling, 2 s doubling,
 * 6 retries (the Step Functions best practice "Handle Lambda service exceptions", and CDK's default).
 */
export function lambdaServiceRetry(): RetryRule {
  return {
    errorEquals: [
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    intervalSeconds: 2,
    maxAttempts: 6,
    backoffRate: 2,
    comment: 'Transient Lambda service errors and throttling, as AWS recommends for every Lambda task',
    evidence: [],
  };
}

export interface RetryTranslation {
  rules: RetryRule[];
  /** What could not be carried over exactly (rounded interval, unbounded loop...), for the plan's findings. */
  notes: string[];
}

/**
 * A retry found in the code as Retry rules: `maxAttempts` is the attempts minus the first, the first delay becomes
 * `intervalSeconds` rounded up to whole seconds, the factor `backoffRate`, the cap `maxDelaySeconds`, jitter
 * `FULL`. Errors the code gives up on at once come first with `maxAttempts: 0`; the rule itself lists the errors the
 * code retries, or `States.ALL` when it retries every other error.
 */
export function toRetryRules(retry: RetryAnnotation, evidence: Evidence): RetryTranslation | undefined {
  if (!REPLACEABLE_KINDS.has(retry.kind)) return undefined;
  const notes: string[] = [];
  const where = `${retry.file}:${retry.line}`;
  let maxAttempts: number;
  if (retry.unbounded || retry.attempts === null) {
    maxAttempts = UNBOUNDED_RETRY_CAP;
    notes.push(`the retry at ${where} has ${retry.unbounded ? 'no bound on its attempts' : 'a number of attempts that is not statically known'}: capped at ${UNBOUNDED_RETRY_CAP} retries`);
  } else {
    maxAttempts = Math.max(0, retry.attempts - 1);
  }
  const { intervalSeconds, note: intervalNote } = toIntervalSeconds(retry.firstDelayMs, where);
  if (intervalNote) notes.push(intervalNote);
  const backoffRate = getBackoffRate(retry);
  if (retry.backoffRate === null && retry.delaysMs.length < 2) notes.push(`the delays of the retry at ${where} follow no single factor: backoff rate ${backoffRate} assumed`);
  const capped = retry.maxDelayMs !== undefined && retry.maxDelayMs !== null;
  const rule: RetryRule = {
    errorEquals: retry.retried.length > 0 ? [...retry.retried] : ['States.ALL'],
    intervalSeconds,
    maxAttempts,
    backoffRate,
    ...(capped ? { maxDelaySeconds: Math.max(1, Math.ceil(retry.maxDelayMs! / 1000)) } : {}),
    ...(retry.jitter === 'full' || retry.jitter === 'partial' ? { jitterStrategy: 'FULL' as const } : {}),
    comment: describeRetry(retry, maxAttempts, intervalSeconds),
    evidence: [evidence],
  };
  if (retry.maxDelayMs === null) notes.push(`the retry at ${where} caps its delay with a value that is not statically known: no MaxDelaySeconds`);
  if (retry.jitter === 'partial') notes.push(`the retry at ${where} adds part of the delay at random: Step Functions offers only full jitter`);
  const notRetried: RetryRule[] = retry.notRetried.length === 0 ? [] : [
    {
      errorEquals: [...retry.notRetried],
      intervalSeconds: 1,
      maxAttempts: 0,
      backoffRate: 1,
      comment: `Not retried: the code gives up at once on ${retry.notRetried.join(', ')}`,
      evidence: retry.errorChecks.filter((check) => check.effect === 'not-retried').map((check) => ({ file: retry.file, line: check.line, text: check.text })),
    },
  ];
  return { rules: [...notRetried, rule], notes };
}

/** Step Functions waits in whole seconds, at least 1: a delay in milliseconds is rounded up. */
export function toIntervalSeconds(delayMs: number | null, where: string): { intervalSeconds: number; note?: string } {
  if (delayMs === null) return { intervalSeconds: 1, note: `the first delay of the retry at ${where} is not statically known: 1 s assumed` };
  const intervalSeconds = Math.max(1, Math.ceil(delayMs / 1000));
  if (intervalSeconds * 1000 !== delayMs) return { intervalSeconds, note: `the retry at ${where} waited ${delayMs} ms first: rounded up to ${intervalSeconds} s, as Step Functions waits in whole seconds` };
  return { intervalSeconds };
}

function getBackoffRate(retry: RetryAnnotation): number {
  if (retry.backoffRate !== null) return Math.max(1, retry.backoffRate);
  const [first, second] = retry.delaysMs;
  if (first !== undefined && second !== undefined && first > 0) return Math.max(1, Math.round((second / first) * 100) / 100);
  return 2;
}

function describeRetry(retry: RetryAnnotation, maxAttempts: number, intervalSeconds: number): string {
  const how = retry.kind === 'helper' && retry.helper ? `the retry helper ${retry.helper.name}` : retry.kind === 'library' ? `${retry.library ?? 'a retry library'}` : `the retry ${retry.kind}`;
  const attempts = retry.attempts === null || retry.unbounded ? 'unbounded attempts' : `${retry.attempts} attempts`;
  const delay = retry.firstDelayMs === null ? 'unknown delay' : `${retry.firstDelayMs} ms first delay`;
  const rounded = retry.firstDelayMs !== null && retry.firstDelayMs !== intervalSeconds * 1000 ? ` (rounded up to ${intervalSeconds} s)` : '';
  return `Replaces ${how} at ${retry.file}:${retry.line}: ${attempts} (${maxAttempts} retries), ${delay}${rounded}, backoff ${retry.backoffRate ?? 'derived'}`;
}
