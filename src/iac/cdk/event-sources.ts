import type { Node } from 'ts-morph';
import type { SourceLocation } from '../../types/diagnostics.js';
import type { RefAttribute, TriggerDef, TriggerKind } from '../../types/inventory.js';
import { toEnumText, toS3Event, toSeconds } from './cdk-enums.js';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { getShortName, getText, toDisplayJson, UNDEF, type CdkConstruct, type ConstructKind, type Value } from './values.js';

/**
 * Event sources of functions and subscriptions of topics: `fn.addEventSource(new SqsEventSource(queue))`,
 * `events: [...]`, event source mappings, `topic.addSubscription(...)`, `new sns.Subscription`, S3 notifications.
 */

/** A construct that can receive events: an entity of the app of one of `kinds`; otherwise reported and undefined. */
export function toTarget(ctx: LibraryContext, value: Value | undefined, kinds: readonly ConstructKind[], node: Node): CdkConstruct | undefined {
  const c = value?.t === 'construct' ? value.c : undefined;
  if (c && kinds.includes(c.kind) && ctx.model.isEntity(c)) return c;
  const what = c?.imported ? `${c.id} is imported, not declared in the app` : c ? `${c.id} is not a ${kinds.join(' or ')}` : 'the target is not known statically';
  ctx.report('cdk-unresolved', 'info', `event source not modelled: ${what}`, node);
  return undefined;
}

/** Where events come from: an attribute of a construct (its ARN), or a string (an ARN written out). */
export function toSource(value: Value | undefined, attribute: RefAttribute): Value | undefined {
  if (value?.t === 'construct') return getAttributeValue(value.c, attribute);
  if (value?.t === 'str' || value?.t === 'unknown') return value;
  return undefined;
}

/** Known details as trigger details: text, numbers, booleans, durations in seconds, enum members by name, objects as JSON. */
export function toDetails(entries: Record<string, Value | undefined>): TriggerDef['details'] {
  const details: TriggerDef['details'] = {};
  for (const [key, value] of Object.entries(entries)) {
    if (!value || value.t === 'undef' || value.t === 'null') continue;
    if (value.t === 'num' || value.t === 'bool') details[key] = value.v;
    else if (value.t === 'str') details[key] = getText(value) ?? toDisplayJson(value);
    else if (value.t === 'call' && toSeconds(value) !== undefined) details[key] = toSeconds(value)!;
    else if (value.t === 'ext') details[key] = toEnumText(value)!;
    else details[key] = toDisplayJson(value);
  }
  return details;
}

function push(ctx: LibraryContext, kind: TriggerKind, from: Value | undefined, to: CdkConstruct, details: TriggerDef['details'], location: SourceLocation): void {
  ctx.model.triggers.push({ kind, ...(from ? { from } : {}), to, details, location });
}

/** `fn.addEventSource(source)` and `events: [source]`: SQS, SNS, DynamoDB / Kinesis streams, S3. */
export function addEventSource(ctx: LibraryContext, fn: CdkConstruct, source: Value, location: SourceLocation, node: Node): void {
  if (source.t !== 'inst' || !source.name.startsWith('aws_lambda_event_sources.')) {
    ctx.report('cdk-unresolved', 'info', `the event source of ${fn.id} is not one the analyzer knows`, node);
    return;
  }
  const [origin, props] = source.args;
  const prop = (key: string) => readProp(props, key);
  switch (getShortName(source.name)) {
    case 'SqsEventSource':
      push(ctx, 'sqs', toSource(origin, 'arn'), fn, toDetails({
        batchSize: prop('batchSize'),
        maximumBatchingWindow: prop('maxBatchingWindow'),
        reportBatchItemFailures: prop('reportBatchItemFailures'),
        maxConcurrency: prop('maxConcurrency'),
        enabled: prop('enabled'),
      }), location);
      break;
    case 'SnsEventSource':
      push(ctx, 'sns', toSource(origin, 'arn'), fn, toDetails({ filterPolicy: prop('filterPolicy') }), location);
      break;
    case 'DynamoEventSource':
    case 'KinesisEventSource': {
      const type = getShortName(source.name) === 'DynamoEventSource' ? 'dynamodb' : 'kinesis';
      const from = origin?.t === 'construct' ? getAttributeValue(origin.c, 'other', `${origin.c.id}.${type === 'dynamodb' ? 'tableStreamArn' : 'streamArn'}`) : undefined;
      push(ctx, 'stream', from, fn, { type, ...toDetails({ startingPosition: prop('startingPosition'), batchSize: prop('batchSize'), enabled: prop('enabled') }) }, location);
      break;
    }
    case 'S3EventSource': {
      const events = prop('events');
      const event = events?.t === 'arr' ? events.items.map(toS3Event).filter((item) => item !== undefined).join(',') : undefined;
      push(ctx, 's3', toBucketName(origin), fn, { ...toDetails({ bucket: toBucketName(origin) }), ...(event ? { event } : {}) }, location);
      break;
    }
    default:
      push(ctx, 'other', undefined, fn, { type: getShortName(source.name) }, location);
  }
}

/** A bucket's name when its props give one, else its construct id (buckets are not nodes of the graph). */
function toBucketName(bucket: Value | undefined): Value | undefined {
  if (bucket?.t !== 'construct') return bucket?.t === 'str' ? bucket : undefined;
  const name = readProp(bucket.c.props, 'bucketName');
  return name?.t === 'str' ? name : { t: 'str', parts: [{ k: 'lit', v: bucket.c.id }] };
}

/** `new lambda.EventSourceMapping(this, id, { target, eventSourceArn })` and `fn.addEventSourceMapping(id, options)`. */
export function addEventSourceMapping(ctx: LibraryContext, fn: CdkConstruct, options: Value | undefined, node: Node): void {
  const arn = readProp(options, 'eventSourceArn');
  const kind = getSourceKind(arn);
  const details = toDetails({ batchSize: readProp(options, 'batchSize'), startingPosition: readProp(options, 'startingPosition'), enabled: readProp(options, 'enabled') });
  if (kind === 'stream') details.type = getStreamType(arn) ?? 'unknown';
  push(ctx, kind, arn, fn, details, ctx.toLocation(node));
}

export function createEventSourceMapping(ctx: LibraryContext, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('other', 'aws_lambda.EventSourceMapping', scope ?? UNDEF, id ?? UNDEF, node);
  const fn = toTarget(ctx, readProp(props, 'target'), ['function'], node);
  if (fn) addEventSourceMapping(ctx, fn, props, node);
  return { t: 'construct', c };
}

/** The construct an ARN value refers to, if it is one attribute of a construct. */
function getReferredConstruct(value: Value | undefined): CdkConstruct | undefined {
  if (value?.t !== 'str') return undefined;
  const refs = value.parts.filter((part) => part.k === 'ref');
  return refs.length === 1 && refs[0].k === 'ref' ? refs[0].c : undefined;
}

function getSourceKind(arn: Value | undefined): TriggerKind {
  const c = getReferredConstruct(arn);
  if (c?.kind === 'queue') return 'sqs';
  if (c?.kind === 'table' || c?.kind === 'stream') return 'stream';
  const text = arn?.t === 'str' ? arn.parts.map((part) => (part.k === 'lit' ? part.v : '')).join('') : '';
  if (/arn:aws[\w-]*:sqs:/.test(text)) return 'sqs';
  if (/arn:aws[\w-]*:(kinesis|dynamodb):/.test(text)) return 'stream';
  return 'other';
}

function getStreamType(arn: Value | undefined): string | undefined {
  const c = getReferredConstruct(arn);
  if (c?.kind === 'table') return 'dynamodb';
  if (c?.kind === 'stream') return 'kinesis';
  const text = arn?.t === 'str' ? arn.parts.map((part) => (part.k === 'lit' ? part.v : '')).join('') : '';
  return /:kinesis:/.test(text) ? 'kinesis' : /:dynamodb:/.test(text) ? 'dynamodb' : undefined;
}

/** `topic.addSubscription(new LambdaSubscription(fn))` / `new SqsSubscription(queue)`: SNS → function or queue. */
export function addSubscription(ctx: LibraryContext, topic: CdkConstruct, subscription: Value | undefined, node: Node): void {
  if (subscription?.t !== 'inst') {
    ctx.report('cdk-unresolved', 'info', `the subscription to ${topic.id} is not one the analyzer knows`, node);
    return;
  }
  const [endpoint, props] = subscription.args;
  const short = getShortName(subscription.name);
  const protocol = short === 'LambdaSubscription' ? 'lambda' : short === 'SqsSubscription' ? 'sqs' : undefined;
  if (!protocol) return; // email, URL, SMS: nothing of ours receives them
  const to = toTarget(ctx, endpoint, [protocol === 'lambda' ? 'function' : 'queue'], node);
  if (!to) return;
  const details = { protocol, ...toDetails({ filterPolicy: readProp(props, 'filterPolicy'), rawMessageDelivery: readProp(props, 'rawMessageDelivery') }) };
  push(ctx, 'sns', getAttributeValue(topic, 'arn'), to, details, ctx.toLocation(node));
}

/** `new sns.Subscription(this, id, { topic, endpoint: fn.functionArn, protocol: SubscriptionProtocol.LAMBDA })`. */
export function createSubscription(ctx: LibraryContext, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('other', 'aws_sns.Subscription', scope ?? UNDEF, id ?? UNDEF, node);
  const protocol = toEnumText(readProp(props, 'protocol'))?.toLowerCase();
  const topic = readProp(props, 'topic');
  const endpoint = getReferredConstruct(readProp(props, 'endpoint'));
  if ((protocol === 'lambda' || protocol === 'sqs') && topic) {
    const to = toTarget(ctx, endpoint ? { t: 'construct', c: endpoint } : undefined, [protocol === 'lambda' ? 'function' : 'queue'], node);
    if (to) push(ctx, 'sns', toSource(topic, 'arn'), to, { protocol, ...toDetails({ filterPolicy: readProp(props, 'filterPolicy') }) }, ctx.toLocation(node));
  }
  return { t: 'construct', c };
}

/** `bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { prefix })`. */
export function addBucketNotification(ctx: LibraryContext, bucket: CdkConstruct, event: string | undefined, destination: Value | undefined, filters: Value[], node: Node): void {
  if (destination?.t !== 'inst') {
    ctx.report('cdk-unresolved', 'info', `the notification destination of ${bucket.id} is not one the analyzer knows`, node);
    return;
  }
  const short = getShortName(destination.name);
  const kinds: Record<string, ConstructKind> = { LambdaDestination: 'function', SqsDestination: 'queue', SnsDestination: 'topic' };
  const kind = kinds[short];
  if (!kind) return;
  const to = toTarget(ctx, destination.args[0], [kind], node);
  if (!to) return;
  const name = toBucketName({ t: 'construct', c: bucket });
  const filter = filters.map((item) => toDisplayJson(item)).join(',');
  const details = { ...toDetails({ bucket: name }), ...(event ? { event } : {}), ...(filter ? { filter } : {}) };
  push(ctx, 's3', name, to, details, ctx.toLocation(node));
}
