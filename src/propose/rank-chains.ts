import type { Chain, Graph, GraphEdge } from '../types/graph.js';

export type CandidateLabel = 'strong' | 'possible' | 'not recommended';

/** A chain assessed as a migration candidate: what speaks for and against it. */
export interface ChainCandidate {
  chain: Chain;
  label: CandidateLabel;
  score: number;
  reasons: string[];
}

/**
 * Ranks the chains as Step Functions candidates. For: synchronous waits (a caller paying while it waits),
 * hand-written retries, fan-outs and compensations (orchestration in code), queues and topics between functions.
 * Against: cycles and recursion (not expressible), dynamic or unresolved targets (not known statically), a lone
 * function (nothing to orchestrate).
 */
export function rankChains(graph: Graph): ChainCandidate[] {
  const candidates = graph.chains.map((chain) => assessChain(graph, chain));
  return candidates.sort((a, b) => b.score - a.score || (a.chain.entry < b.chain.entry ? -1 : a.chain.entry > b.chain.entry ? 1 : 0));
}

function assessChain(graph: Graph, chain: Chain): ChainCandidate {
  const functions = new Set(chain.functions);
  const nodes = new Set(chain.nodes);
  const edges = graph.edges.filter((edge) => functions.has(edge.from) && nodes.has(edge.to) && edge.kind !== 'triggers' && edge.kind !== 'dead-letter');
  const reasons: string[] = [];
  let score = 0;
  const count = (predicate: (edge: GraphEdge) => boolean) => edges.filter(predicate).length;
  if (chain.hasCycle || edges.some((edge) => edge.recursive)) {
    return { chain, label: 'not recommended', score: -10, reasons: ['has a cycle or recursion, which a workflow cannot express: left to you'] };
  }
  if (chain.functions.length === 1 && edges.length === 0) {
    const scheduled = chain.triggers.includes('schedule');
    return { chain, label: 'not recommended', score: -5, reasons: [scheduled ? 'a scheduled function that calls nothing: a scheduler is all it needs' : 'a single function that calls nothing: nothing to orchestrate'] };
  }
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };
  if (chain.syncInvokes > 0) add(2 * chain.syncInvokes, `${chain.syncInvokes} synchronous invoke${chain.syncInvokes > 1 ? 's' : ''}: callers pay while they wait`);
  const retries = count((edge) => (edge.annotations?.retries ?? []).some((retry) => retry.kind !== 'sdk-client'));
  if (retries > 0) add(2 * retries, `${retries} hand-written retr${retries > 1 ? 'ies' : 'y'}: Retry does it declaratively`);
  const fanOuts = count((edge) => (edge.annotations?.fanOuts ?? []).length > 0);
  if (fanOuts > 0) add(2, `fan-out${fanOuts > 1 ? 's' : ''} in code: Map or Parallel`);
  const compensations = count((edge) => edge.annotations?.compensation !== undefined);
  if (compensations > 0) add(2, 'error handling that undoes earlier work: Catch to compensation states');
  const hops = count((edge) => ['sqs', 'sns', 'eventbridge', 'invoke-async'].includes(edge.kind));
  if (hops > 0) add(hops, `${hops} asynchronous hop${hops > 1 ? 's' : ''} (queues, topics, async invokes): hard to trace today`);
  if (chain.depth >= 2) add(1, `${chain.depth} function hops deep`);
  const dynamic = count((edge) => edge.dynamic === true);
  if (dynamic > 0) add(-2, `${dynamic} target${dynamic > 1 ? 's' : ''} matched from a partly dynamic name`);
  const unresolved = graph.unresolved.filter((item) => item.from !== undefined && functions.has(item.from)).length;
  if (unresolved > 0) add(-2, `${unresolved} call${unresolved > 1 ? 's' : ''} with an unresolved target`);
  if (chain.triggers.includes('http')) reasons.push('answers an HTTP request: a synchronous Express workflow keeps the latency');
  const label: CandidateLabel = score >= 4 ? 'strong' : score >= 1 ? 'possible' : 'not recommended';
  return { chain, label, score, reasons };
}
