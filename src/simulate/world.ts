import { AsyncLocalStorage } from 'node:async_hooks';
import type { Graph, GraphEdge } from '../types/graph.js';
import { FakeTables } from './aws/dynamodb-tables.js';
import { matchesPattern, toFilterableAttributes } from './aws/event-patterns.js';
import { md5, parseJsonText, toBusinessInput, toEventBridgeEvent, toSnsEnvelope, toSnsEvent, toSqsEvent, type QueueMessage, type TopicMessage } from './aws/event-shapes.js';
import type { FaultInjector } from './faults.js';
import type { LoadedHandlers } from './handler-bundles.js';
import { SIMULATED_REGION, type SimulatedResources } from './resources.js';
import { SIMULATED_NOW } from './runtime/registry.js';
import type { Effect, Invocation } from './types.js';

/** The function whose code is running (its handler, the SDK calls it makes): how calls are attributed. */
export const callerStorage = new AsyncLocalStorage<{ function: string }>();

export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** An error as a service would throw it: `name` and `code` for SDK v3 and v2. */
export function serviceError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, code: name, $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 } });
}

/** How many times an asynchronous invoke (an `Event` invoke, an SNS or EventBridge delivery) runs when it keeps failing. */
const ASYNC_ATTEMPTS = 3;
/** Receives of an SQS message without a redrive policy before the simulation gives up on it. */
const RECEIVES_WITHOUT_REDRIVE = 3;

export interface InvokeOptions {
  /** The input to record instead of the event (a split function's part records the function's original event). */
  input?: unknown;
  /** `start` (default): a new invocation; `continue`: a later part of a split function, recorded only if it fails. */
  record?: 'start' | 'continue';
}

/**
 * One run of one scenario in one world: the AWS services the handlers call, answered in-process and recorded.
 * Lambda invokes run the target's handler; SQS, SNS and EventBridge deliver to the consumers the Graph names, in
 * the event shapes AWS uses, after the current work (`drain`); DynamoDB is an in-memory store; other calls are
 * answered with an empty response and noted. Nothing reaches the network.
 */
export class World {
  readonly invocations: Invocation[] = [];
  readonly effects: Effect[] = [];
  readonly notices = new Set<string>();
  private readonly tables = new FakeTables();
  private readonly pending: (() => Promise<void>)[] = [];
  /** Invocations still running: a function keeps running when its caller has stopped waiting (a failed Promise.all). */
  private readonly running = new Set<Promise<InvokeResult>>();
  private nextId = 0;
  private seq = 0;

  constructor(
    private readonly graph: Graph,
    private readonly resources: SimulatedResources,
    private readonly handlers: LoadedHandlers,
    private readonly faults: FaultInjector,
  ) {}

  /** Runs a function as Lambda would: the event is copied in, the result copied out; an injected fault throws first. */
  invoke(fn: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const run = this.run(fn, event, options);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  private async run(fn: string, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const record: Invocation = { function: fn, input: toBusinessInput(options.input ?? event), status: 'ok', seq: this.nextSeq() };
    if (options.record !== 'continue') this.invocations.push(record);
    const fail = (error: { name: string; message: string }): InvokeResult => {
      const target = options.record === 'continue' ? this.invocations.findLast((entry) => entry.function === fn) : record;
      if (target && target.status === 'ok') target.status = error.name;
      return { ok: false, error };
    };
    const fault = this.faults.next(fn);
    if (fault) return fail({ name: fault.name, message: fault.message });
    try {
      const value = await callerStorage.run({ function: fn }, () => this.handlers.call(fn, copyJson(event) ?? {}));
      return { ok: true, value: copyJson(value) ?? null };
    } catch (error) {
      return fail(toErrorInfo(error));
    }
  }

  /** Work to do once the current work is done (asynchronous deliveries). */
  enqueue(work: () => Promise<void>): void {
    this.pending.push(work);
  }

  /** Runs queued deliveries, and those they queue, until nothing is left running or queued. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.running.size > 0) {
      for (let work = this.pending.shift(); work; work = this.pending.shift()) await work();
      await Promise.allSettled(this.running);
    }
  }

  /** An SDK call of a handler (v2 or v3), or of a workflow state (no caller): answered by the simulated service. */
  async call(service: string, operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const caller = callerStorage.getStore()?.function;
    switch (service) {
      case 'lambda':
        return this.callLambda(operation, params);
      case 'sqs':
        return this.callSqs(operation, params);
      case 'sns':
        return this.callSns(operation, params);
      case 'eventbridge':
        return this.callEventBridge(operation, params);
      case 'sfn':
        return this.callStepFunctions(operation, params);
      case 'dynamodb':
      case 'dynamodb-document':
        return this.callDynamoDb(caller, operation, params, service === 'dynamodb');
      default:
        return this.callOther(caller, service, operation, params);
    }
  }

  /** A message left somewhere nothing in the simulation consumes (a dead-letter queue, an external topic). */
  private leaveMessage(target: string, params: unknown): void {
    this.effects.push({ action: 'message', target, params, seq: this.nextSeq() });
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private newId(prefix: string): string {
    this.nextId += 1;
    return `${prefix}-${String(this.nextId).padStart(6, '0')}`;
  }

  private consumersOf(node: string): GraphEdge[] {
    return this.graph.edges.filter((edge) => edge.kind === 'triggers' && edge.from === node);
  }

  // Lambda ---------------------------------------------------------------------------------------------------------

  private async callLambda(operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reference = params.FunctionName as string | undefined;
    const target = this.resources.findNode('function', reference);
    if (!target) {
      this.notices.add(`a Lambda ${operation} of ${reference} reached no function of the app (answered ResourceNotFoundException)`);
      throw serviceError('ResourceNotFoundException', `Function not found: ${reference}`);
    }
    const payloadText = decodeText(operation === 'InvokeAsync' ? params.InvokeArgs : params.Payload);
    const event = payloadText === '' ? {} : parseJsonText(payloadText);
    if (operation === 'InvokeAsync' || params.InvocationType === 'Event') {
      this.enqueueAsyncInvoke(target.id, event, 'an asynchronous invoke');
      return operation === 'InvokeAsync' ? { Status: 202 } : { StatusCode: 202, Payload: '' };
    }
    if (params.InvocationType === 'DryRun') return { StatusCode: 204, Payload: '' };
    if (operation !== 'Invoke') this.notices.add(`Lambda ${operation} is answered as a plain synchronous Invoke`);
    const result = await this.invoke(target.id, event);
    if (result.ok) return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: JSON.stringify(result.value ?? null) };
    return { StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled', Payload: JSON.stringify({ errorType: result.error.name, errorMessage: result.error.message, trace: [] }) };
  }

  /** Lambda's asynchronous invocation: up to three attempts, then the event is dropped (or goes to a destination). */
  private enqueueAsyncInvoke(fn: string, event: unknown, how: string, attempt = 1): void {
    this.enqueue(async () => {
      const result = await this.invoke(fn, event);
      if (result.ok) return;
      if (attempt < ASYNC_ATTEMPTS) this.enqueueAsyncInvoke(fn, event, how, attempt + 1);
      else this.notices.add(`${fn} failed ${ASYNC_ATTEMPTS} times on ${how}: Lambda drops the event (or sends it to the function's on-failure destination)`);
    });
  }

  // SQS ------------------------------------------------------------------------------------------------------------

  private async callSqs(operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (operation === 'GetQueueUrl') {
      const queue = this.resources.findNode('queue', params.QueueName as string);
      if (!queue) throw serviceError('QueueDoesNotExist', `The specified queue ${String(params.QueueName)} does not exist.`);
      return { QueueUrl: this.resources.getQueueUrl(queue.id) };
    }
    if (operation === 'SendMessage') {
      const messageId = this.sendToQueue(params.QueueUrl as string, String(params.MessageBody ?? ''), (params.MessageAttributes ?? {}) as QueueMessage['attributes']);
      return { MessageId: messageId, MD5OfMessageBody: md5(String(params.MessageBody ?? '')) };
    }
    if (operation === 'SendMessageBatch') {
      const entries = (params.Entries ?? []) as { Id: string; MessageBody: string; MessageAttributes?: QueueMessage['attributes'] }[];
      const successful = entries.map((entry) => ({ Id: entry.Id, MessageId: this.sendToQueue(params.QueueUrl as string, entry.MessageBody, entry.MessageAttributes ?? {}), MD5OfMessageBody: md5(entry.MessageBody) }));
      return { Successful: successful, Failed: [] };
    }
    if (['ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility', 'GetQueueAttributes'].includes(operation)) {
      this.notices.add(`SQS ${operation} is answered with an empty response (the simulation delivers messages to the consumers itself)`);
      return {};
    }
    return this.callOther(callerStorage.getStore()?.function, 'sqs', operation, params);
  }

  /** A message on a queue: delivered to its consumer (one per message), or left there when nothing consumes it. */
  private sendToQueue(queueReference: string, body: string, attributes: QueueMessage['attributes']): string {
    const messageId = this.newId('message');
    const queue = this.resources.findNode('queue', queueReference);
    if (!queue) {
      this.notices.add(`a message sent to ${queueReference} reached no queue of the app`);
      this.leaveMessage(queueReference, { body: parseJsonText(body) });
      return messageId;
    }
    const consumer = this.consumersOf(queue.id).find((edge) => this.resources.getNode(edge.to)?.kind === 'function');
    if (!consumer) {
      this.leaveMessage(queue.id, { body: parseJsonText(body) });
      return messageId;
    }
    this.deliverFromQueue(queue.id, consumer, { messageId, body, attributes, receiveCount: 1 });
    return messageId;
  }

  /** One receive of a message by the queue's consumer; a failure makes it visible again, up to the redrive. */
  private deliverFromQueue(queue: string, consumer: GraphEdge, message: QueueMessage): void {
    this.enqueue(async () => {
      const result = await this.invoke(consumer.to, toSqsEvent(message, this.resources.getArn(queue)));
      const reportsFailures = consumer.details?.functionResponseType === 'ReportBatchItemFailures';
      const failedItems = result.ok && reportsFailures ? ((result.value as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures ?? []) : [];
      const failed = !result.ok || failedItems.some((item) => item.itemIdentifier === message.messageId);
      if (!failed) return;
      const redrive = this.graph.edges.find((edge) => edge.kind === 'dead-letter' && edge.from === queue);
      const maxReceives = Number(redrive?.details?.maxReceiveCount ?? this.resources.getNode(queue)?.deadLetter?.maxReceiveCount ?? RECEIVES_WITHOUT_REDRIVE);
      if (message.receiveCount < maxReceives) {
        this.deliverFromQueue(queue, consumer, { ...message, receiveCount: message.receiveCount + 1 });
      } else if (redrive) {
        // The redrive policy moves the message, as it was sent, to the dead-letter queue.
        this.sendToQueue(this.resources.getQueueUrl(redrive.to), message.body, message.attributes);
      } else {
        this.notices.add(`${consumer.to} failed ${maxReceives} receives of a message from ${queue}, which has no redrive policy: SQS would redeliver it until it expires`);
      }
    });
  }

  // SNS ------------------------------------------------------------------------------------------------------------

  private async callSns(operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (operation === 'Publish') {
      const messageId = this.publish(params.TopicArn as string | undefined, params);
      return { MessageId: messageId };
    }
    if (operation === 'PublishBatch') {
      const entries = (params.PublishBatchRequestEntries ?? []) as (Record<string, unknown> & { Id: string })[];
      return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: this.publish(params.TopicArn as string, entry) })), Failed: [] };
    }
    return this.callOther(callerStorage.getStore()?.function, 'sns', operation, params);
  }

  private publish(topicArn: string | undefined, entry: Record<string, unknown>): string {
    const messageId = this.newId('notification');
    const topic = this.resources.findNode('topic', topicArn);
    const message: TopicMessage = {
      messageId,
      topicArn: topicArn ?? String(entry.TargetArn ?? entry.PhoneNumber ?? ''),
      ...(typeof entry.Subject === 'string' ? { subject: entry.Subject } : {}),
      message: String(entry.Message ?? ''),
      attributes: (entry.MessageAttributes ?? {}) as TopicMessage['attributes'],
    };
    const subscribers = topic ? this.consumersOf(topic.id) : [];
    const delivered = subscribers.filter((edge) => this.matchesFilterPolicy(edge, message));
    if (!topic || subscribers.length === 0) this.leaveMessage(topic?.id ?? message.topicArn, { subject: message.subject ?? null, message: parseJsonText(message.message) });
    for (const edge of delivered) {
      const kind = this.resources.getNode(edge.to)?.kind;
      if (kind === 'function') this.enqueueAsyncInvoke(edge.to, toSnsEvent(message, `${message.topicArn}:${edge.to}`), `a notification from ${topic!.id}`);
      else if (kind === 'queue') this.sendToQueue(this.resources.getQueueUrl(edge.to), edge.details?.rawMessageDelivery === true || edge.details?.rawMessageDelivery === 'true' ? message.message : toSnsEnvelope(message), {});
    }
    return messageId;
  }

  private matchesFilterPolicy(edge: GraphEdge, message: TopicMessage): boolean {
    const policy = parseJsonText(edge.details?.filterPolicy);
    if (policy === undefined || typeof policy !== 'object') return true;
    const scope = edge.details?.filterPolicyScope === 'MessageBody' ? parseJsonText(message.message) : toFilterableAttributes(message.attributes);
    return matchesPattern(policy, scope);
  }

  // EventBridge ------------------------------------------------------------------------------------------------------

  private async callEventBridge(operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (operation !== 'PutEvents') return this.callOther(callerStorage.getStore()?.function, 'eventbridge', operation, params);
    const entries = (params.Entries ?? []) as Record<string, unknown>[];
    return {
      FailedEntryCount: 0,
      Entries: entries.map((entry) => {
        const id = this.newId('event');
        const event = toEventBridgeEvent({ id, source: String(entry.Source ?? ''), detailType: String(entry.DetailType ?? ''), detail: parseJsonText(entry.Detail ?? '{}'), resources: (entry.Resources ?? []) as string[] });
        const bus = this.resources.findNode('bus', String(entry.EventBusName ?? 'default'));
        const rules = bus ? this.consumersOf(bus.id).filter((edge) => this.resources.getNode(edge.to)?.kind === 'function' && matchesPattern(parseJsonText(edge.details?.pattern), event)) : [];
        if (rules.length === 0) this.leaveMessage(bus?.id ?? String(entry.EventBusName ?? 'default'), { source: event.source, detailType: event['detail-type'], detail: event.detail });
        for (const rule of rules) this.enqueueAsyncInvoke(rule.to, event, `an event from ${bus!.id}`);
        return { EventId: id };
      }),
    };
  }

  // Step Functions ---------------------------------------------------------------------------------------------------

  private async callStepFunctions(operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (operation !== 'StartExecution' && operation !== 'StartSyncExecution') return this.callOther(callerStorage.getStore()?.function, 'sfn', operation, params);
    const machine = this.resources.findNode('state-machine', params.stateMachineArn as string | undefined);
    const target = machine?.id ?? String(params.stateMachineArn);
    this.leaveMessage(target, { name: params.name ?? null, input: parseJsonText(params.input ?? '{}') });
    const executionArn = `arn:aws:states:${SIMULATED_REGION}:000000000000:execution:${machine ? this.resources.getName(machine.id) : 'unknown'}:${this.newId('execution')}`;
    if (operation === 'StartSyncExecution') {
      this.notices.add(`a StartSyncExecution of ${target} is answered SUCCEEDED with an empty output (other state machines are not run)`);
      return { executionArn, status: 'SUCCEEDED', output: '{}', startDate: new Date(SIMULATED_NOW), stopDate: new Date(SIMULATED_NOW) };
    }
    return { executionArn, startDate: new Date(SIMULATED_NOW) };
  }

  // DynamoDB and the rest --------------------------------------------------------------------------------------------

  private async callDynamoDb(caller: string | undefined, operation: string, params: Record<string, unknown>, low: boolean): Promise<Record<string, unknown>> {
    const before = this.tables.writes.length;
    const output = this.tables.handle(operation, params, low);
    for (const write of this.tables.writes.slice(before)) {
      this.effects.push({ ...(caller ? { function: caller } : {}), action: `dynamodb:${write.action}`, target: write.table, params: write.params, seq: this.nextSeq() });
    }
    return output;
  }

  /** Any other call: a write is recorded as an effect, a read answered empty; both noted once. */
  private async callOther(caller: string | undefined, service: string, operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (/^(Get|List|Describe|Head|Query|Scan|BatchGet|Select)/.test(operation)) {
      this.notices.add(`${service}:${operation} is answered with an empty response (not simulated)`);
      return {};
    }
    const known = (service === 'ses' || service === 'sesv2') && operation.startsWith('Send');
    if (!known) this.notices.add(`${service}:${operation} is recorded and answered with an empty response (not simulated)`);
    this.effects.push({ ...(caller ? { function: caller } : {}), action: `${service}:${operation}`, params, seq: this.nextSeq() });
    return known ? { MessageId: this.newId('email') } : {};
  }
}

/** A value through JSON, as Lambda passes events and results (undefined becomes absent). */
export function copyJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

export function toErrorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  if (error && typeof error === 'object' && 'name' in error) return { name: String((error as { name: unknown }).name), message: String((error as { message?: unknown }).message ?? '') };
  return { name: 'Error', message: String(error) };
}

function decodeText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value);
}
