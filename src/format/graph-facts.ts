import type { EdgeKind, Graph, GraphEdge, GraphNode, NodeKind } from '../types/graph.js';

/** Options shared by every renderer. */
export interface RenderOptions {
  /** A title for the output (diagram title, first line of the text output). */
  title?: string;
}

/** Node kinds in the order summaries list them. */
export const NODE_KINDS: readonly NodeKind[] = ['function', 'queue', 'topic', 'bus', 'state-machine', 'schedule', 'external'];

/** Edge kinds whose caller waits for the callee: drawn solid, counted as sync. Everything else is fire-and-forget. */
const SYNC_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set<EdgeKind>(['invoke-sync', 'http']);

/** Whether the caller waits for the answer: the sync kinds, and `sfn-start` through StartSyncExecution (Express). */
export function isSyncEdge(edge: Pick<GraphEdge, 'kind' | 'sdk'>): boolean {
  return SYNC_EDGE_KINDS.has(edge.kind) || (edge.kind === 'sfn-start' && edge.sdk?.operation === 'startSyncExecution');
}

/** `src/a.ts:12:5`, `src/a.ts:12`, or `src/a.ts` when the line is unknown. */
export function toLocationText(location: { file?: string; line?: number; column?: number }): string {
  if (location.file === undefined) return '';
  if (location.line === undefined) return location.file;
  return location.column === undefined ? `${location.file}:${location.line}` : `${location.file}:${location.line}:${location.column}`;
}

/** `1 queue`, `2 queues`; `plural` when adding an `s` is wrong. */
export function toCountText(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/**
 * The edges grouped by their source node: groups in node order, then sources that are not nodes (a broken
 * graph) in order of first appearance; edges in graph order inside a group.
 */
export function groupEdgesBySource(graph: Graph): { source: string; node?: GraphNode; edges: GraphEdge[] }[] {
  const groups = new Map<string, GraphEdge[]>();
  for (const node of graph.nodes) groups.set(node.id, []);
  for (const edge of graph.edges) {
    const group = groups.get(edge.from);
    if (group) group.push(edge);
    else groups.set(edge.from, [edge]);
  }
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  return [...groups]
    .filter(([, edges]) => edges.length > 0)
    .map(([source, edges]) => ({ source, node: nodes.get(source), edges }));
}

/** One drawn arrow: the edges of the same kind between the same two nodes, which diagrams show once. */
export interface DiagramEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Whether the caller waits (see isSyncEdge). */
  sync: boolean;
  /** How many call sites or declarations it stands for. */
  count: number;
  dynamic: boolean;
}

/** Collapses parallel edges of one kind and sync-ness, keeping the order of their first appearance. */
export function collapseEdges(edges: readonly GraphEdge[]): DiagramEdge[] {
  const byKey = new Map<string, DiagramEdge>();
  for (const edge of edges) {
    const sync = isSyncEdge(edge);
    const key = JSON.stringify([edge.from, edge.to, edge.kind, sync]);
    const existing = byKey.get(key);
    if (existing) {
      existing.count++;
      existing.dynamic ||= edge.dynamic === true;
    } else {
      byKey.set(key, { from: edge.from, to: edge.to, kind: edge.kind, sync, count: 1, dynamic: edge.dynamic === true });
    }
  }
  return [...byKey.values()];
}

/** The label of a drawn arrow: the kind, how many call sites, whether the target is a pattern. */
export function toDiagramEdgeLabel(edge: DiagramEdge): string {
  const parts: string[] = [edge.kind === 'sfn-start' && edge.sync ? 'sfn-start (sync)' : edge.kind];
  if (edge.count > 1) parts.push(`×${edge.count}`);
  if (edge.dynamic) parts.push('(dynamic)');
  return parts.join(' ');
}

/**
 * Every node a diagram must declare: the graph's nodes, then ids that only edges mention (a broken graph still
 * draws), with kind `external`.
 */
export function getDiagramNodes(graph: Graph): GraphNode[] {
  const known = new Set(graph.nodes.map((node) => node.id));
  const extra: GraphNode[] = [];
  for (const edge of graph.edges) {
    for (const id of [edge.from, edge.to]) {
      if (!known.has(id)) {
        known.add(id);
        extra.push({ id, kind: 'external' });
      }
    }
  }
  return [...graph.nodes, ...extra];
}
