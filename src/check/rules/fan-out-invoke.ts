import type { FanOutAnnotation } from '../../types/annotations.js';
import type { GraphEdge } from '../../types/graph.js';
import type { CheckRule } from '../check-rule.js';
import { getCallSite } from '../check-rule.js';

/**
 * `Promise.all` (and its kin: allSettled, any, race, p-map, async-style callbacks) over Lambda invokes: one finding
 * per fan-out of each function, however many invokes it starts (a Promise.all of two invokes is one finding).
 */
export const fanOutInvoke: CheckRule = {
  id: 'fan-out-invoke',
  defaultSeverity: 'warning',
  description: 'A function invokes Lambda functions concurrently: Promise.all (allSettled, any, race, p-map...) over a list or a fixed set of invokes.',
  rationale: 'The caller holds every call open and is billed until the slowest returns; one failure rejects the lot, and concurrency limits and partial failures are code.',
  fix: 'Use a Step Functions Map state (MaxConcurrency, ToleratedFailurePercentage) over the items, or a Parallel state for a fixed set of calls.',
  check: ({ graph }) => {
    const sites = new Map<string, { fanOut: FanOutAnnotation; function: string; edges: GraphEdge[] }>();
    for (const edge of graph.edges) {
      if (edge.kind !== 'invoke-sync' && edge.kind !== 'invoke-async') continue;
      for (const fanOut of edge.annotations?.fanOuts ?? []) {
        if (fanOut.kind === 'sequential-map') continue;
        const id = JSON.stringify([edge.from, fanOut.file, fanOut.line, fanOut.kind, fanOut.combinator]);
        const site = sites.get(id) ?? { fanOut, function: edge.from, edges: [] };
        site.edges.push(edge);
        sites.set(id, site);
      }
    }
    return [...sites.values()].map(({ fanOut, function: caller, edges }) => {
      const fanOutAt = { file: fanOut.file, line: fanOut.line };
      const targets = [...new Set(edges.map((edge) => edge.to))];
      return {
        message: `${caller} invokes ${joinNames(targets)} ${describeFanOut(fanOut)}: it is billed until the slowest call returns${fanOut.toleratesFailures ? '' : ', and one failure rejects them all'}`,
        location: fanOutAt,
        function: caller,
        key: [...[...targets].sort(), fanOut.kind, fanOut.combinator, fanOut.collection ?? ''],
        evidence: [fanOutAt],
        ignoreAlsoAt: edges.map(getCallSite),
        related: edges.map((edge) => ({ location: getCallSite(edge), message: `the invoke of ${edge.to}` })),
      };
    });
  },
};

function describeFanOut(fanOut: FanOutAnnotation): string {
  const combinator = COMBINATORS[fanOut.combinator] ?? fanOut.combinator;
  const limit = fanOut.maxConcurrency === undefined ? ', with no concurrency limit' : fanOut.maxConcurrency === null ? ', with a concurrency limit' : `, at most ${fanOut.maxConcurrency} at once`;
  return fanOut.kind === 'map' ? `once per element of ${fanOut.collection ?? 'a list'} with ${combinator}${limit}` : `in parallel (${combinator})`;
}

function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const COMBINATORS: Partial<Record<FanOutAnnotation['combinator'], string>> = {
  all: 'Promise.all',
  allSettled: 'Promise.allSettled',
  any: 'Promise.any',
  race: 'Promise.race',
  forEach: 'forEach with an async callback',
};
