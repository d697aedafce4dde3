import type { Graph, GraphEdge } from '../../types/graph.js';
import { compareByteOrder } from '../../util/byte-order.js';
import type { CheckRule } from '../check-rule.js';
import { getCallSite, getNodeKinds, isCodeEdge } from '../check-rule.js';

/** Paths tried per chain before the longest found so far is taken: the graph of a large repository can hold many. */
const PATH_BUDGET = 20_000;
/** Longest path followed (the Graph's own depth search stops at the same length). */
const MAX_PATH = 1000;

/** A chain longer than the threshold in function hops (`thresholds.maxChainDepth`). */
export const deepChain: CheckRule = {
  id: 'deep-chain',
  defaultSeverity: 'warning',
  description: 'A chain of functions, invokes, queues and topics deeper than the configured number of function hops.',
  rationale: 'Every hop adds latency, a failure mode and a place where a retry or a lost message hides; nobody sees the whole flow in one place.',
  fix: 'Orchestrate the chain as a Step Functions workflow (lambda2sfn propose), or split it; raise thresholds.maxChainDepth if the depth is deliberate.',
  check: ({ graph, thresholds }) =>
    graph.chains
      .filter((chain) => chain.depth > thresholds.maxChainDepth)
      .map((chain) => {
        const path = getLongestPath(graph, chain.entry);
        const functionHops = path.filter((edge) => getNodeKinds(graph).get(edge.to) === 'function');
        // Shown where the chain crosses the limit: the code edge that leads to the first function over it.
        const over = functionHops[thresholds.maxChainDepth] ?? functionHops[functionHops.length - 1];
        const upTo = over ? path.slice(0, path.indexOf(over) + 1) : path;
        const at = upTo.filter(isCodeEdge).pop() ?? over;
        const entryNode = graph.nodes.find((node) => node.id === chain.entry);
        const location = at ? getCallSite(at) : (entryNode?.location ?? { file: '.', line: 1 });
        const route = [chain.entry, ...path.map((edge) => edge.to)].join(' → ');
        return {
          message: `the chain from ${chain.entry} is ${chain.depth} function hops deep (more than ${thresholds.maxChainDepth}): ${route}`,
          location,
          function: chain.entry,
          key: [chain.entry],
          related: path.filter(isCodeEdge).map((edge) => ({ location: getCallSite(edge), message: `${edge.from} → ${edge.to} (${edge.kind})` })),
        };
      }),
};

/**
 * The longest path from `entry` counted in function hops, as the Graph counts a chain's depth (every edge but a
 * queue's redrive, each node once per path). Ties go to the first path in id order, so the result is stable.
 */
export function getLongestPath(graph: Graph, entry: string): GraphEdge[] {
  const kinds = getNodeKinds(graph);
  const outgoing = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    if (edge.kind === 'dead-letter') continue;
    const list = outgoing.get(edge.from) ?? [];
    // One edge per successor: the first code edge, in the Graph's order, stands for the hop.
    const existing = list.findIndex((other) => other.to === edge.to);
    if (existing < 0) list.push(edge);
    else if (!isCodeEdge(list[existing]) && isCodeEdge(edge)) list[existing] = edge;
    outgoing.set(edge.from, list);
  }
  for (const list of outgoing.values()) list.sort((a, b) => compareByteOrder(a.to, b.to));
  let best: GraphEdge[] = [];
  let bestHops = -1;
  let budget = PATH_BUDGET;
  const onPath = new Set<string>([entry]);
  const path: GraphEdge[] = [];
  const visit = (id: string, hops: number): void => {
    if (budget-- <= 0 || path.length > MAX_PATH) return;
    if (hops > bestHops) {
      bestHops = hops;
      best = [...path];
    }
    for (const edge of outgoing.get(id) ?? []) {
      if (onPath.has(edge.to)) continue;
      onPath.add(edge.to);
      path.push(edge);
      visit(edge.to, hops + (kinds.get(edge.to) === 'function' ? 1 : 0));
      path.pop();
      onPath.delete(edge.to);
    }
  };
  visit(entry, 0);
  // Trailing hops that reach no further function (a queue nobody reads) do not make the chain deeper.
  while (best.length > 0 && kinds.get(best[best.length - 1].to) !== 'function') best.pop();
  return best;
}
