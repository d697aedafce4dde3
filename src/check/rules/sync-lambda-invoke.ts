import type { CheckRule } from '../check-rule.js';
import { getCallSite, getNodeKinds } from '../check-rule.js';

/** A function waiting on another function: the caller is billed for the callee's run time, and its timeout must cover it. */
export const syncLambdaInvoke: CheckRule = {
  id: 'sync-lambda-invoke',
  defaultSeverity: 'error',
  description: 'A Lambda function invokes another Lambda function synchronously and waits for its result.',
  rationale: 'The caller is billed while it waits, its timeout must cover the callee, and errors and retries pile up in both.',
  fix: 'Let a Step Functions workflow call the functions one after the other, or invoke asynchronously (InvocationType: Event).',
  check: ({ graph }) => {
    const kinds = getNodeKinds(graph);
    return graph.edges
      .filter((edge) => edge.kind === 'invoke-sync' && kinds.get(edge.from) === 'function' && kinds.get(edge.to) !== undefined)
      .map((edge) => ({
        message: `${edge.from} invokes ${edge.to} synchronously: it is billed while ${edge.to} runs, and its timeout must cover it`,
        location: getCallSite(edge),
        function: edge.from,
        key: [edge.to, edge.kind],
        evidence: [getCallSite(edge)],
      }));
  },
};
