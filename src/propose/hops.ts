import type { GraphEdge, GraphNode } from '../types/graph.js';
import type { CatchRule, RetryRule, ServiceStep, Step } from '../types/plan.js';
import { addFinding, addRetryRules, ask, getEdgeEvidence, registerResource, type Cursor, type Flow, type FlowContext } from './flow-context.js';
import { buildFunctionFlow } from './function-flow.js';
import { toPascalCase } from './naming.js';

/** A direct service call (send, publish, put, start) answers within seconds; past this, something is wrong. */
const SERVICE_CALL_TIMEOUT = 30;
/** An Express execution runs at most five minutes. */
const EXPRESS_MAX_SECONDS = 300;

/** Where a hop sits: `tail` when nothing follows it in its sequence, so its output may become the state. */
export interface HopOptions {
  tail: boolean;
}

/**
 * Follows one call to what it reaches: a function's flow, a queue's consumer (or the queue kept, as a send), a
 * topic's or bus's subscribers (one: the next state; several: a Parallel; or kept, as a publish), a state machine
 * (a nested execution). The input is at `cursor.input`.
 */
export async function buildHopFlow(ctx: FlowContext, edge: GraphEdge, cursor: Cursor, options: HopOptions): Promise<Flow> {
  const target = ctx.index.getNode(edge.to);
  if (!target) return { steps: [], output: cursor.input };
  switch (target.kind) {
    case 'function': {
      const flow = await buildFunctionFlow(ctx, target.id, cursor, options);
      if (edge.kind === 'invoke-async' && flow.steps[0]) addRetryRules(flow.steps[0], [asyncInvokeRetry(ctx, edge)]);
      return flow;
    }
    case 'queue':
      return buildQueueHop(ctx, edge, target, cursor, options);
    case 'topic':
    case 'bus':
      return buildSubscribersHop(ctx, edge, target, cursor, options);
    case 'state-machine':
      return { steps: [buildStartExecution(ctx, edge, target, cursor)], output: cursor.input };
    case 'external':
      if (target.service === 'lambda') return buildFunctionFlow(ctx, target.id, cursor, options);
      addFinding(ctx, 'external-target', 'warning', `${edge.from} calls ${target.name ?? target.id} outside this repository (${target.service ?? 'unknown service'}): the call stays in the code`, [getEdgeEvidence(ctx, edge)]);
      return { steps: [], output: cursor.input };
    default:
      return { steps: [], output: cursor.input };
  }
}

/** Lambda retries an asynchronous invocation twice on a function error, one then two minutes later. */
function asyncInvokeRetry(ctx: FlowContext, edge: GraphEdge): RetryRule {
  return {
    errorEquals: ['States.ALL'],
    intervalSeconds: 60,
    maxAttempts: 2,
    backoffRate: 2,
    comment: `Lambda retried the asynchronous invocation at ${edge.file}:${edge.line} twice, 1 and 2 minutes apart`,
    evidence: [getEdgeEvidence(ctx, edge)],
  };
}

async function buildQueueHop(ctx: FlowContext, edge: GraphEdge, queue: GraphNode, cursor: Cursor, options: HopOptions): Promise<Flow> {
  const consumers = ctx.index.getConsumersOf(queue.id).filter((trigger) => ctx.index.getNode(trigger.to)?.kind === 'function');
  const evidence = [getEdgeEvidence(ctx, edge), ...consumers.map((trigger) => getEdgeEvidence(ctx, trigger))];
  const consumer = consumers[0];
  if (!consumer) return { steps: [buildSend(ctx, edge, queue, cursor)], output: cursor.input };
  const choice = await ask(ctx, {
    id: `queue:${queue.id}`,
    kind: 'queue',
    question: `${edge.from} sends to ${queue.id}, consumed by ${consumers.map((trigger) => trigger.to).join(', ')}: collapse the queue into the next step, or keep it as a buffer?`,
    default: 'collapse',
    alternatives: [
      { value: 'collapse', description: `${consumer.to} becomes the next state${queue.deadLetter ? '; the redrive becomes Retry and a dead-letter step' : ''}` },
      { value: 'keep', description: `the workflow sends to ${queue.id} (sqs:sendMessage); ${consumer.to} stays a queue consumer, outside the workflow` },
    ],
    reason: consumers.length === 1 ? 'one consumer: the workflow can run it directly, with retries and error handling in view' : 'several consumers compete for the messages; the first is collapsed',
    evidence,
  });
  if (choice === 'keep') {
    addFinding(ctx, 'queue-kept', 'info', `${queue.id} is kept: ${consumer.to} still consumes it and is not part of the workflow`, evidence);
    return { steps: [buildSend(ctx, edge, queue, cursor)], output: cursor.input };
  }
  if (consumers.length > 1) addFinding(ctx, 'competing-consumers', 'warning', `${queue.id} has ${consumers.length} consumers; only ${consumer.to} is in the workflow`, evidence);
  if (consumer.details?.batchSize !== undefined && Number(consumer.details.batchSize) > 1) {
    addFinding(ctx, 'batch-consumer', 'info', `${consumer.to} read ${queue.id} in batches of up to ${consumer.details.batchSize}: it now receives one message, directly`, [getEdgeEvidence(ctx, consumer)]);
  }
  const flow = await buildFunctionFlow(ctx, consumer.to, cursor, options);
  const first = flow.steps[0];
  if (first && queue.deadLetter) applyRedrive(ctx, first, queue, cursor);
  return flow;
}

/** The queue's redrive: the consumer is retried as often as the queue delivered a message, then the message goes to the dead-letter queue. */
function applyRedrive(ctx: FlowContext, step: Step, queue: GraphNode, cursor: Cursor): void {
  const deadLetter = queue.deadLetter!;
  const redrive = ctx.index.graph.edges.find((edge) => edge.kind === 'dead-letter' && edge.from === queue.id);
  const evidence = redrive ? [getEdgeEvidence(ctx, redrive)] : queue.location ? [ctx.lines.getEvidence(queue.location.file, queue.location.line)] : [];
  const receives = deadLetter.maxReceiveCount;
  if (receives !== undefined && receives > 1) {
    addRetryRules(step, [
      {
        errorEquals: ['States.ALL'],
        intervalSeconds: 30,
        maxAttempts: receives - 1,
        backoffRate: 1,
        comment: `${queue.id} delivered a message up to ${receives} times (maxReceiveCount), after its visibility timeout (30 s assumed; not read from the IaC)`,
        evidence,
      },
    ]);
  }
  const dlq = ctx.index.getNode(deadLetter.queue);
  if (!dlq || !('catch' in step)) return;
  const raw = cursor.mode === 'raw';
  const send = buildSend(ctx, undefined, dlq, { mode: cursor.mode, input: cursor.input }, `SendTo${toPascalCase(dlq.id)}`);
  send.comment = `the message goes to ${dlq.id}, as ${queue.id}'s redrive did`;
  send.evidence = evidence;
  const fail: Step = raw
    ? { type: 'fail', name: ctx.names.allocate(`${toPascalCase(queue.id)}DeadLettered`), comment: `the message was moved to ${dlq.id}`, evidence: [], error: 'DeadLettered', cause: `${queue.id} moved the message to ${dlq.id}` }
    : { type: 'fail', name: ctx.names.allocate(`${toPascalCase(queue.id)}DeadLettered`), comment: `the message was moved to ${dlq.id}`, evidence: [], errorPath: '$.error.Error', causePath: '$.error.Cause' };
  const rule: CatchRule = {
    errorEquals: ['States.ALL'],
    // In raw mode the state is the message itself: keep it as it is for the dead-letter queue.
    resultPath: raw ? null : '$.error',
    comment: `${queue.id}'s redrive to ${dlq.id}`,
    evidence,
    steps: [send, fail],
  };
  step.catch.push(rule);
}

/** `sqs:sendMessage` to a queue: the call kept as a direct service integration. */
function buildSend(ctx: FlowContext, edge: GraphEdge | undefined, queue: GraphNode, cursor: Cursor, name?: string): ServiceStep {
  const resource = registerResource(ctx, queue.id, 'queue', 'url', ['sqs:SendMessage']);
  return {
    type: 'service',
    name: ctx.names.allocate(name ?? `SendTo${toPascalCase(queue.id)}`),
    comment: edge ? `sends to ${queue.id} as the code did at ${edge.file}:${edge.line}` : `sends to ${queue.id}`,
    evidence: edge ? [getEdgeEvidence(ctx, edge)] : [],
    service: 'sqs',
    action: 'sendMessage',
    integration: 'request-response',
    resource: queue.id,
    parameters: { QueueUrl: `\${${resource.placeholder}}`, 'MessageBody.$': cursor.input },
    result: { resultPath: null },
    timeoutSeconds: SERVICE_CALL_TIMEOUT,
    retry: [],
    catch: [],
  };
}

async function buildSubscribersHop(ctx: FlowContext, edge: GraphEdge, hub: GraphNode, cursor: Cursor, options: HopOptions): Promise<Flow> {
  const subscribers = getSubscribers(ctx, hub.id);
  const isTopic = hub.kind === 'topic';
  const evidence = [getEdgeEvidence(ctx, edge), ...subscribers.map((trigger) => getEdgeEvidence(ctx, trigger))];
  if (subscribers.length === 0) return { steps: [buildPublish(ctx, edge, hub, cursor)], output: cursor.input };
  const names = subscribers.map((trigger) => trigger.to).join(', ');
  const choice = await ask(ctx, {
    id: `${isTopic ? 'topic' : 'bus'}:${hub.id}`,
    kind: isTopic ? 'topic' : 'bus',
    question: `${edge.from} ${isTopic ? 'publishes to' : 'puts events on'} ${hub.id}, delivered to ${names}: run ${subscribers.length === 1 ? 'it as the next state' : 'them in parallel'}, or keep the ${isTopic ? 'topic' : 'bus'}?`,
    default: 'collapse',
    alternatives: [
      { value: 'collapse', description: subscribers.length === 1 ? `${names} becomes the next state` : `a Parallel state runs ${names}` },
      { value: 'keep', description: `the workflow ${isTopic ? 'publishes to the topic (sns:publish)' : 'puts the event (events:putEvents)'}; the subscribers stay outside the workflow` },
    ],
    reason: 'every subscriber is a function of this repository: the workflow shows and handles all of them',
    evidence,
  });
  if (choice === 'keep') return { steps: [buildPublish(ctx, edge, hub, cursor)], output: cursor.input };
  for (const trigger of subscribers) {
    const filter = Object.entries(trigger.details ?? {}).find(([key]) => /filter|pattern/i.test(key));
    if (filter) {
      addFinding(ctx, 'filter-policy', 'warning', `${trigger.to} subscribes to ${hub.id} with a filter (${filter[0]}: ${String(filter[1])}) that the workflow does not apply: add a Choice if the filter matters`, [getEdgeEvidence(ctx, trigger)]);
    }
  }
  if (subscribers.length === 1) return buildFunctionFlow(ctx, subscribers[0]!.to, cursor, options);
  const branches = [];
  for (const trigger of subscribers) {
    const flow = await buildFunctionFlow(ctx, trigger.to, { mode: 'raw', input: cursor.input }, { tail: true });
    branches.push({ label: trigger.to, steps: flow.steps });
  }
  const parallel: Step = {
    type: 'parallel',
    name: ctx.names.allocate(`${toPascalCase(hub.id)}Subscribers`),
    comment: `${hub.id} delivered to ${subscribers.length} subscribers (${edge.file}:${edge.line})`,
    evidence,
    branches,
    // Subscribers answered nobody: their results are dropped and the state goes on.
    result: { resultPath: null },
    retry: [],
    catch: [],
  };
  return { steps: [parallel], output: cursor.input };
}

/** Functions a topic or bus delivers to, directly or through a subscribed queue. */
function getSubscribers(ctx: FlowContext, hubId: string): GraphEdge[] {
  const subscribers: GraphEdge[] = [];
  for (const trigger of ctx.index.getConsumersOf(hubId)) {
    const node = ctx.index.getNode(trigger.to);
    if (node?.kind === 'function') subscribers.push(trigger);
    else if (node?.kind === 'queue') subscribers.push(...ctx.index.getConsumersOf(node.id).filter((edge) => ctx.index.getNode(edge.to)?.kind === 'function'));
  }
  return subscribers;
}

function buildPublish(ctx: FlowContext, edge: GraphEdge, hub: GraphNode, cursor: Cursor): ServiceStep {
  const isTopic = hub.kind === 'topic';
  const resource = isTopic ? registerResource(ctx, hub.id, 'topic', 'arn', ['sns:Publish']) : registerResource(ctx, hub.id, 'bus', 'name', ['events:PutEvents']);
  if (!isTopic) {
    addFinding(ctx, 'event-fields', 'info', `the event put on ${hub.id} uses Source ${JSON.stringify(edge.from)} and DetailType ${JSON.stringify(toPascalCase(edge.from))}: check them against the rules that match it`, [getEdgeEvidence(ctx, edge)]);
  }
  return {
    type: 'service',
    name: ctx.names.allocate(isTopic ? `PublishTo${toPascalCase(hub.id)}` : `PutEventOn${toPascalCase(hub.id)}`),
    comment: `${isTopic ? 'publishes to' : 'puts an event on'} ${hub.id} as the code did at ${edge.file}:${edge.line}`,
    evidence: [getEdgeEvidence(ctx, edge)],
    service: isTopic ? 'sns' : 'events',
    action: isTopic ? 'publish' : 'putEvents',
    integration: 'request-response',
    resource: hub.id,
    parameters: isTopic
      ? { TopicArn: `\${${resource.placeholder}}`, 'Message.$': cursor.input }
      : { Entries: [{ EventBusName: `\${${resource.placeholder}}`, Source: edge.from, DetailType: toPascalCase(edge.from), 'Detail.$': cursor.input }] },
    result: { resultPath: null },
    timeoutSeconds: SERVICE_CALL_TIMEOUT,
    retry: [],
    catch: [],
  };
}

/** A call to another state machine: a nested execution, waited for (`.sync:2`) when the caller used its result. */
function buildStartExecution(ctx: FlowContext, edge: GraphEdge, machine: GraphNode, cursor: Cursor): ServiceStep {
  const waits = edge.sdk?.operation === 'startSyncExecution' || edge.annotations?.result?.used === true;
  const resource = registerResource(ctx, machine.id, 'state-machine', 'arn', waits ? ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'] : ['states:StartExecution']);
  return {
    type: 'service',
    name: ctx.names.allocate(`Start${toPascalCase(machine.id)}`),
    comment: `${waits ? 'runs' : 'starts'} ${machine.id} as the code did at ${edge.file}:${edge.line}${waits ? ', as a nested workflow' : ''}`,
    evidence: [getEdgeEvidence(ctx, edge)],
    service: 'states',
    action: 'startExecution',
    integration: waits ? 'sync' : 'request-response',
    resource: machine.id,
    parameters: { StateMachineArn: `\${${resource.placeholder}}`, 'Input.$': cursor.input },
    result: waits
      ? cursor.mode === 'raw'
        ? { resultSelector: { 'Payload.$': '$.Output' }, resultPath: '$', outputPath: '$.Payload' }
        : { resultSelector: { 'Payload.$': '$.Output' }, resultPath: '$.result' }
      : { resultPath: null },
    // StartSyncExecution only runs Express machines, which end within 5 minutes; for others the time is unknown.
    ...(waits ? (edge.sdk?.operation === 'startSyncExecution' ? { timeoutSeconds: EXPRESS_MAX_SECONDS } : {}) : { timeoutSeconds: SERVICE_CALL_TIMEOUT }),
    retry: [],
    catch: [],
  };
}
