import type {
  CodeLocation,
  CompensationAnnotation,
  ConditionAnnotation,
  ConditionComparison,
  EdgeAnnotations,
  EdgeReference,
  FanOutAnnotation,
  PayloadAnnotation,
  ResultAnnotation,
  RetryAnnotation,
} from '../types/annotations.js';

/**
 * The annotations of one edge as text lines: one line per annotation, a label column then a sentence. Locations
 * in the edge's own file show as `line N`, others as `file:N`.
 */
export function renderAnnotationLines(annotations: EdgeAnnotations | undefined, edgeFile: string, indent: string): string[] {
  if (!annotations) return [];
  const at = (location: CodeLocation) => (location.file === edgeFile ? `line ${location.line}` : `${location.file}:${location.line}`);
  const rows: [string, string][] = [];
  if (annotations.callPath?.length) rows.push(['called via', annotations.callPath.map(at).join(' → ')]);
  for (const retry of annotations.retries ?? []) rows.push(['retry', describeRetry(retry, at)]);
  for (const fanOut of annotations.fanOuts ?? []) rows.push(['fan-out', describeFanOut(fanOut, at)]);
  for (const condition of annotations.conditions ?? []) rows.push(['condition', describeCondition(condition, at)]);
  if (annotations.compensation) rows.push(['compensation', describeCompensation(annotations.compensation, at)]);
  if (annotations.payload) rows.push(['payload', describePayload(annotations.payload, at)]);
  if (annotations.result) rows.push(['result', describeResult(annotations.result, at)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, text]) => `${indent}${label.padEnd(width)}  ${text}`);
}

type At = (location: CodeLocation) => string;

const RETRY_KINDS: Record<RetryAnnotation['kind'], string> = {
  loop: 'loop',
  recursion: 'recursive retry',
  helper: 'retry helper',
  library: 'library',
  'sdk-client': 'SDK client',
};

function describeRetry(retry: RetryAnnotation, at: At): string {
  const what = retry.kind === 'library' || retry.kind === 'sdk-client' ? `${RETRY_KINDS[retry.kind]} ${retry.library ?? ''}`.trim() : RETRY_KINDS[retry.kind];
  const helper = retry.helper ? ` (${retry.helper.name} at ${at(retry.helper)})` : '';
  const attempts = retry.unbounded ? 'unbounded attempts' : retry.attempts === null ? `attempts unknown (${retry.sources.attempts ?? '?'})` : `${retry.attempts} attempts`;
  const parts = [attempts, describeDelays(retry)];
  if (retry.jitter !== 'none') parts.push(`${retry.jitter} jitter`);
  if (retry.retried.length) parts.push(`retried only: ${retry.retried.join(', ')}`);
  if (retry.notRetried.length) parts.push(`not retried: ${retry.notRetried.join(', ')}`);
  const unnamed = retry.errorChecks.filter((check) => !retry.retried.includes(check.text) && !retry.notRetried.includes(check.text));
  if (unnamed.length && !retry.retried.length && !retry.notRetried.length) parts.push(`error checks: ${unnamed.map((check) => check.text).join('; ')}`);
  if (retry.exhausted !== 'unknown') parts.push(`then ${retry.exhausted === 'continue' ? 'continues' : `${retry.exhausted}s`}`);
  return `${what} at ${at(retry)}${helper}: ${parts.join(', ')}`;
}

function describeDelays(retry: RetryAnnotation): string {
  if (retry.firstDelayMs === null) return `delay unknown (${retry.sources.delay ?? '?'})`;
  if (retry.firstDelayMs === 0 && retry.delaysMs.every((delay) => delay === 0)) return 'no delay';
  const list = retry.delaysMs.length > 1 ? `delays ${retry.delaysMs.join(', ')} ms` : `first delay ${retry.firstDelayMs} ms`;
  const backoff = retry.backoffRate === null ? 'backoff irregular' : retry.backoffRate === 1 ? 'constant' : `backoff ×${retry.backoffRate}`;
  const max = retry.maxDelayMs === undefined ? '' : retry.maxDelayMs === null ? `, max ${retry.sources.maxDelay ?? 'unknown'}` : `, max ${retry.maxDelayMs} ms`;
  return `${list} (${backoff}${max})`;
}

const COMBINATORS: Record<FanOutAnnotation['combinator'], string> = {
  all: 'Promise.all',
  allSettled: 'Promise.allSettled',
  any: 'Promise.any',
  race: 'Promise.race',
  'p-map': 'p-map',
  bluebird: 'Bluebird',
  async: 'async',
  forEach: 'forEach (not awaited)',
  'for-of': 'for...of',
  for: 'for loop',
};

function describeFanOut(fanOut: FanOutAnnotation, at: At): string {
  const parts: string[] = [];
  if (fanOut.kind === 'parallel') {
    parts.push(`parallel branch ${(fanOut.branch ?? 0) + 1} of ${fanOut.branches?.length ?? '?'}`);
  } else {
    const element = fanOut.element ? ` (${fanOut.element}${fanOut.elementFields?.length ? `: ${fanOut.elementFields.map((f) => f || 'whole').join(', ')}` : ''})` : '';
    const path = fanOut.collectionPath ? ` = ${fanOut.collectionPath}` : '';
    parts.push(`${fanOut.kind === 'map' ? 'map' : 'sequential map'} over ${fanOut.collection ?? '?'}${path}${element}`);
  }
  parts.push(`with ${COMBINATORS[fanOut.combinator]} at ${at(fanOut)}`);
  if (fanOut.batchSize !== undefined) parts.push(`in batches of ${fanOut.batchSize ?? 'unknown size'}`);
  if (fanOut.kind !== 'sequential-map') {
    const limit = fanOut.maxConcurrency ?? `an unknown number${fanOut.limitText ? ` (${fanOut.limitText})` : ''}`;
    parts.push(fanOut.maxConcurrency === undefined ? 'no concurrency limit' : `at most ${limit} at once`);
  }
  if (fanOut.toleratesFailures) parts.push('failures tolerated');
  return parts.join(', ');
}

function describeCondition(condition: ConditionAnnotation, at: At): string {
  const branch = condition.form === 'early-exit' ? 'after an early exit unless' : `${condition.branch} of`;
  const structured = condition.comparisons.length ? `: ${condition.comparisons.map(describeComparison).join(` ${condition.join ?? 'and'} `)}` : '';
  const source = condition.resultOf ? ` (result of ${at(condition.resultOf)})` : condition.source === 'local' ? '' : ` (${condition.source})`;
  return `${branch} ${condition.form === 'early-exit' ? '' : `${condition.form} `}\`${condition.text}\` at ${at(condition)}${source}${structured}`;
}

function describeComparison(comparison: ConditionComparison): string {
  if (comparison.operator === 'exists' || comparison.operator === 'not-exists' || comparison.operator === 'truthy' || comparison.operator === 'falsy') {
    return `${comparison.path} ${comparison.operator}`;
  }
  const value = comparison.value === undefined ? (comparison.valueText ?? '?') : JSON.stringify(comparison.value);
  return `${comparison.path} ${comparison.operator} ${value}`;
}

function describeCompensation(compensation: CompensationAnnotation, at: At): string {
  const ref = (edge: EdgeReference) => `${edge.to} (${at(edge)})`;
  const trigger = compensation.trigger === 'failed-result' ? `on the failed result checked at ${at(compensation)}` : `in ${compensation.trigger} at ${at(compensation)}`;
  const after = compensation.protects.length ? `, after a failure of ${compensation.protects.map(ref).join(', ')}` : '';
  const when = compensation.errorCondition ? ` when ${compensation.errorCondition}` : '';
  const undoes = compensation.compensates.length ? `; undoes ${compensation.compensates.map(ref).join(', ')}` : '; undoes nothing known';
  return `${trigger}${after}${when}${undoes}`;
}

function describePayload(payload: PayloadAnnotation, at: At): string {
  const size = payload.bytes !== undefined ? `${payload.bytes} bytes` : payload.minBytes !== undefined ? `≥ ${payload.minBytes} bytes` : 'size unknown';
  const fields = payload.fields.map((field) => `${field.key} ← ${field.path ?? field.from}`);
  const spreads = payload.spreads ?? [];
  const list = [...fields, ...spreads].join(', ');
  return `${payload.property} (${payload.encoding}, ${size}) at ${at(payload)}${list ? `: ${list}` : ''}`;
}

function describeResult(result: ResultAnnotation, at: At): string {
  const through = result.returnedThrough?.length ? `returned through ${result.returnedThrough.map(at).join(', ')}, ` : '';
  const fields = result.fields.length ? ` (${result.fields.join(', ')})` : '';
  const reads = result.readLines.length ? `read at ${result.readLines.length === 1 ? 'line' : 'lines'} ${result.readLines.join(', ')}${fields}` : 'never read';
  const used = result.used ? 'used' : 'not used';
  switch (result.use) {
    case 'assigned':
      return `${used}: ${through}assigned to ${result.variable ?? '?'} at ${at(result)}, ${reads}`;
    case 'returned':
      return `used: ${through}returned by the handler at ${at(result)}`;
    case 'discarded':
      return `not used${through ? `: ${through.slice(0, -2)}` : ''}`;
    default:
      // A `.then` callback's parameter receives it: say whether the callback reads it.
      if (result.variable !== undefined) return `${used}: ${through}handed to a callback as ${result.variable} at ${at(result)}, ${reads}`;
      if (!result.used) return `not used: ${through}handed to a callback that takes no parameter at ${at(result)}`;
      return `used: ${through}passed on at ${at(result)}`;
  }
}
