import type { GraphEdge } from '../../types/graph.js';
import { compareByteOrder } from '../../util/byte-order.js';
import type { CheckRule } from '../check-rule.js';
import { describeCall, getCallSite, getNodeKinds, isCodeEdge } from '../check-rule.js';

/** A function that invokes itself, and calls that go round in a cycle (directly, or through queues and topics). */
export const recursiveInvoke: CheckRule = {
  id: 'recursive-invoke',
  defaultSeverity: 'error',
  description: 'A function invokes itself, or calls go round in a cycle of functions, queues and topics.',
  rationale: 'A loop of invocations can run away (AWS stops some after 16 rounds, not all), and no workflow can show or bound it.',
  fix: 'Make the repetition explicit: a Step Functions loop (Choice back to a Task) or a Map over the items, with a bound on the rounds.',
  check: ({ graph }) => {
    const kinds = getNodeKinds(graph);
    const selfCalls = graph.edges
      .filter((edge) => isCodeEdge(edge) && (edge.recursive === true || edge.from === edge.to))
      .map((edge) => ({
        message: `${edge.from} invokes itself (${describeCall(edge.kind, edge.to)}): nothing outside the code bounds how often it runs again`,
        location: getCallSite(edge),
        function: edge.from,
        key: ['self', edge.to, edge.kind],
        evidence: [getCallSite(edge)],
      }));
    const cycles = graph.cycles
      .filter((cycle) => cycle.length > 1)
      .flatMap((cycle) => {
        const members = new Set(cycle);
        const inside = graph.edges.filter((edge) => edge.kind !== 'dead-letter' && members.has(edge.from) && members.has(edge.to) && edge.from !== edge.to);
        const at = inside.filter(isCodeEdge).sort(compareEdgePlaces)[0] ?? inside[0];
        if (!at) return [];
        const route = [at.from, ...getPathBack(inside, at.to, at.from)].join(' → ');
        const functions = cycle.filter((id) => kinds.get(id) === 'function');
        return [
          {
            message: `calls go round in a cycle: ${route}; each round starts the next one, with no bound outside the code`,
            location: getCallSite(at),
            function: functions[0] ?? at.from,
            key: ['cycle', ...cycle],
            evidence: [getCallSite(at)],
            related: inside.filter(isCodeEdge).filter((edge) => edge !== at).map((edge) => ({ location: getCallSite(edge), message: `${edge.from} → ${edge.to} (${edge.kind})` })),
          },
        ];
      });
    return [...selfCalls, ...cycles];
  },
};

function compareEdgePlaces(a: GraphEdge, b: GraphEdge): number {
  return compareByteOrder(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}

/** The nodes from `start` to `goal` along the cycle's edges (breadth first, so the shortest way round), `start` first. */
function getPathBack(edges: readonly GraphEdge[], start: string, goal: string): string[] {
  const previous = new Map<string, string>([[start, start]]);
  const queue = [start];
  for (let i = 0; i < queue.length && !previous.has(goal); i++) {
    for (const edge of edges) {
      if (edge.from !== queue[i] || previous.has(edge.to)) continue;
      previous.set(edge.to, queue[i]);
      queue.push(edge.to);
    }
  }
  if (!previous.has(goal)) return [start];
  const path = [goal];
  while (path[0] !== start) path.unshift(previous.get(path[0])!);
  return path;
}

