import type { CheckRule } from '../check-rule.js';
import { getNodeKinds } from '../check-rule.js';

/** A queue that starts a function but has no redrive policy; dead-letter queues themselves are left out. */
export const queueWithoutDlq: CheckRule = {
  id: 'queue-without-dlq',
  defaultSeverity: 'warning',
  description: 'An SQS queue feeds a Lambda function but has no dead-letter queue (no redrive policy).',
  rationale: 'A message the function keeps failing on is received again and again until its retention period ends, then lost without a trace.',
  fix: 'Give the queue a RedrivePolicy with a deadLetterTargetArn and a maxReceiveCount (or a Step Functions Catch to a dead-letter step).',
  check: ({ graph }) => {
    const kinds = getNodeKinds(graph);
    const deadLetterQueues = new Set(graph.nodes.flatMap((node) => (node.deadLetter ? [node.deadLetter.queue] : [])));
    for (const edge of graph.edges) if (edge.kind === 'dead-letter') deadLetterQueues.add(edge.to);
    return graph.edges
      .filter((edge) => edge.kind === 'triggers' && kinds.get(edge.from) === 'queue' && kinds.get(edge.to) === 'function')
      .flatMap((edge) => {
        const queue = graph.nodes.find((node) => node.id === edge.from);
        if (!queue || queue.deadLetter || deadLetterQueues.has(queue.id)) return [];
        const location = queue.location ?? { file: edge.file, line: edge.line };
        return [
          {
            message: `${queue.id} feeds ${edge.to} but has no dead-letter queue: a message ${edge.to} keeps failing on is retried until it expires, then lost`,
            location,
            function: edge.to,
            key: [queue.id],
            related: queue.location ? [{ location: { file: edge.file, line: edge.line }, message: `where ${queue.id} triggers ${edge.to}` }] : [],
          },
        ];
      });
  },
};
