import type { EdgeKind, Graph, GraphEdge, GraphNode } from '../types/graph.js';
import type { MovedCall } from '../types/plan.js';

/** Code edges: calls made by a function's code (not IaC triggers or redrives). */
const CODE_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set(['invoke-sync', 'invoke-async', 'sqs', 'sns', 'eventbridge', 'sfn-start', 'http']);

/** Lookups over a Graph that the mapping rules share. */
export interface GraphIndex {
  graph: Graph;
  getNode(id: string): GraphNode | undefined;
  /** The calls a function's code makes, in the order they run in the handler (by the handler-level call site). */
  getCallsOf(functionId: string): GraphEdge[];
  /** The functions (or queues) an IaC trigger delivers to from a queue, topic or bus. */
  getConsumersOf(nodeId: string): GraphEdge[];
}

export function createGraphIndex(graph: Graph): GraphIndex {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const calls = new Map<string, GraphEdge[]>();
  const consumers = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    if (CODE_EDGE_KINDS.has(edge.kind)) push(calls, edge.from, edge);
    else if (edge.kind === 'triggers') push(consumers, edge.from, edge);
  }
  for (const list of calls.values()) list.sort(compareCallOrder);
  return {
    graph,
    getNode: (id) => nodes.get(id),
    getCallsOf: (id) => calls.get(id) ?? [],
    getConsumersOf: (id) => consumers.get(id) ?? [],
  };
}

/** Where the call happens in the handler's own code: the outermost call of its call path, else the call site. */
export function getHandlerSite(edge: GraphEdge): { file: string; line: number } {
  return edge.annotations?.callPath?.[0] ?? { file: edge.file, line: edge.line };
}

function compareCallOrder(a: GraphEdge, b: GraphEdge): number {
  const siteA = getHandlerSite(a);
  const siteB = getHandlerSite(b);
  if (siteA.file !== siteB.file) return siteA.file < siteB.file ? -1 : 1;
  return siteA.line - siteB.line || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0);
}

/** Whether an edge is the call an edge reference (`{ file, line, to }`) points at. */
export function isSameCall(edge: GraphEdge, reference: { file: string; line: number; to: string }): boolean {
  return edge.file === reference.file && edge.line === reference.line && edge.to === reference.to;
}

export function toMovedCall(edge: GraphEdge, text: string): MovedCall {
  return { to: edge.to, kind: edge.kind, file: edge.file, line: edge.line, text };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
