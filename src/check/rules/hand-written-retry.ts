import type { RetryAnnotation } from '../../types/annotations.js';
import type { EdgeKind } from '../../types/graph.js';
import type { CheckRule } from '../check-rule.js';
import { describeCall, getCallSite } from '../check-rule.js';

/** Calls whose retries a workflow state can take over: invokes, sends, publishes and puts. */
const RETRIED_CALLS: ReadonlySet<EdgeKind> = new Set(['invoke-sync', 'invoke-async', 'sqs', 'sns', 'eventbridge']);

/** A loop, recursion, project helper or retry library around a call; the SDK client's own retries are configuration, not code. */
export const handWrittenRetry: CheckRule = {
  id: 'hand-written-retry',
  defaultSeverity: 'error',
  description: 'A hand-written retry (a loop, a recursive function, a retry helper or library) around an invoke, send or publish.',
  rationale: 'The function stays running, and billed, through every attempt and delay; the retry policy hides in code instead of being declared.',
  fix: 'Move the call into a Step Functions Task with a Retry (attempts, interval, backoff, errors), or rely on the SDK client\'s retry configuration.',
  check: ({ graph }) =>
    graph.edges.flatMap((edge) =>
      RETRIED_CALLS.has(edge.kind)
        ? (edge.annotations?.retries ?? [])
            .filter((retry) => retry.kind !== 'sdk-client')
            .map((retry) => {
              const retryAt = { file: retry.file, line: retry.line };
              return {
                message: `${edge.from} retries its ${describeCall(edge.kind, edge.to)} with ${describeRetry(retry)}: the function runs, and is billed, through every attempt and delay`,
                location: retryAt,
                function: edge.from,
                key: [edge.to, edge.kind, retry.kind, retry.library ?? retry.helper?.name ?? ''],
                evidence: [retryAt, getCallSite(edge)],
                ignoreAlsoAt: [getCallSite(edge)],
                related: [
                  { location: getCallSite(edge), message: `the ${describeCall(edge.kind, edge.to)} it retries` },
                  ...(retry.helper ? [{ location: { file: retry.helper.file, line: retry.helper.line }, message: `the loop of ${retry.helper.name}` }] : []),
                ],
              };
            })
        : [],
    ),
};

function describeRetry(retry: RetryAnnotation): string {
  const attempts = retry.unbounded ? 'no limit on the attempts' : retry.attempts === null ? 'attempts not known statically' : `${retry.attempts} attempts`;
  switch (retry.kind) {
    case 'loop':
      return `a retry loop (${attempts})`;
    case 'recursion':
      return `a function that calls itself again (${attempts})`;
    case 'helper':
      return `the retry helper ${retry.helper?.name ?? ''} (${attempts})`.replace('  ', ' ');
    default:
      return `${retry.library ?? 'a retry library'} (${attempts})`;
  }
}
