import { renderDot } from '../../src/format/dot.js';
import { renderMermaid } from '../../src/format/mermaid.js';
import type { Chain, Graph } from '../../src/types/graph.js';

/**
 * The part of the Graph a chain covers, with what starts its entry (a schedule, a queue): its nodes, the edges
 * between them (calls, triggers, redrive), nothing else. Drawn with the same renderers as `analyze --format`.
 */
export function getChainGraph(graph: Graph, chain: Chain): Graph {
  const ids = new Set(chain.nodes);
  for (const edge of graph.edges) if (edge.to === chain.entry && edge.kind === 'triggers') ids.add(edge.from);
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => ids.has(node.id)),
    edges: graph.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to)),
    chains: [chain],
    cycles: graph.cycles.filter((cycle) => cycle.every((id) => ids.has(id))),
    unresolved: [],
    unreached: [],
    diagnostics: [],
  };
}

export function renderChainDiagrams(graph: Graph, chain: Chain): { mermaid: string; dot: string } {
  const part = getChainGraph(graph, chain);
  return { mermaid: renderMermaid(part), dot: renderDot(part) };
}
