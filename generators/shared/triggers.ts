import type { DeploySettings, EntryTrigger } from '../../src/types/deploy.js';
import type { WorkflowPlan } from '../../src/types/plan.js';

/**
 * What to do with each trigger that started a workflow's entry function. Every format supports a different subset
 * (SAM has `ScheduleV2` events, the Serverless plugin REST `http` events, Terraform plain resources...); the format
 * decides, and whatever it cannot re-point becomes a manual step in DEPLOY.md.
 */

/** The triggers of a workflow's entry function, as the repository declared them. */
export function getTriggers(workflow: WorkflowPlan, settings: DeploySettings): EntryTrigger[] {
  return settings.triggers[workflow.name] ?? [];
}

/** `POST /orders (HTTP API, serverless.yml:67)`: how notes name a trigger. */
export function describeTrigger(trigger: EntryTrigger): string {
  const at = `${trigger.at.file}:${trigger.at.line}`;
  switch (trigger.kind) {
    case 'http':
      return `${trigger.method} ${trigger.path} (${trigger.api === 'http' ? 'HTTP API' : 'REST API'}, ${at})`;
    case 'schedule':
      return `the schedule ${trigger.expression} (${at})`;
    case 's3':
      return `S3 notifications of bucket ${trigger.bucket} (${trigger.events.join(', ')}, ${at})`;
    case 'sqs':
      return `messages of queue ${trigger.queue.id} (${at})`;
    case 'other':
      return `the ${trigger.type} trigger${trigger.source ? ` from ${trigger.source}` : ''} (${at})`;
  }
}

/** Whether an HTTP route can wait for the workflow's result: only Express workflows run synchronously. */
export function isSynchronous(workflow: WorkflowPlan): boolean {
  return workflow.type === 'EXPRESS';
}

/** The Step Functions API an API Gateway integration calls for a workflow. */
export function getStartAction(workflow: WorkflowPlan): 'StartSyncExecution' | 'StartExecution' {
  return isSynchronous(workflow) ? 'StartSyncExecution' : 'StartExecution';
}

/** The EventBridge pattern that matches the S3 object events a bucket notification delivered. */
export function getS3EventPattern(trigger: Extract<EntryTrigger, { kind: 's3' }>): Record<string, unknown> {
  const detailTypes = new Set<string>();
  for (const event of trigger.events) {
    if (event.startsWith('s3:ObjectCreated')) detailTypes.add('Object Created');
    else if (event.startsWith('s3:ObjectRemoved')) detailTypes.add('Object Deleted');
    else if (event.startsWith('s3:ObjectRestore')) detailTypes.add('Object Restore Completed');
    else detailTypes.add('Object Created');
  }
  return { source: ['aws.s3'], 'detail-type': [...detailTypes].sort(), detail: { bucket: { name: [trigger.bucket] } } };
}

/** `rate(15 minutes)` and `cron(...)` are what both EventBridge rules and EventBridge Scheduler accept. */
export function getScheduleExpression(trigger: Extract<EntryTrigger, { kind: 'schedule' }>): string {
  return trigger.expression;
}

/** The manual steps that come with re-pointing a trigger, whatever the format. */
export function getTriggerFollowUps(trigger: EntryTrigger, workflow: WorkflowPlan): string[] {
  const remove = `Remove ${describeTrigger(trigger)} from the entry function ${workflow.chain.entry}: the state machine now receives it.`;
  switch (trigger.kind) {
    case 'http':
      return trigger.api === 'http'
        ? [
            remove,
            `The HTTP API passes the request body as the execution input and answers with the ${getStartAction(workflow)} response (\`output\` holds the workflow's result as a JSON string), not with the function's { statusCode, body }: check clients and the entry function's first part, which now receives the body rather than the API Gateway event.`,
          ]
        : [remove];
    case 's3':
      return [
        remove,
        `Turn on EventBridge notifications for bucket ${trigger.bucket} (NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled: true): the rule matches the bucket's EventBridge events, whose shape (detail.bucket.name, detail.object.key) differs from the S3 notification the function received (Records[]).`,
      ];
    case 'sqs':
      return [
        remove,
        'The pipe starts one execution per batch of messages and deletes them once the execution has started (FIRE_AND_FORGET): failures no longer return messages to the queue; the workflow\'s Retry and Catch handle them.',
      ];
    case 'schedule':
      return [remove];
    case 'other':
      return [`Re-point ${describeTrigger(trigger)} at the state machine by hand (details: ${JSON.stringify(trigger.details)}), then remove it from ${workflow.chain.entry}.`];
  }
}
