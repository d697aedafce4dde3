import type { CatchAnnotation, ConditionAnnotation, FanOutAnnotation } from '../types/annotations.js';
import type { GraphEdge } from '../types/graph.js';
import { isChoiceCondition } from './choice-conditions.js';

/**
 * The calls of a function as the workflow sees them: one call, or the calls of one fan-out (a Map over an array, a
 * Parallel over a fixed list). `waits`: the caller waits for the result (a synchronous invoke that is not the
 * handler's return value, a fan-out it awaits) — the function is split there. Otherwise the call hands work on
 * (asynchronous invoke, SQS, SNS, EventBridge, a tail call) and the target runs after the caller's code.
 */
export interface CallGroup {
  edges: GraphEdge[];
  shape: 'single' | 'map' | 'parallel';
  fanOut?: FanOutAnnotation;
  waits: boolean;
  /** Conditions a Choice tests before the call (outermost first). */
  guard: ConditionAnnotation[];
  /**
   * Early returns before the call (`if (orders.length === 0) return ...`): the function is split there, so that the
   * Choice after its part (on `$.done`) ends the workflow instead of making the call.
   */
  exits: ConditionAnnotation[];
  /** The caller's catch clause that handles the call's failure without calling anything (run as an on-error part). */
  caughtBy?: CatchAnnotation;
  /** Calls in the catch clauses that handle this group's failure (compensations). */
  compensations: GraphEdge[];
}

/** Groups a function's calls (in handler order) and sets the compensating calls apart, attached to what they protect. */
export function groupCalls(calls: readonly GraphEdge[]): CallGroup[] {
  const compensations = calls.filter(isCompensation);
  const groups: CallGroup[] = [];
  for (const edge of calls.filter((call) => !isCompensation(call))) {
    const fanOut = edge.annotations?.fanOuts?.find((item) => !isRecordLoop(item));
    const last = groups.at(-1);
    if (fanOut?.kind === 'parallel' && last?.shape === 'parallel' && last.fanOut && isSameSite(last.fanOut, fanOut)) {
      last.edges.push(edge);
      continue;
    }
    const shape = fanOut === undefined ? 'single' : fanOut.kind === 'parallel' ? 'parallel' : 'map';
    groups.push({
      edges: [edge],
      shape,
      ...(fanOut ? { fanOut } : {}),
      waits: isWaitedFor(edge, fanOut),
      guard: (edge.annotations?.conditions ?? []).filter(isChoiceCondition),
      exits: (edge.annotations?.conditions ?? []).filter(isEarlyReturn),
      ...(edge.annotations?.caughtBy ? { caughtBy: edge.annotations.caughtBy } : {}),
      compensations: [],
    });
  }
  for (const compensation of compensations) {
    const protects = compensation.annotations!.compensation!.protects;
    const group = groups.find((candidate) => candidate.edges.some((edge) => protects.some((reference) => edge.file === reference.file && edge.line === reference.line && edge.to === reference.to)));
    group?.compensations.push(compensation);
  }
  for (const group of groups) group.edges.sort((a, b) => (a.annotations?.fanOuts?.[0]?.branch ?? 0) - (b.annotations?.fanOuts?.[0]?.branch ?? 0));
  return groups;
}

/** Whether the function must be split at the group: it waits for the result, or a condition (a guard, an early return) decides whether the call is made. */
export function isBoundary(group: CallGroup): boolean {
  return group.waits || group.guard.length > 0 || group.exits.length > 0;
}

/** An early return before the call; one inside a catch clause is the catch's business. */
function isEarlyReturn(condition: ConditionAnnotation): boolean {
  return condition.form === 'early-exit' && condition.source !== 'error';
}

/** Compensating calls whose protected call is not among the function's calls: reported, not moved. */
export function getOrphanCompensations(calls: readonly GraphEdge[], groups: readonly CallGroup[]): GraphEdge[] {
  const placed = new Set(groups.flatMap((group) => group.compensations));
  return calls.filter((edge) => isCompensation(edge) && !placed.has(edge));
}

/**
 * The loop of a queue or topic consumer over the records of its batch (`for (const record of event.Records)`): not a
 * fan-out of the workflow. Once the queue is collapsed the function receives one message (the handlers generator
 * unpacks the records), so the calls inside happen once per execution.
 */
function isRecordLoop(fanOut: FanOutAnnotation): boolean {
  return fanOut.collectionPath === '$.Records' || /(^|\.)Records$/.test(fanOut.collection ?? '');
}

/** A call in a catch clause that handles the failure of other calls of the same function. */
function isCompensation(edge: GraphEdge): boolean {
  const compensation = edge.annotations?.compensation;
  return compensation !== undefined && compensation.trigger === 'catch' && compensation.protects.length > 0;
}

function isWaitedFor(edge: GraphEdge, fanOut: FanOutAnnotation | undefined): boolean {
  if (fanOut) return fanOut.combinator !== 'forEach' && (edge.kind === 'invoke-sync' || edge.kind === 'sfn-start' && edge.sdk?.operation === 'startSyncExecution');
  if (edge.kind === 'invoke-sync') return edge.annotations?.result?.use !== 'returned';
  if (edge.kind === 'sfn-start') return edge.sdk?.operation === 'startSyncExecution' && edge.annotations?.result?.use !== 'returned';
  return false;
}

function isSameSite(a: FanOutAnnotation, b: FanOutAnnotation): boolean {
  return a.file === b.file && a.line === b.line;
}
