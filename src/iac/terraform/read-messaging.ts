import type { IacValue, QueueDef, TopicDef } from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import { evaluateRaw } from './evaluate.js';
import type { EntityInfo } from './entity-ids.js';
import { toDetail, type InventoryBuilder } from './inventory-builder.js';
import type { BlockConfig } from './module-config.js';
import type { ModuleCallInstance, ResourceInstance } from './module-instance.js';
import { addEventSourceTrigger } from './read-functions.js';
import { isMap, toBoolean, toJsonValue, toNumber, toText, type TfValue } from './values.js';

type Arguments = (name: string) => TfValue | undefined;

function getArguments(body: Record<string, unknown>, scope: ResourceInstance['scope']): Arguments {
  return (name) => (body[name] === undefined ? undefined : evaluateRaw(body[name], scope));
}

/** `resource "aws_sqs_queue"`, with its `redrive_policy` (jsonencode or a JSON string). */
export function readQueue(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(instance.config.body, instance.scope);
  const queue: QueueDef = dropUndefined({
    id: entity.id,
    name: toNameValue(value('name'), value('name_prefix'), builder),
    fifo: toBoolean(value('fifo_queue')),
    visibilityTimeout: toNumber(value('visibility_timeout_seconds')),
    deadLetter: toDeadLetter(value('redrive_policy'), instance.config, ['redrive_policy'], builder),
    location: builder.locate(instance.config),
    format: 'terraform' as const,
    scope: entity.scope,
  });
  builder.inventory.queues.push(queue);
}

/** `resource "aws_sqs_queue_redrive_policy"`: the policy of a queue declared elsewhere. */
export function readRedrivePolicy(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance.config.body, instance.scope);
  const where = builder.locate(instance.config);
  const target = builder.resolveEntity(value('queue_url'), ['queue']);
  const queue = target && builder.inventory.queues.find((item) => item.id === target.id);
  if (!queue) {
    builder.report('terraform-target-unresolved', `${instance.address}: queue_url does not name a queue of this configuration`, where);
    return;
  }
  const deadLetter = toDeadLetter(value('redrive_policy'), instance.config, ['redrive_policy'], builder);
  if (deadLetter) queue.deadLetter = { ...deadLetter, location: where };
}

/** `{ deadLetterTargetArn, maxReceiveCount }` as the queue's dead letter. */
function toDeadLetter(policy: TfValue | undefined, config: BlockConfig, path: string[], builder: InventoryBuilder): QueueDef['deadLetter'] {
  const redrive = toJsonValue(policy);
  if (!isMap(redrive)) return undefined;
  const targetValue = redrive.get('deadLetterTargetArn');
  const dlq = builder.resolveEntity(targetValue, ['queue']);
  const target: IacValue | undefined = dlq ? { kind: 'ref', target: dlq.id, attribute: 'arn' } : builder.toIacValue(targetValue);
  if (!target) return undefined;
  return dropUndefined({ target, maxReceiveCount: toNumber(redrive.get('maxReceiveCount')), location: builder.locateInner(config, path) });
}

/** `resource "aws_sns_topic"`. */
export function readTopic(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(instance.config.body, instance.scope);
  builder.inventory.topics.push(
    dropUndefined({
      id: entity.id,
      name: toNameValue(value('name'), value('name_prefix'), builder),
      fifo: toBoolean(value('fifo_topic')),
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies TopicDef,
  );
}

/** `resource "aws_sns_topic_subscription"`: `lambda` → the function, `sqs` → the queue. */
export function readSubscription(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance.config.body, instance.scope);
  const topic = value('topic_arn');
  const declared = builder.resolveEntity(topic, ['topic']);
  addSubscription(builder, {
    topic: declared ? { kind: 'ref', target: declared.id, attribute: 'arn' } : builder.toIacValue(topic),
    protocol: toText(value('protocol')),
    endpoint: value('endpoint'),
    settings: new Map([
      ['filterPolicy', value('filter_policy')],
      ['rawMessageDelivery', value('raw_message_delivery')],
    ]),
    location: builder.locate(instance.config),
    what: instance.address,
  });
}

function addSubscription(
  builder: InventoryBuilder,
  subscription: {
    /** The topic the subscription listens to. */
    topic: IacValue | undefined;
    protocol: string | undefined;
    endpoint: TfValue | undefined;
    settings: Map<string, TfValue | undefined>;
    location: { file: string; line: number };
    what: string;
  },
): void {
  const protocol = subscription.protocol?.toLowerCase();
  if (protocol !== 'lambda' && protocol !== 'sqs') return; // email, https, sms...: nothing of ours receives them
  const target = builder.resolveEntity(subscription.endpoint, [protocol === 'lambda' ? 'function' : 'queue']);
  if (!target) {
    builder.report('terraform-target-unresolved', `${subscription.what}: the endpoint is not a ${protocol === 'lambda' ? 'function' : 'queue'} of this configuration`, subscription.location);
    return;
  }
  const from = subscription.topic;
  const details: Record<string, string | number | boolean> = { protocol };
  for (const [key, setting] of subscription.settings) {
    const detail = toDetail(setting, builder);
    if (detail !== undefined) details[key] = detail;
  }
  builder.addTrigger(dropUndefined({ kind: 'sns' as const, from, to: target.id, details, location: subscription.location, format: 'terraform' as const }));
}

/** `resource "aws_lambda_event_source_mapping"`. */
export function readEventSourceMapping(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance.config.body, instance.scope);
  const where = builder.locate(instance.config);
  const fn = builder.resolveEntity(value('function_name'), ['function']);
  if (!fn) {
    builder.report('terraform-target-unresolved', `${instance.address}: function_name does not name a function of this configuration`, where);
    return;
  }
  const settings = new Map<string, TfValue>();
  for (const name of ['batch_size', 'maximum_batching_window_in_seconds', 'starting_position', 'enabled']) {
    const setting = value(name);
    if (setting !== undefined) settings.set(name, setting);
  }
  addEventSourceTrigger(builder, { source: value('event_source_arn'), to: fn.id, settings, location: where, what: instance.address });
}

/** `terraform-aws-modules/sqs/aws`: the queue, and its dead-letter queue when `create_dlq` is set. */
export function readSqsModule(call: ModuleCallInstance, entity: EntityInfo, dlq: EntityInfo | undefined, builder: InventoryBuilder): void {
  const value = getArguments(call.call.body, call.scope);
  const location = builder.locate(call.call);
  const name = value('name');
  const fifo = toBoolean(value('fifo_queue'));
  const prefix = toBoolean(value('use_name_prefix')) === true;
  let deadLetter: QueueDef['deadLetter'];
  const policy = value('redrive_policy');
  if (dlq) {
    const dlqName = value('dlq_name') ?? deriveDlqName(name, fifo);
    builder.inventory.queues.push(
      dropUndefined({
        id: dlq.id,
        name: prefix ? toNameValue(undefined, dlqName, builder) : builder.toIacValue(dlqName),
        fifo,
        location,
        format: 'terraform' as const,
        scope: dlq.scope,
      }),
    );
    const maxReceiveCount = isMap(policy) ? toNumber(policy.get('maxReceiveCount')) : undefined;
    deadLetter = dropUndefined({ target: { kind: 'ref' as const, target: dlq.id, attribute: 'arn' as const }, maxReceiveCount, location: builder.locateInner(call.call, ['create_dlq']) });
  } else {
    deadLetter = toDeadLetter(policy, call.call, ['redrive_policy'], builder);
  }
  builder.inventory.queues.push(
    dropUndefined({
      id: entity.id,
      name: prefix ? toNameValue(undefined, name, builder) : builder.toIacValue(name),
      fifo,
      visibilityTimeout: toNumber(value('visibility_timeout_seconds')),
      deadLetter,
      location,
      format: 'terraform' as const,
      scope: entity.scope,
    }),
  );
}

/** `terraform-aws-modules/sns/aws`: the topic and the `subscriptions` it declares. */
export function readSnsModule(call: ModuleCallInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(call.call.body, call.scope);
  const location = builder.locate(call.call);
  const prefix = toBoolean(value('use_name_prefix')) === true;
  builder.inventory.topics.push(
    dropUndefined({
      id: entity.id,
      name: prefix ? toNameValue(undefined, value('name'), builder) : builder.toIacValue(value('name')),
      fifo: toBoolean(value('fifo_topic')),
      location,
      format: 'terraform' as const,
      scope: entity.scope,
    }),
  );
  const subscriptions = value('subscriptions');
  if (!isMap(subscriptions)) return;
  for (const [key, subscription] of subscriptions) {
    if (!isMap(subscription)) continue;
    addSubscription(builder, {
      topic: { kind: 'ref', target: entity.id, attribute: 'arn' },
      protocol: toText(subscription.get('protocol')),
      endpoint: subscription.get('endpoint'),
      settings: new Map([
        ['filterPolicy', subscription.get('filter_policy')],
        ['rawMessageDelivery', subscription.get('raw_message_delivery')],
      ]),
      location: builder.locateInner(call.call, ['subscriptions']),
      what: `subscription "${key}" of module ${call.localId}`,
    });
  }
}

/** `name`, or `name_prefix` followed by the suffix Terraform generates. */
function toNameValue(name: TfValue | undefined, prefix: TfValue | undefined, builder: InventoryBuilder): IacValue | undefined {
  if (name !== undefined && name !== null) return builder.toIacValue(name);
  const start = builder.toIacValue(prefix ?? undefined);
  if (!start) return undefined;
  return { kind: 'join', parts: [start, { kind: 'unknown', text: 'generated suffix' }] };
}

/** The module's default dead-letter queue name: `<name>-dlq` (`<name>-dlq.fifo` for FIFO queues). */
function deriveDlqName(name: TfValue | undefined, fifo: boolean | undefined): TfValue | undefined {
  const text = toText(name);
  if (text === undefined) return undefined;
  return fifo ? `${text.replace(/\.fifo$/, '')}-dlq.fifo` : `${text}-dlq`;
}
