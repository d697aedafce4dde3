import type { GeneratedRepo } from './generate-monorepo.js';

/** The parts of the Graph JSON the check reads. */
interface GraphLike {
  nodes: { id: string; kind: string }[];
  edges: { from: string; to: string; kind: string; file?: string; line?: number }[];
  unresolved: unknown[];
  unreached: unknown[];
  diagnostics: { code: string; file?: string; message: string }[];
}

/**
 * Compares a Graph with the one the generator wrote: the same nodes, the same edges (ends, kind, file and line), and
 * nothing unresolved, unreached or diagnosed. Returns the differences, at most `limit` of them; none means exact.
 */
export function compareGraph(expected: Pick<GeneratedRepo, 'nodes' | 'edges'>, graph: GraphLike, limit = 10): string[] {
  const problems: string[] = [];
  diffSets(
    'node',
    expected.nodes.map((node) => `${node.kind} ${node.id}`),
    graph.nodes.map((node) => `${node.kind} ${node.id}`),
    problems,
  );
  diffSets(
    'edge',
    expected.edges.map((edge) => `${edge.from} -${edge.kind}-> ${edge.to} at ${edge.file}:${edge.line}`),
    graph.edges.map((edge) => `${edge.from} -${edge.kind}-> ${edge.to} at ${edge.file}:${edge.line}`),
    problems,
  );
  if (graph.unresolved.length > 0) problems.push(`${graph.unresolved.length} unresolved calls, first: ${JSON.stringify(graph.unresolved[0])}`);
  if (graph.unreached.length > 0) problems.push(`${graph.unreached.length} unreached calls, first: ${JSON.stringify(graph.unreached[0])}`);
  for (const diagnostic of graph.diagnostics) problems.push(`diagnostic ${diagnostic.code} ${diagnostic.file ?? ''}: ${diagnostic.message}`);
  return problems.length > limit ? [...problems.slice(0, limit), `... and ${problems.length - limit} more`] : problems;
}

/** Adds "missing X" / "unexpected X" lines, counting duplicates (an edge found twice is a difference too). */
function diffSets(what: string, expected: string[], actual: string[], problems: string[]): void {
  const counts = new Map<string, number>();
  for (const key of expected) counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const key of actual) counts.set(key, (counts.get(key) ?? 0) - 1);
  for (const [key, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > 0) problems.push(`missing ${what}: ${key}${count > 1 ? ` (×${count})` : ''}`);
    if (count < 0) problems.push(`unexpected ${what}: ${key}${count < -1 ? ` (×${-count})` : ''}`);
  }
}
