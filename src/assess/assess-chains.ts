import { isSyncEdge, toCountText as plural } from '../format/graph-facts.js';
import type { Chain, Graph, GraphEdge } from '../types/graph.js';

export type AssessmentLabel = 'strong' | 'possible' | 'not recommended';

/** A place in the analysed code; `text` when the source line (or the annotated code) is known. */
export interface AssessmentEvidence {
  file: string;
  line: number;
  text?: string;
}

export type ReasonCode =
  | 'sync-waits'
  | 'hand-written-retries'
  | 'fan-outs'
  | 'error-handling'
  | 'async-hops'
  | 'depth'
  | 'conditions'
  | 'dynamic-targets'
  | 'unresolved-targets'
  | 'latency-sensitive'
  | 'cycle'
  | 'recursion'
  | 'scheduler-only'
  | 'nothing-to-orchestrate';

/** What speaks for (`for`), against (`against`) or rules out (`blocker`) a chain, with the points it adds. */
export interface AssessmentReason {
  code: ReasonCode;
  effect: 'for' | 'against' | 'blocker';
  points: number;
  message: string;
  evidence: AssessmentEvidence[];
}

export interface ChainAssessment {
  chain: Chain;
  /** 1 for the best candidate. */
  rank: number;
  label: AssessmentLabel;
  score: number;
  reasons: AssessmentReason[];
}

/** Scores at or above which a chain without blockers is a strong or a possible candidate. */
export const STRONG_SCORE = 4;
export const POSSIBLE_SCORE = 1;

const ASYNC_HOP_KINDS = new Set(['sqs', 'sns', 'eventbridge', 'invoke-async']);
/** Evidence lists are cut at this many places; the message gives the full count. */
const MAX_EVIDENCE = 8;

/**
 * Ranks the chains of a Graph as Step Functions candidates, best first (ties by entry name). Used by `propose` to
 * order its choices and by the report's candidate assessment.
 */
export function assessChains(graph: Graph): ChainAssessment[] {
  return graph.chains
    .map((chain) => assessChain(graph, chain))
    .sort((a, b) => b.score - a.score || compareText(a.chain.entry, b.chain.entry))
    .map((assessment, index) => ({ ...assessment, rank: index + 1 }));
}

/**
 * For: synchronous waits (the caller is billed while it waits), hand-written retries, fan-outs and compensations
 * (orchestration written in code), asynchronous hops (hard to trace), depth. Against: targets only partly known,
 * unresolved targets, an entry point that answers an HTTP request (latency, and Express only). Ruled out: cycles
 * and recursion (not expressible as a workflow), a lone function (nothing to orchestrate; a scheduled one only
 * needs a scheduler).
 */
export function assessChain(graph: Graph, chain: Chain): Omit<ChainAssessment, 'rank'> {
  const functions = new Set(chain.functions);
  const nodes = new Set(chain.nodes);
  const edges = graph.edges.filter((edge) => functions.has(edge.from) && nodes.has(edge.to) && edge.kind !== 'triggers' && edge.kind !== 'dead-letter');
  const reasons: AssessmentReason[] = [];
  const add = (code: ReasonCode, effect: AssessmentReason['effect'], points: number, message: string, evidence: AssessmentEvidence[]) => {
    reasons.push({ code, effect, points, message, evidence: dedupe(evidence).slice(0, MAX_EVIDENCE) });
  };

  const recursive = edges.filter((edge) => edge.recursive === true || edge.from === edge.to);
  if (recursive.length > 0) add('recursion', 'blocker', 0, `${plural(recursive.length, 'function invokes', 'functions invoke')} itself: a workflow cannot express recursion`, recursive.map(at));
  const cycle = graph.cycles.find((ids) => ids.length > 1 && ids.every((id) => nodes.has(id)));
  if (chain.hasCycle && recursive.length === 0) {
    const onCycle = new Set(cycle ?? []);
    add('cycle', 'blocker', 0, `the chain calls back into itself${cycle ? ` (${[...cycle, cycle[0]].join(' → ')})` : ''}: a workflow cannot express the loop`, edges.filter((edge) => onCycle.has(edge.from) && onCycle.has(edge.to)).map(at));
  }
  if (chain.functions.length === 1 && edges.length === 0) {
    if (chain.triggers.includes('schedule')) add('scheduler-only', 'blocker', 0, 'a scheduled function that calls no other function: a scheduler is all it needs', []);
    else add('nothing-to-orchestrate', 'blocker', 0, 'a single function that calls no other: nothing to orchestrate', []);
  }

  const sync = edges.filter((edge) => isSyncEdge(edge));
  if (sync.length > 0) add('sync-waits', 'for', 2 * sync.length, `${plural(sync.length, 'synchronous call')}: the caller is billed while it waits`, sync.map(at));
  const retried = edges.filter((edge) => (edge.annotations?.retries ?? []).some((retry) => retry.kind !== 'sdk-client'));
  if (retried.length > 0) {
    const evidence = retried.flatMap((edge) => (edge.annotations?.retries ?? []).filter((retry) => retry.kind !== 'sdk-client').map((retry) => ({ file: retry.file, line: retry.line, text: retry.text })));
    add('hand-written-retries', 'for', 2 * retried.length, `${plural(retried.length, 'call')} retried by hand: Retry does it declaratively`, evidence);
  }
  const fannedOut = edges.filter((edge) => (edge.annotations?.fanOuts ?? []).length > 0);
  if (fannedOut.length > 0) {
    const evidence = fannedOut.flatMap((edge) => (edge.annotations?.fanOuts ?? []).map((fanOut) => ({ file: fanOut.file, line: fanOut.line, text: fanOut.text })));
    add('fan-outs', 'for', 2, `${plural(dedupe(evidence).length, 'fan-out')} in code: a Map or Parallel state`, evidence);
  }
  const compensated = edges.filter((edge) => edge.annotations?.compensation !== undefined);
  if (compensated.length > 0) {
    const evidence = compensated.map((edge) => ({ file: edge.annotations!.compensation!.file, line: edge.annotations!.compensation!.line, text: edge.annotations!.compensation!.text }));
    add('error-handling', 'for', 2, 'error handling that undoes earlier work: Catch to compensation states', evidence);
  }
  const hops = edges.filter((edge) => ASYNC_HOP_KINDS.has(edge.kind));
  if (hops.length > 0) add('async-hops', 'for', hops.length, `${plural(hops.length, 'asynchronous hop')} (queues, topics, asynchronous invokes): hard to trace and retry today`, hops.map(at));
  if (chain.depth >= 2) add('depth', 'for', 1, `${chain.depth} function hops deep`, []);
  const conditional = edges.filter((edge) => (edge.annotations?.conditions ?? []).length > 0);
  if (conditional.length > 0) {
    const evidence = conditional.flatMap((edge) => (edge.annotations?.conditions ?? []).map((condition) => ({ file: condition.file, line: condition.line, text: condition.text })));
    add('conditions', 'for', 0, `${plural(conditional.length, 'call')} made under a condition: a Choice state shows the branch`, evidence);
  }

  const dynamic = edges.filter((edge) => edge.dynamic === true);
  if (dynamic.length > 0) add('dynamic-targets', 'against', -2, `${plural(dynamic.length, 'target')} matched from a partly dynamic name: the workflow must fix which function runs`, dynamic.map(at));
  const unresolved = graph.unresolved.filter((item) => item.from !== undefined && functions.has(item.from));
  if (unresolved.length > 0) {
    add('unresolved-targets', 'against', -2, `${plural(unresolved.length, 'call')} with a target that could not be resolved`, unresolved.map((item) => ({ file: item.file, line: item.line, text: item.target })));
  }
  if (chain.triggers.includes('http')) {
    add('latency-sensitive', 'against', -1, 'answers an HTTP request: only a synchronous Express workflow (at most 5 minutes) can answer it, and each state adds latency', []);
  }

  const score = reasons.reduce((sum, reason) => sum + reason.points, 0);
  const blocked = reasons.some((reason) => reason.effect === 'blocker');
  const label: AssessmentLabel = blocked ? 'not recommended' : score >= STRONG_SCORE ? 'strong' : score >= POSSIBLE_SCORE ? 'possible' : 'not recommended';
  return { chain, label, score: blocked ? Math.min(score, 0) : score, reasons };
}

function at(edge: GraphEdge): AssessmentEvidence {
  return { file: edge.file, line: edge.line };
}

function dedupe(evidence: AssessmentEvidence[]): AssessmentEvidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = `${item.file}:${item.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
