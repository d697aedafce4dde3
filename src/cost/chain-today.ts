import { isSyncEdge } from '../format/graph-facts.js';
import type { Chain, Graph, GraphEdge, GraphNode } from '../types/graph.js';
import { getFunctionAssumption, getLambdaGbSecondPrice, type CostAssumptions, type FunctionAssumption } from './assumptions.js';

/** One function of a chain as it runs today. */
export interface FunctionCostToday {
  id: string;
  /** Invocations per execution of the chain. */
  invocations: number;
  /** Own time per invocation, in ms. */
  ownMs: number;
  /** Time per invocation spent waiting on synchronous calls, in ms (billed: the caller runs while it waits). */
  waitMs: number;
  memoryMb: number;
  /** Cost per execution of the chain, in dollars. */
  cost: number;
}

export interface ChainCostToday {
  functions: FunctionCostToday[];
  lambdaRequests: number;
  lambdaGbSeconds: number;
  /** The part of `lambdaGbSeconds` spent waiting on synchronous calls. */
  waitingGbSeconds: number;
  perExecution: number;
  monthly: number;
}

/** Edges that carry work along the chain: calls, and queues/topics/buses starting functions. Redrive is a failure path. */
function isFlowEdge(edge: GraphEdge): boolean {
  return edge.kind !== 'dead-letter';
}

/** A compensation runs when what it protects has failed: not on the path the cost model follows. */
function isCompensation(edge: GraphEdge): boolean {
  const compensation = edge.annotations?.compensation;
  return compensation !== undefined && compensation.protects.length > 0;
}

/** A retry written in the code (a loop, a helper, a library), or the platform's own (async invokes, queue redrive). */
function isRetried(edge: GraphEdge, nodes: Map<string, GraphNode>): boolean {
  if ((edge.annotations?.retries ?? []).some((retry) => retry.kind !== 'sdk-client')) return true;
  if (edge.kind === 'invoke-async' || edge.kind === 'sns' || edge.kind === 'eventbridge') return true;
  return edge.kind === 'triggers' && nodes.get(edge.from)?.kind === 'queue';
}

/**
 * How many times the target runs per run of the source: the items of a fan-out over an array (one per item), times
 * the expected attempts when the call is retried.
 */
function getMultiplicity(edge: GraphEdge, nodes: Map<string, GraphNode>, assumptions: CostAssumptions): number {
  const fanOut = edge.annotations?.fanOuts?.at(-1);
  const items = fanOut && fanOut.kind !== 'parallel' ? assumptions.itemsPerMap : 1;
  return items * (isRetried(edge, nodes) ? 1 + assumptions.retryRate : 1);
}

/**
 * The cost of one execution of a chain today: every function billed for its own time and for the time it waits on
 * synchronous calls. Conditions are assumed true (the call is made), compensations and dead-letter paths not
 * taken, each fan-out processes `itemsPerMap` items, a retried call fails `retryRate` of the time and then succeeds.
 * A cycle is followed once.
 */
export function getChainCostToday(graph: Graph, chain: Chain, assumptions: CostAssumptions): ChainCostToday {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const inChain = new Set(chain.nodes);
  const outgoing = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    if (!inChain.has(edge.from) || !inChain.has(edge.to) || !isFlowEdge(edge) || isCompensation(edge)) continue;
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  }
  const functionIds = chain.functions.filter((id) => nodes.get(id)?.kind === 'function' || !nodes.has(id));
  const figures = new Map<string, FunctionAssumption>(functionIds.map((id) => [id, getFunctionAssumption(id, nodes.get(id), assumptions)]));

  const waits = new Map<string, number>();
  const latency = (id: string, path: Set<string>): number => (figures.get(id)?.durationMs ?? 0) + getWait(id, path);
  const getWait = (id: string, path: Set<string>): number => {
    const known = waits.get(id);
    if (known !== undefined) return known;
    if (path.has(id)) return 0;
    const inner = new Set(path).add(id);
    const parallelGroups = new Map<string, number>();
    let total = 0;
    for (const edge of outgoing.get(id) ?? []) {
      if (!isSyncEdge(edge) || !figures.has(edge.to)) continue;
      const callee = latency(edge.to, inner);
      const retry = edge.annotations?.retries?.find((item) => item.kind !== 'sdk-client');
      const retried = retry ? assumptions.retryRate * (callee + (retry.firstDelayMs ?? 0)) : 0;
      const fanOut = edge.annotations?.fanOuts?.at(-1);
      if (fanOut?.kind === 'parallel') {
        const key = `${fanOut.file}:${fanOut.line}`;
        parallelGroups.set(key, Math.max(parallelGroups.get(key) ?? 0, callee + retried));
      } else if (fanOut?.kind === 'map') {
        const concurrency = fanOut.maxConcurrency ?? assumptions.itemsPerMap;
        total += Math.ceil(assumptions.itemsPerMap / Math.max(1, concurrency)) * (callee + retried);
      } else if (fanOut?.kind === 'sequential-map') {
        total += assumptions.itemsPerMap * (callee + retried);
      } else {
        total += callee + retried;
      }
    }
    for (const wait of parallelGroups.values()) total += wait;
    waits.set(id, total);
    return total;
  };

  const invocations = getInvocationCounts(chain.entry, outgoing, nodes, assumptions);
  const gbSecondPrice = getLambdaGbSecondPrice(assumptions);
  const functions: FunctionCostToday[] = [];
  let lambdaRequests = 0;
  let lambdaGbSeconds = 0;
  let waitingGbSeconds = 0;
  for (const id of functionIds) {
    const figure = figures.get(id)!;
    const count = invocations.get(id) ?? 0;
    const waitMs = getWait(id, new Set());
    const gbSeconds = (figure.memoryMb / 1024) * ((figure.durationMs + waitMs) / 1000);
    lambdaRequests += count;
    lambdaGbSeconds += count * gbSeconds;
    waitingGbSeconds += count * (figure.memoryMb / 1024) * (waitMs / 1000);
    functions.push({ id, invocations: count, ownMs: figure.durationMs, waitMs, memoryMb: figure.memoryMb, cost: count * (assumptions.prices.lambdaRequest + gbSeconds * gbSecondPrice) });
  }
  const perExecution = functions.reduce((sum, item) => sum + item.cost, 0);
  return { functions, lambdaRequests, lambdaGbSeconds, waitingGbSeconds, perExecution, monthly: perExecution * assumptions.invocationsPerMonth };
}

/**
 * Runs of every node per execution: the entry runs once; each edge passes its source's count on, multiplied. Nodes
 * are visited in topological order of the chain with back edges (cycles) left out.
 */
function getInvocationCounts(entry: string, outgoing: Map<string, GraphEdge[]>, nodes: Map<string, GraphNode>, assumptions: CostAssumptions): Map<string, number> {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const backEdges = new Set<GraphEdge>();
  // Iterative depth-first search: post-order, then reversed, is a topological order of the acyclic part.
  const stack: { id: string; next: number }[] = [{ id: entry, next: 0 }];
  state.set(entry, 'open');
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    const edges = outgoing.get(top.id) ?? [];
    if (top.next < edges.length) {
      const edge = edges[top.next++]!;
      const seen = state.get(edge.to);
      if (seen === 'open') backEdges.add(edge);
      else if (seen === undefined) {
        state.set(edge.to, 'open');
        stack.push({ id: edge.to, next: 0 });
      }
    } else {
      state.set(top.id, 'done');
      order.push(top.id);
      stack.pop();
    }
  }
  const counts = new Map<string, number>([[entry, 1]]);
  for (const id of order.reverse()) {
    const count = counts.get(id) ?? 0;
    for (const edge of outgoing.get(id) ?? []) {
      if (backEdges.has(edge)) continue;
      counts.set(edge.to, (counts.get(edge.to) ?? 0) + count * getMultiplicity(edge, nodes, assumptions));
    }
  }
  return counts;
}
