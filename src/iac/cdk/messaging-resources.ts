import type { Node } from 'ts-morph';
import type { QueueRecord } from './app-model.js';
import { toSeconds } from './cdk-enums.js';
import { findPropertyLine } from './node-props.js';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { getBoolean, getNumber, getText, toStr, UNDEF, type CdkConstruct, type Value } from './values.js';
import { toRootRelativePath } from './virtual-paths.js';

/** Queues, topics, buses and state machines, created (`new sqs.Queue`) or imported (`Queue.fromQueueArn`). */

export function createQueue(ctx: LibraryContext, args: Value[], node: Node, self?: CdkConstruct): Value {
  const [scope, id, props] = args;
  const c = self ?? ctx.newConstruct('queue', 'aws_sqs.Queue', scope ?? UNDEF, id ?? UNDEF, node);
  c.kind = 'queue';
  buildQueue(ctx, c, props, node);
  return { t: 'construct', c };
}

export function buildQueue(ctx: LibraryContext, c: CdkConstruct, props: Value | undefined, node: Node): QueueRecord {
  const record: QueueRecord = {
    c,
    name: readProp(props, 'queueName'),
    fifo: getBoolean(readProp(props, 'fifo')),
    visibilityTimeout: toSeconds(readProp(props, 'visibilityTimeout')),
  };
  const deadLetter = readProp(props, 'deadLetterQueue');
  const dlq = readProp(deadLetter, 'queue');
  if (dlq) {
    const line = findPropertyLine(node, 'deadLetterQueue') ?? ctx.toLocation(node).line;
    const maxReceiveCount = getNumber(readProp(deadLetter, 'maxReceiveCount'));
    record.deadLetter = { queue: dlq.t === 'construct' ? getAttributeValue(dlq.c, 'arn') : dlq, ...(maxReceiveCount === undefined ? {} : { maxReceiveCount }), location: { file: ctx.toLocation(node).file, line } };
  }
  ctx.model.queues.push(record);
  return record;
}

export function createTopic(ctx: LibraryContext, args: Value[], node: Node, self?: CdkConstruct): Value {
  const [scope, id, props] = args;
  const c = self ?? ctx.newConstruct('topic', 'aws_sns.Topic', scope ?? UNDEF, id ?? UNDEF, node);
  c.kind = 'topic';
  ctx.model.topics.push({ c, name: readProp(props, 'topicName'), fifo: getBoolean(readProp(props, 'fifo')) });
  return { t: 'construct', c };
}

export function createBus(ctx: LibraryContext, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('bus', 'aws_events.EventBus', scope ?? UNDEF, id ?? UNDEF, node);
  ctx.model.buses.push({ c, name: readProp(props, 'eventBusName') });
  return { t: 'construct', c };
}

/** `sfn.StateMachine` (`definitionBody: DefinitionBody.fromFile(path)`) and `sfn.CfnStateMachine` (`definitionString: readFileSync(path)`). */
export function createStateMachine(ctx: LibraryContext, cls: string, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('stateMachine', cls, scope ?? UNDEF, id ?? UNDEF, node);
  const definition = readProp(props, 'definitionBody') ?? readProp(props, 'definitionString');
  let path: string | undefined;
  if (definition?.t === 'call' && /^(aws_stepfunctions\.DefinitionBody\.fromFile|fs\.readFileSync)$/.test(definition.name)) path = getText(definition.args[0]);
  const file = path === undefined ? undefined : toRootRelativePath(path, ctx.getAppDir(ctx.toLocation(node).file));
  ctx.model.stateMachines.push({ c, name: readProp(props, 'stateMachineName'), ...(file ? { definitionFile: file } : {}) });
  return { t: 'construct', c };
}

interface ImportSpec {
  kind: 'function' | 'queue' | 'topic' | 'bus' | 'stateMachine';
  /** Which attribute the third argument gives (`name`, `arn`), or `attributes` for an object of attributes. */
  given: 'name' | 'arn' | 'attributes';
}

/** Static `from*` methods that stand for resources declared outside the app. */
const IMPORTS: Record<string, ImportSpec> = {
  'aws_lambda.Function.fromFunctionArn': { kind: 'function', given: 'arn' },
  'aws_lambda.Function.fromFunctionName': { kind: 'function', given: 'name' },
  'aws_lambda.Function.fromFunctionAttributes': { kind: 'function', given: 'attributes' },
  'aws_sqs.Queue.fromQueueArn': { kind: 'queue', given: 'arn' },
  'aws_sqs.Queue.fromQueueAttributes': { kind: 'queue', given: 'attributes' },
  'aws_sns.Topic.fromTopicArn': { kind: 'topic', given: 'arn' },
  'aws_sns.Topic.fromTopicAttributes': { kind: 'topic', given: 'attributes' },
  'aws_events.EventBus.fromEventBusName': { kind: 'bus', given: 'name' },
  'aws_events.EventBus.fromEventBusArn': { kind: 'bus', given: 'arn' },
  'aws_events.EventBus.fromEventBusAttributes': { kind: 'bus', given: 'attributes' },
  'aws_stepfunctions.StateMachine.fromStateMachineArn': { kind: 'stateMachine', given: 'arn' },
  'aws_stepfunctions.StateMachine.fromStateMachineName': { kind: 'stateMachine', given: 'name' },
};

const NAME_FIELD = { function: 'functionName', queue: 'queueName', topic: 'topicName', bus: 'eventBusName', stateMachine: 'stateMachineName' } as const;
const ARN_FIELD = { function: 'functionArn', queue: 'queueArn', topic: 'topicArn', bus: 'eventBusArn', stateMachine: 'stateMachineArn' } as const;

/** `Queue.fromQueueArn(this, 'Id', arn)` and the like: a construct whose attributes are the values written. */
export function importResource(ctx: LibraryContext, name: string, args: Value[], node: Node): Value | undefined {
  const spec = IMPORTS[name];
  if (!spec) return undefined;
  const [scope, id, given] = args;
  const c = ctx.newConstruct(spec.kind, name, scope ?? UNDEF, id ?? UNDEF, node);
  c.imported = spec.kind;
  if (spec.given === 'attributes' && given?.t === 'obj') {
    for (const [key, value] of given.props) c.fields.set(key, value);
  } else if (given) {
    c.fields.set(spec.given === 'arn' ? ARN_FIELD[spec.kind] : NAME_FIELD[spec.kind], given);
  }
  // The name is the last part of a literal ARN (`...:function:charge`, `...:queue-name`, `...:event-bus/bus`).
  const arn = getText(c.fields.get(ARN_FIELD[spec.kind]));
  if (arn !== undefined && !c.fields.has(NAME_FIELD[spec.kind])) {
    const last = arn.split(':')[spec.kind === 'function' || spec.kind === 'stateMachine' ? 6 : 5];
    if (last) c.fields.set(NAME_FIELD[spec.kind], toStr(last.replace(/^event-bus\//, '')));
  }
  const queueName = getText(c.fields.get('queueName'));
  const parts = arn?.split(':');
  if (spec.kind === 'queue' && !c.fields.has('queueUrl') && parts && parts.length >= 6 && queueName) {
    c.fields.set('queueUrl', toStr(`https://sqs.${parts[3]}.amazonaws.com/${parts[4]}/${queueName}`));
  }
  return { t: 'construct', c };
}
