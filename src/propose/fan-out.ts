import type { FanOutAnnotation } from '../types/annotations.js';
import type { CatchRule, MapStep, ParallelStep, ResultHandling, Step } from '../types/plan.js';
import type { CallGroup } from './call-groups.js';
import { addFinding, applyRetryAnnotations, ask, getEdgeEvidence, type Cursor, type Flow, type FlowContext } from './flow-context.js';
import { buildHopFlow, type HopOptions } from './hops.js';
import { toPascalCase } from './naming.js';

/** Collections that are S3 listings: a distributed Map can read them itself and is not bound by the state size. */
const S3_LISTING = /\bContents\b|listObjects|ListObjects|\.Keys\b|CommonPrefixes/;

/**
 * A fan-out: `Promise.all`/`allSettled`/`p-map`/... over `items.map(...)` becomes a Map over the array the part
 * returned (`MaxConcurrency` from the limit found); a fixed list of calls becomes a Parallel, one branch per call.
 * `allSettled` keeps every outcome: each iteration or branch answers `{ status, value }` or `{ status, reason }`.
 */
export async function buildFanOutStep(ctx: FlowContext, group: CallGroup, cursor: Cursor, options: HopOptions): Promise<Flow> {
  const fanOut = group.fanOut!;
  const result = getResult(group, cursor, options);
  const step = group.shape === 'map' ? await buildMap(ctx, group, fanOut, cursor, result) : await buildParallel(ctx, group, fanOut, cursor, result);
  return { steps: [step], output: cursor.mode === 'envelope' ? '$.result.Payload' : '$' };
}

function getResult(group: CallGroup, cursor: Cursor, options: HopOptions): ResultHandling {
  if (cursor.mode === 'envelope') return group.waits ? { resultSelector: { 'Payload.$': '$' }, resultPath: '$.result' } : { resultPath: null };
  return options.tail ? { resultPath: '$' } : { resultPath: null };
}

async function buildMap(ctx: FlowContext, group: CallGroup, fanOut: FanOutAnnotation, cursor: Cursor, result: ResultHandling): Promise<MapStep> {
  const edge = group.edges[0]!;
  const evidence = [ctx.lines.getEvidence(fanOut.file, fanOut.line), getEdgeEvidence(ctx, edge)];
  const mode = await chooseMapMode(ctx, fanOut, evidence);
  const iteration = await buildHopFlow(ctx, edge, { mode: 'raw', input: '$' }, { tail: true });
  const steps = iteration.steps;
  // A retry written around the whole fan-out retries the Map; one inside the callback retries each item.
  const outer = (edge.annotations?.retries ?? []).filter((retry) => retry.file === fanOut.file && retry.line < fanOut.line);
  const inner = (edge.annotations?.retries ?? []).filter((retry) => !outer.includes(retry));
  if (steps[0]) applyRetryAnnotations(ctx, steps[0], inner);
  const tolerate = fanOut.toleratesFailures && mode === 'inline';
  const map: MapStep = {
    type: 'map',
    name: ctx.names.allocate(`${toPascalCase(edge.to)}For${fanOut.element ? `Each${toPascalCase(fanOut.element)}` : 'EachItem'}`),
    comment: `${fanOut.combinator === 'for-of' || fanOut.combinator === 'for' ? 'the loop' : fanOut.combinator} over ${fanOut.collection ?? 'an array'} (${fanOut.file}:${fanOut.line})`,
    evidence,
    mode,
    itemsPath: cursor.input,
    ...(getMaxConcurrency(ctx, fanOut, evidence)),
    ...(fanOut.toleratesFailures && mode === 'distributed' ? { toleratedFailurePercentage: 100 } : {}),
    steps: tolerate ? settle(ctx, steps, toPascalCase(edge.to)) : steps,
    result,
    retry: [],
    catch: [],
  };
  applyRetryAnnotations(ctx, map, outer);
  if (fanOut.batchSize !== undefined) {
    addFinding(ctx, 'batched-fan-out', 'info', `the fan-out at ${fanOut.file}:${fanOut.line} processes ${fanOut.batchSize ?? 'some'} items per batch: each Map iteration now takes one item${mode === 'distributed' ? ' (an ItemBatcher can restore batches)' : ''}`, evidence);
  }
  return map;
}

async function buildParallel(ctx: FlowContext, group: CallGroup, fanOut: FanOutAnnotation, cursor: Cursor, result: ResultHandling): Promise<ParallelStep> {
  const branches = [];
  for (const [index, edge] of group.edges.entries()) {
    const flow = await buildHopFlow(ctx, edge, { mode: 'raw', input: `${cursor.input}[${index}]` }, { tail: true });
    if (flow.steps[0]) applyRetryAnnotations(ctx, flow.steps[0], edge.annotations?.retries ?? []);
    branches.push({ label: fanOut.branches?.[edge.annotations?.fanOuts?.[0]?.branch ?? index] ?? edge.to, steps: fanOut.toleratesFailures ? settle(ctx, flow.steps, toPascalCase(edge.to)) : flow.steps });
  }
  if (fanOut.maxConcurrency !== undefined) {
    addFinding(ctx, 'parallel-limit', 'info', `the calls at ${fanOut.file}:${fanOut.line} were limited to ${fanOut.maxConcurrency ?? 'some'} at once; a Parallel runs all its branches at once`);
  }
  return {
    type: 'parallel',
    name: ctx.names.allocate(group.edges.map((edge) => toPascalCase(edge.to)).filter((name, index, all) => all.indexOf(name) === index).slice(0, 3).join('And')),
    comment: `${fanOut.combinator} over ${group.edges.length} calls (${fanOut.file}:${fanOut.line})`,
    evidence: [ctx.lines.getEvidence(fanOut.file, fanOut.line), ...group.edges.map((edge) => getEdgeEvidence(ctx, edge))],
    branches,
    result,
    retry: [],
    catch: [],
  };
}

async function chooseMapMode(ctx: FlowContext, fanOut: FanOutAnnotation, evidence: MapStep['evidence']): Promise<MapStep['mode']> {
  if (!S3_LISTING.test(fanOut.collection ?? fanOut.text)) return 'inline';
  const choice = await ask(ctx, {
    id: `distributed-map:${fanOut.file}:${fanOut.line}`,
    kind: 'distributed-map',
    question: `The fan-out at ${fanOut.file}:${fanOut.line} goes over ${fanOut.collection ?? 'a listing'} of S3 objects: inline or distributed Map?`,
    default: 'distributed',
    alternatives: [
      { value: 'distributed', description: 'child executions with their own history; not bound by the 256 KB state size or 25,000 events' },
      { value: 'inline', description: 'iterations inside this execution: the items must fit in 256 KB' },
    ],
    reason: 'an S3 listing can be larger than a state may hold',
    evidence,
  });
  if (choice === 'distributed') {
    addFinding(ctx, 'distributed-map-reader', 'info', `the distributed Map at ${fanOut.file}:${fanOut.line} iterates over the items the code listed; an ItemReader (s3:listObjectsV2) can list the bucket itself`, evidence);
  }
  return choice === 'distributed' ? 'distributed' : 'inline';
}

function getMaxConcurrency(ctx: FlowContext, fanOut: FanOutAnnotation, evidence: MapStep['evidence']): { maxConcurrency?: number } {
  if (fanOut.kind === 'sequential-map') return { maxConcurrency: 1 };
  if (typeof fanOut.maxConcurrency === 'number') return { maxConcurrency: fanOut.maxConcurrency };
  if (fanOut.maxConcurrency === null) {
    addFinding(ctx, 'concurrency-unknown', 'warning', `the fan-out at ${fanOut.file}:${fanOut.line} limits its concurrency with a value that is not statically known (${fanOut.limitText ?? 'a limit'}): set MaxConcurrency by hand`, evidence);
  }
  return {};
}

/** `allSettled`: every outcome kept, as `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason: { Error, Cause } }`. */
function settle(ctx: FlowContext, steps: Step[], label: string): Step[] {
  if (steps.length === 0) return steps;
  for (const step of steps) {
    if (!('catch' in step)) continue;
    const rejected: Step = {
      type: 'pass',
      name: ctx.names.allocate(`${label}Rejected`),
      comment: 'allSettled: a failure is kept as an outcome',
      evidence: [],
      input: { kind: 'template', template: { status: 'rejected', 'reason.$': '$' } },
      result: { resultPath: '$' },
    };
    const rule: CatchRule = { errorEquals: ['States.ALL'], resultPath: '$', comment: 'allSettled keeps going when a call fails', evidence: [], steps: [rejected] };
    step.catch.push(rule);
  }
  const fulfilled: Step = {
    type: 'pass',
    name: ctx.names.allocate(`${label}Fulfilled`),
    comment: 'allSettled: the result is kept as an outcome',
    evidence: [],
    input: { kind: 'template', template: { status: 'fulfilled', 'value.$': '$' } },
    result: { resultPath: '$' },
  };
  return [...steps, fulfilled];
}
