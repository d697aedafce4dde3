import { posix } from 'node:path';
import { Node } from 'ts-morph';
import type { Severity, SourceLocation } from '../../types/diagnostics.js';
import { AppModel } from './app-model.js';
import { callApiMethod, callResourceMethod, createHttpApi, createRestApi, getApiProperty } from './apis.js';
import { toS3Event } from './cdk-enums.js';
import { addBucketNotification, addEventSource, addEventSourceMapping, addSubscription, createEventSourceMapping, createSubscription } from './event-sources.js';
import { toLocation, type Library } from './evaluator.js';
import { addEnvironment, createFunction, FUNCTION_CLASSES } from './lambda-functions.js';
import { ATTRIBUTES, getAttributeValue, type LibraryContext } from './library-context.js';
import { createBus, createQueue, createStateMachine, createTopic, importResource } from './messaging-resources.js';
import { getShortName as shortName } from './values.js';
import { createParameter, getParameterProperty, readParameterValue } from './parameters.js';
import { addEventPattern, addRuleTarget, createRule, createSchedule } from './rules.js';
import { Pattern, SOLUTIONS_PATTERNS } from './solutions-constructs.js';
import { getConstruct, getText, toStr, UNDEF, type CdkConstruct, type ConstructKind, type Value } from './values.js';
import { joinPaths, resolvePaths, toVirtualPath } from './virtual-paths.js';

/** What the analyzer knows of the app's folders: where `cdk synth` would run, and the context of its cdk.json. */
export interface AppSettings {
  /** The folder of the nearest cdk.json above a file (else its package.json, else the analysed folder). */
  getAppDir(file: string): string;
  /** `context` of that cdk.json. */
  getContext(file: string): Value | undefined;
  exists(file: string): boolean;
}

/** Pseudo parameters as the CloudFormation reader names them, so that `${AWS::StackName}-x` names compare equal. */
const PSEUDO: Record<string, string> = {
  REGION: '${AWS::Region}',
  ACCOUNT_ID: '${AWS::AccountId}',
  STACK_NAME: '${AWS::StackName}',
  PARTITION: '${AWS::Partition}',
  URL_SUFFIX: '${AWS::URLSuffix}',
  STACK_ID: '${AWS::StackId}',
};

/** Stack properties that are pseudo parameters. */
const STACK_PSEUDO: Record<string, string> = { stackName: 'STACK_NAME', region: 'REGION', account: 'ACCOUNT_ID', partition: 'PARTITION', urlSuffix: 'URL_SUFFIX' };

/** Package classes by the kind of construct a subclass of them is. */
const BASE_KINDS: Record<string, ConstructKind> = {
  'core.App': 'app',
  'core.Stack': 'stack',
  'core.NestedStack': 'stack',
  'core.Stage': 'user',
  'constructs.Construct': 'user',
  'core.Construct': 'user',
  'core.Resource': 'user',
  'aws_sqs.Queue': 'queue',
  'aws_sns.Topic': 'topic',
  'aws_events.Rule': 'rule',
};

/** Other construct classes we keep in the tree, because their attributes or notifications matter. */
const PLAIN_CONSTRUCTS: Record<string, ConstructKind> = {
  'aws_s3.Bucket': 'bucket',
  'aws_dynamodb.Table': 'table',
  'aws_dynamodb.TableV2': 'table',
  'aws_kinesis.Stream': 'stream',
};

/**
 * The AWS CDK classes and functions as the evaluator sees them: which `new` makes which construct of the model,
 * what their properties are (`queue.queueUrl` → a reference), what their methods add (`fn.addEnvironment`,
 * `topic.addSubscription`). Anything not modelled stays a symbolic value.
 */
export class CdkLibrary implements Library, LibraryContext {
  readonly model = new AppModel();
  /** Set by the analyzer once the evaluator exists (the evaluator reports diagnostics). */
  reporter: (code: string, severity: Severity, message: string, node: Node, hint?: string) => void = () => {};
  /** Set by the analyzer: the helper call being evaluated, if any (see Evaluator.getHelperCall). */
  getHelperCall: () => Node | undefined = () => undefined;
  /** Constructs placed with an id not known statically: reported at the end unless a `super(...)` named them. */
  private readonly unnamed = new Map<CdkConstruct, { id: string; node: Node }>();

  constructor(private readonly settings: AppSettings) {}

  // ── LibraryContext ─────────────────────────────────────────────────────────

  report(code: string, severity: Severity, message: string, node: Node, hint?: string): void {
    this.reporter(code, severity, message, node, hint);
  }

  newConstruct(kind: ConstructKind, cls: string, scope: Value, id: Value, node: Node): CdkConstruct {
    const c: CdkConstruct = { kind, cls, id: '', path: [], location: this.locate(node), fields: new Map() };
    this.place(c, scope, id, node);
    return c;
  }

  /**
   * Where a construct is declared: its `new`, unless its id is computed and a helper function made it
   * (`createFunction(this, 'Orders')`, a loop's callback), then the helper's call, which says which one it is.
   */
  private locate(node: Node): SourceLocation {
    const idNode = Node.isNewExpression(node) ? node.getArguments()[1] : undefined;
    if (idNode && (Node.isStringLiteral(idNode) || Node.isNoSubstitutionTemplateLiteral(idNode))) return toLocation(node);
    return toLocation(this.getHelperCall() ?? node);
  }

  getAppDir(file: string): string {
    return this.settings.getAppDir(file);
  }

  exists(file: string): boolean {
    return this.settings.exists(file);
  }

  getContextValue(file: string, key: string): Value | undefined {
    const context = this.settings.getContext(file);
    return context?.t === 'obj' ? context.props.get(key) : undefined;
  }

  toLocation(node: Node): SourceLocation {
    return toLocation(node);
  }

  // ── Library ────────────────────────────────────────────────────────────────

  getBaseKind(name: string): ConstructKind | undefined {
    if (FUNCTION_CLASSES[name]) return 'function';
    if (name.startsWith('solutions.')) return 'user';
    return BASE_KINDS[name] ?? (name.startsWith('aws_') ? 'other' : undefined);
  }

  construct(name: string, args: Value[], node: Node, self?: CdkConstruct): Value | undefined {
    // A subclass's `super(scope, id, props)`: the construct exists; its place in the tree is what super says.
    if (self && args.length >= 2) this.place(self, args[0], args[1], node);
    const flavour = FUNCTION_CLASSES[name];
    if (flavour) return createFunction(this, flavour, name, args, node, self);
    switch (name) {
      case 'core.App':
        return self ? { t: 'construct', c: self } : this.newApp(node);
      case 'core.Stack':
      case 'core.NestedStack':
      case 'core.Stage':
      case 'constructs.Construct':
      case 'core.Construct':
        return { t: 'construct', c: self ?? this.newConstruct(this.getBaseKind(name)!, name, args[0] ?? UNDEF, args[1] ?? UNDEF, node) };
      case 'aws_sqs.Queue':
        return createQueue(this, args, node, self);
      case 'aws_sns.Topic':
        return createTopic(this, args, node, self);
      case 'aws_events.EventBus':
        return createBus(this, args, node);
      case 'aws_stepfunctions.StateMachine':
      case 'aws_stepfunctions.CfnStateMachine':
        return createStateMachine(this, name, args, node);
      case 'aws_events.Rule':
        return createRule(this, args, node, self);
      case 'aws_scheduler.Schedule':
        return createSchedule(this, args, node);
      case 'aws_lambda.EventSourceMapping':
        return createEventSourceMapping(this, args, node);
      case 'aws_sns.Subscription':
        return createSubscription(this, args, node);
      case 'aws_apigateway.RestApi':
      case 'aws_apigateway.LambdaRestApi':
        return createRestApi(this, name, args, node);
      case 'aws_apigatewayv2.HttpApi':
        return createHttpApi(this, name, args, node);
      case 'aws_ssm.StringParameter':
        return createParameter(this, args, node);
      default:
        return this.constructOther(name, args, node, self);
    }
  }

  call(name: string, args: Value[], node: Node): Value | undefined {
    const imported = importResource(this, name, args, node);
    if (imported) return imported;
    const texts = args.map(getText);
    const known = texts.every((text) => text !== undefined) ? (texts as string[]) : undefined;
    switch (name) {
      case 'path.join':
        return known ? toStr(joinPaths(known)) : undefined;
      case 'path.resolve':
        return known ? toStr(resolvePaths(known, toVirtualPath(this.settings.getAppDir(toLocation(node).file)))) : undefined;
      case 'path.dirname':
        return known?.length === 1 ? toStr(posix.dirname(known[0])) : undefined;
      case 'url.fileURLToPath':
        return known?.length === 1 ? toStr(known[0].replace(/^file:\/\//, '')) : undefined;
      case 'core.Stack.of': {
        const c = getConstruct(args[0]);
        return c?.stack ? { t: 'construct', c: c.stack } : undefined;
      }
      case 'aws_ssm.StringParameter.valueForStringParameter':
      case 'aws_ssm.StringParameter.valueFromLookup':
        return readParameterValue(this, args[1]);
      case 'aws_ssm.StringParameter.fromStringParameterName':
        return { t: 'obj', props: new Map([['stringValue', readParameterValue(this, args[2])]]) };
      default:
        return undefined;
    }
  }

  method(receiver: Value, name: string, args: Value[], node: Node): Value | undefined {
    if (receiver.t === 'apiResource') return callResourceMethod(this, receiver, name, args, node);
    if (receiver.t === 'inst' && receiver.name === 'constructs.Node') return this.callNodeMethod(receiver, name, args, node);
    if (receiver.t !== 'construct') return undefined;
    const c = receiver.c;
    switch (c.kind) {
      case 'function':
        return this.callFunctionMethod(c, name, args, node, receiver);
      case 'topic':
        if (name === 'addSubscription') addSubscription(this, c, args[0], node);
        return undefined;
      case 'bucket':
        return this.callBucketMethod(c, name, args, node);
      case 'rule': {
        const rule = this.model.getRule(c);
        if (rule && name === 'addTarget') addRuleTarget(this, rule, args[0], node);
        if (rule && name === 'addEventPattern') addEventPattern(rule, args[0]);
        return undefined;
      }
      case 'restApi':
      case 'httpApi':
        return callApiMethod(this, c, name, args, node);
      default:
        return undefined;
    }
  }

  property(receiver: Value, name: string, node: Node): Value | undefined {
    if (receiver.t !== 'construct') return undefined;
    const c = receiver.c;
    if (name === 'node') return { t: 'inst', name: 'constructs.Node', args: [receiver], node };
    const attribute = ATTRIBUTES[c.imported ?? c.kind]?.[name];
    if (attribute) return getAttributeValue(c, attribute, `${c.id}.${name}`);
    switch (c.kind) {
      case 'restApi':
      case 'httpApi':
        return getApiProperty(c, name);
      case 'parameter':
        return getParameterProperty(c, name);
      case 'stack':
        return STACK_PSEUDO[name] ? { t: 'str', parts: [{ k: 'unknown', text: PSEUDO[STACK_PSEUDO[name]] }] } : undefined;
      case 'function':
        // Versions and aliases invoke the same code.
        return name === 'currentVersion' || name === 'latestVersion' ? receiver : undefined;
      case 'bucket':
        return name === 'bucketName' ? (getProp(c.props, 'bucketName') ?? { t: 'str', parts: [{ k: 'unknown', text: `${c.id}.bucketName` }] }) : undefined;
      default:
        return undefined;
    }
  }

  symbol(name: string): Value | undefined {
    const pseudo = /^core\.Aws\.(\w+)$/.exec(name)?.[1];
    return pseudo && PSEUDO[pseudo] ? { t: 'str', parts: [{ k: 'unknown', text: PSEUDO[pseudo] }] } : undefined;
  }

  /** Report the constructs whose id stayed unknown. */
  reportUnnamed(): void {
    for (const [c, { id, node }] of this.unnamed) {
      if (c.id === id) this.report('cdk-unresolved', 'info', `the id of this ${shortName(c.cls)} is not known statically; it is shown as ${id}`, node);
    }
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private newApp(node: Node): Value {
    const c: CdkConstruct = { kind: 'app', cls: 'core.App', id: '', path: [], location: toLocation(node), fields: new Map() };
    c.app = `${c.location.file}:${c.location.line}`;
    return { t: 'construct', c };
  }

  /** Where a construct sits: under its scope's path, its stack the nearest stack up (a stack is its own). */
  private place(c: CdkConstruct, scope: Value | undefined, id: Value | undefined, node: Node): void {
    const parent = getConstruct(scope);
    let text = getText(id);
    if (text === undefined) {
      text = `${shortName(c.cls)}@${toLocation(node).line}`;
      this.unnamed.set(c, { id: text, node });
    } else this.unnamed.delete(c);
    c.id = text;
    c.path = parent && parent.kind !== 'app' ? [...parent.path, text] : [text];
    c.app = parent?.app;
    const stack = c.kind === 'stack' ? c : parent?.stack;
    if (stack) c.stack = stack;
  }

  private constructOther(name: string, args: Value[], node: Node, self?: CdkConstruct): Value | undefined {
    const pattern = name.startsWith('solutions.') ? SOLUTIONS_PATTERNS[name.slice('solutions.'.length)] : undefined;
    if (pattern) {
      const c = self ?? this.newConstruct('user', name, args[0] ?? UNDEF, args[1] ?? UNDEF, node);
      pattern(new Pattern(this, c, node), args[2]);
      return { t: 'construct', c };
    }
    if (self) return { t: 'construct', c: self };
    // Any other construct of the CDK (`new iam.Role(this, 'Role')`): a node of the tree, so that its scope and attributes are known.
    const kind = PLAIN_CONSTRUCTS[name] ?? (name.startsWith('aws_') || name.startsWith('core.') ? 'other' : undefined);
    if (kind && getConstruct(args[0]) && getText(args[1]) !== undefined) {
      const c = this.newConstruct(kind, name, args[0], args[1], node);
      c.props = args[2];
      return { t: 'construct', c };
    }
    return undefined;
  }

  private callFunctionMethod(c: CdkConstruct, name: string, args: Value[], node: Node, receiver: Value): Value | undefined {
    switch (name) {
      case 'addEnvironment':
        addEnvironment(this, c, args, node);
        return receiver;
      case 'addEventSource':
        if (args[0]) addEventSource(this, c, args[0], toLocation(node), node);
        return undefined;
      case 'addEventSourceMapping':
        addEventSourceMapping(this, c, args[1], node);
        return undefined;
      case 'addFunctionUrl': {
        const url = this.newConstruct('other', 'aws_lambda.FunctionUrl', receiver, toStr('FunctionUrl'), node);
        url.fields.set('url', getAttributeValue(c, 'url', `${c.id}.functionUrl`));
        return { t: 'construct', c: url };
      }
      default:
        return undefined;
    }
  }

  private callBucketMethod(c: CdkConstruct, name: string, args: Value[], node: Node): Value | undefined {
    if (name === 'addEventNotification') addBucketNotification(this, c, toS3Event(args[0]), args[1], args.slice(2), node);
    if (name === 'addObjectCreatedNotification') addBucketNotification(this, c, 's3:ObjectCreated:*', args[0], args.slice(1), node);
    if (name === 'addObjectRemovedNotification') addBucketNotification(this, c, 's3:ObjectRemoved:*', args[0], args.slice(1), node);
    return undefined;
  }

  /** `this.node.tryGetContext('stage')`: the cdk.json context. */
  private callNodeMethod(receiver: Value & { t: 'inst' }, name: string, args: Value[], node: Node): Value | undefined {
    if (name !== 'tryGetContext' && name !== 'getContext') return undefined;
    const key = getText(args[0]);
    void receiver;
    return key === undefined ? undefined : (this.getContextValue(toLocation(node).file, key) ?? UNDEF);
  }
}

function getProp(value: Value | undefined, key: string): Value | undefined {
  return value?.t === 'obj' ? value.props.get(key) : undefined;
}
