import type { Node } from 'ts-morph';
import { addEventSource } from './event-sources.js';
import { buildFunction } from './lambda-functions.js';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { buildQueue } from './messaging-resources.js';
import { createRule } from './rules.js';
import { getBoolean, getNumber, getText, toObj, toStr, UNDEF, type CdkConstruct, type ConstructKind, type Value } from './values.js';

/**
 * AWS Solutions Constructs (`@aws-solutions-constructs/*`), whose source is never in the analysed repository:
 * what each pattern creates, with the construct ids, defaults and environment variables of the library
 * (`LambdaToSqs` makes `LambdaFunction`, `queue` and `queue-dlq` with 15 receives, and sets `SQS_QUEUE_URL`).
 * Members keep the pattern's id in their node id (`Orders/lambda-to-sqs/queue`). `existing*Obj` props reuse the
 * app's own constructs.
 */
export const SOLUTIONS_PATTERNS: Record<string, (p: Pattern, props: Value | undefined) => void> = {
  LambdaToSqs: buildLambdaToSqs,
  SqsToLambda: buildSqsToLambda,
  LambdaToSqsToLambda: (p, props) => {
    const producer = new Pattern(p.ctx, p.child('user', 'solutions.LambdaToSqs', 'lambda-to-sqs'), p.node, p.root);
    buildLambdaToSqs(producer, rename(props, { existingLambdaObj: 'existingProducerLambdaObj', lambdaFunctionProps: 'producerLambdaFunctionProps' }));
    const consumer = new Pattern(p.ctx, p.child('user', 'solutions.SqsToLambda', 'sqs-to-lambda'), p.node, p.root);
    const queue = producer.c.fields.get('sqsQueue');
    buildSqsToLambda(
      consumer,
      toObj([
        ['existingLambdaObj', readProp(props, 'existingConsumerLambdaObj') ?? UNDEF],
        ['lambdaFunctionProps', readProp(props, 'consumerLambdaFunctionProps') ?? UNDEF],
        ['existingQueueObj', queue ?? UNDEF],
        ['deployDeadLetterQueue', { t: 'bool', v: false }],
        ['sqsEventSourceProps', readProp(props, 'sqsEventSourceProps') ?? UNDEF],
      ]),
    );
    p.set('producerLambdaFunction', producer.c.fields.get('lambdaFunction'));
    p.set('consumerLambdaFunction', consumer.c.fields.get('lambdaFunction'));
    p.set('sqsQueue', queue);
    p.set('deadLetterQueue', producer.c.fields.get('deadLetterQueue'));
  },
  LambdaToSns: (p, props) => {
    const fn = p.function(props);
    const topic = p.topic(props);
    addEnvironment(p, fn, getText(readProp(props, 'topicArnEnvironmentVariableName')) ?? 'SNS_TOPIC_ARN', topic, 'arn');
    addEnvironment(p, fn, getText(readProp(props, 'topicNameEnvironmentVariableName')) ?? 'SNS_TOPIC_NAME', topic, 'name');
  },
  SnsToLambda: (p, props) => {
    const fn = p.function(props);
    const topic = p.topic(props);
    if (fn && topic) addEventSource(p.ctx, fn, { t: 'inst', name: 'aws_lambda_event_sources.SnsEventSource', args: [{ t: 'construct', c: topic }], node: p.node }, p.ctx.toLocation(p.node), p.node);
  },
  EventbridgeToLambda: (p, props) => {
    const fn = p.function(props);
    if (!fn) return;
    const ruleProps = readProp(props, 'eventRuleProps');
    const target: Value = { t: 'inst', name: 'aws_events_targets.LambdaFunction', args: [{ t: 'construct', c: fn }], node: p.node };
    const rule = createRule(p.ctx, [{ t: 'construct', c: p.c }, toStr('EventsRule'), toObj([...(ruleProps?.t === 'obj' ? ruleProps.props : []), ['targets', { t: 'arr', items: [target] }]])], p.node);
    if (rule.t === 'construct') p.keepPatternId(rule.c);
    p.set('eventsRule', rule);
  },
};

/** The state of one pattern being built: its construct, and the outermost pattern whose id members keep. */
class Pattern {
  constructor(
    readonly ctx: LibraryContext,
    readonly c: CdkConstruct,
    readonly node: Node,
    readonly root: CdkConstruct = c,
  ) {}

  child(kind: ConstructKind, cls: string, id: string): CdkConstruct {
    const member = this.ctx.newConstruct(kind, cls, { t: 'construct', c: this.c }, toStr(id), this.node);
    this.keepPatternId(member);
    return member;
  }

  keepPatternId(member: CdkConstruct): void {
    member.minIdParts = member.path.length - this.root.path.length + 1;
  }

  set(field: string, value: Value | undefined): void {
    if (value) this.c.fields.set(field, value);
  }

  /** `existingLambdaObj`, or a function made from `lambdaFunctionProps` (id `LambdaFunction`). */
  function(props: Value | undefined): CdkConstruct | undefined {
    const existing = readProp(props, 'existingLambdaObj');
    if (existing?.t === 'construct') {
      this.set('lambdaFunction', existing);
      return existing.c;
    }
    const fnProps = readProp(props, 'lambdaFunctionProps');
    if (!fnProps) return undefined;
    const c = this.child('function', 'aws_lambda.Function', 'LambdaFunction');
    buildFunction(this.ctx, 'function', c, fnProps, this.node);
    this.set('lambdaFunction', { t: 'construct', c });
    return c;
  }

  /** `existingQueueObj`, or a queue `queue` with a dead-letter queue `queue-dlq` (15 receives) unless `deployDeadLetterQueue: false`. */
  queue(props: Value | undefined): CdkConstruct | undefined {
    const existing = readProp(props, 'existingQueueObj');
    if (existing?.t === 'construct') {
      this.set('sqsQueue', existing);
      return existing.c;
    }
    let deadLetter: Value | undefined;
    if (getBoolean(readProp(props, 'deployDeadLetterQueue')) !== false) {
      const dlq = this.child('queue', 'aws_sqs.Queue', 'queue-dlq');
      buildQueue(this.ctx, dlq, readProp(props, 'deadLetterQueueProps'), this.node);
      deadLetter = toObj([
        ['queue', { t: 'construct', c: dlq }],
        ['maxReceiveCount', { t: 'num', v: getNumber(readProp(props, 'maxReceiveCount')) ?? 15 }],
      ]);
      this.set('deadLetterQueue', deadLetter);
    }
    const c = this.child('queue', 'aws_sqs.Queue', 'queue');
    const queueProps = readProp(props, 'queueProps');
    buildQueue(this.ctx, c, deadLetter ? toObj([...(queueProps?.t === 'obj' ? queueProps.props : []), ['deadLetterQueue', deadLetter]]) : queueProps, this.node);
    this.set('sqsQueue', { t: 'construct', c });
    return c;
  }

  /** `existingTopicObj`, or a topic `SnsTopic` from `topicProps`. */
  topic(props: Value | undefined): CdkConstruct | undefined {
    const existing = readProp(props, 'existingTopicObj');
    if (existing?.t === 'construct') {
      this.set('snsTopic', existing);
      return existing.c;
    }
    const c = this.child('topic', 'aws_sns.Topic', 'SnsTopic');
    const name = readProp(readProp(props, 'topicProps'), 'topicName');
    this.ctx.model.topics.push({ c, ...(name ? { name } : {}) });
    this.set('snsTopic', { t: 'construct', c });
    return c;
  }
}

function buildLambdaToSqs(p: Pattern, props: Value | undefined): void {
  const fn = p.function(props);
  const queue = p.queue(props);
  addEnvironment(p, fn, getText(readProp(props, 'queueEnvironmentVariableName')) ?? 'SQS_QUEUE_URL', queue, 'url');
}

function buildSqsToLambda(p: Pattern, props: Value | undefined): void {
  const fn = p.function(props);
  const queue = p.queue(props);
  if (!fn || !queue) return;
  const source: Value = { t: 'inst', name: 'aws_lambda_event_sources.SqsEventSource', args: [{ t: 'construct', c: queue }, readProp(props, 'sqsEventSourceProps') ?? UNDEF], node: p.node };
  addEventSource(p.ctx, fn, source, p.ctx.toLocation(p.node), p.node);
}

function addEnvironment(p: Pattern, fn: CdkConstruct | undefined, name: string, target: CdkConstruct | undefined, attribute: 'url' | 'arn' | 'name'): void {
  const record = p.ctx.model.getFunction(fn);
  if (record && target) record.environment.set(name, getAttributeValue(target, attribute));
}

/** Props of a composite pattern passed on to a member under the member's own names. */
function rename(props: Value | undefined, names: Record<string, string>): Value {
  if (props?.t !== 'obj') return toObj();
  const out = toObj(props.props);
  for (const [inner, outer] of Object.entries(names)) out.props.set(inner, props.props.get(outer) ?? UNDEF);
  return out;
}

export { Pattern };
