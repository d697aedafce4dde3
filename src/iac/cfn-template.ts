import { posix } from 'node:path';
import type { Diagnostic, SourceLocation } from '../types/diagnostics.js';
import {
  emptyInventory,
  type FunctionDef,
  type HandlerRef,
  type IacFormat,
  type IacValue,
  type Inventory,
  type TriggerDef,
  type TriggerKind,
} from '../types/inventory.js';
import { getLiteral, isIntrinsic, toDisplayText, toIacValue, toIntrinsicText, type ValueContext } from './cfn-values.js';
import { isRecord } from './cfn-yaml.js';
import type { SourceMap } from './source-map.js';

/**
 * Reads the `Resources` of a CloudFormation/SAM template into an Inventory fragment. Shared by the
 * CloudFormation analyzer and by the serverless analyzer (for its `resources:` section), so both read
 * queues, topics, subscriptions, rules and state machines the same way.
 */

export interface TemplateOptions {
  /** The IaC file, relative to the analysed folder (fallback location). */
  file: string;
  format: IacFormat;
  scope?: string;
  /** Folder of the template relative to the analysed folder (`.` at the root): code paths are relative to it. */
  dir: string;
  sourceMap: SourceMap;
  /**
   * Entities declared outside the template that triggers may point at (serverless functions), with their
   * deployed names when known, so that a literal ARN or name in a subscription finds them.
   */
  extraEntities?: readonly ExtraEntity[];
  /** Generated logical ids that stand for an inventory entry (serverless `PlaceOrderLambdaFunction`). */
  aliases?: ReadonlyMap<string, { target: string; type: string }>;
}

export interface ExtraEntity {
  id: string;
  type: string;
  name?: IacValue;
}

export interface TemplateResult {
  inventory: Inventory;
  diagnostics: Diagnostic[];
  /** What `Ref`/`Fn::GetAtt` mean in this template, for values read outside the Resources section. */
  context: ValueContext;
  /** Resolves a reference or a literal name/ARN to an inventory entity id of the template or `extraEntities`. */
  resolveEntity: (value: IacValue | undefined, kinds: readonly EntityKind[]) => string | undefined;
}

export type EntityKind = 'function' | 'queue' | 'topic' | 'bus' | 'stateMachine';

/** AWS defaults for a Lambda function without Timeout / MemorySize (same in SAM). */
const LAMBDA_DEFAULT_TIMEOUT = 3;
const LAMBDA_DEFAULT_MEMORY = 128;

/** Whether a template uses the SAM transform (string or list form). */
export function isSamTemplate(template: Record<string, unknown>): boolean {
  const transform = template.Transform;
  const list = Array.isArray(transform) ? transform : [transform];
  return list.some((item) => typeof item === 'string' && item.startsWith('AWS::Serverless'));
}

/** Logical ids, parameters and mappings of a template: what `Ref` and `Fn::GetAtt` point at. */
export function buildValueContext(
  template: Record<string, unknown>,
  aliases: ReadonlyMap<string, { target: string; type: string }> = new Map(),
): ValueContext {
  const resources = new Map<string, string>();
  if (isRecord(template.Resources)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (isRecord(resource) && typeof resource.Type === 'string') resources.set(id, resource.Type);
    }
  }
  const parameters = new Map<string, unknown>();
  if (isRecord(template.Parameters)) {
    for (const [name, parameter] of Object.entries(template.Parameters)) {
      parameters.set(name, isRecord(parameter) ? parameter.Default : undefined);
    }
  }
  const mappings = isRecord(template.Mappings) ? template.Mappings : {};
  return { resources, parameters, mappings, aliases };
}

/** Reads every resource of a template; a malformed resource gives a diagnostic and is skipped. Never throws. */
export function readTemplate(template: Record<string, unknown>, options: TemplateOptions): TemplateResult {
  const reader = new TemplateReader(template, options);
  reader.readAll();
  return {
    inventory: reader.inventory,
    diagnostics: reader.diagnostics,
    context: reader.context,
    resolveEntity: (value, kinds) => reader.resolveEntity(value, kinds),
  };
}

const KIND_BY_TYPE: Record<string, EntityKind> = {
  'AWS::Lambda::Function': 'function',
  'AWS::Serverless::Function': 'function',
  'AWS::SQS::Queue': 'queue',
  'AWS::SNS::Topic': 'topic',
  'AWS::Events::EventBus': 'bus',
  'AWS::StepFunctions::StateMachine': 'stateMachine',
  'AWS::Serverless::StateMachine': 'stateMachine',
};

class TemplateReader {
  readonly inventory = emptyInventory();
  readonly diagnostics: Diagnostic[] = [];
  readonly context: ValueContext;
  private readonly resources: Record<string, unknown>;
  private readonly globals: Record<string, unknown>;
  /** Entity kind by id, for templates' resources and extra entities. */
  private readonly kinds = new Map<string, EntityKind>();
  /** Literal deployed names → id, per kind, to bind literal names and ARNs. */
  private readonly names = new Map<string, string>();

  constructor(
    template: Record<string, unknown>,
    private readonly options: TemplateOptions,
  ) {
    this.context = buildValueContext(template, options.aliases);
    this.resources = isRecord(template.Resources) ? template.Resources : {};
    const globals = isRecord(template.Globals) ? template.Globals : {};
    this.globals = isRecord(globals.Function) ? globals.Function : {};
    if (template.Resources !== undefined && !isRecord(template.Resources)) {
      this.report('cfn-invalid-template', 'Resources is not a mapping', template, 'Resources');
    }
    this.indexEntities();
  }

  readAll(): void {
    for (const [id, resource] of Object.entries(this.resources)) {
      try {
        this.readResource(id, resource);
      } catch (error) {
        this.report('cfn-invalid-resource', `Resource ${id} could not be read: ${String(error)}`, this.resources, id);
      }
    }
  }

  /** An entity id for a reference (`!Ref X`, `!GetAtt X.Arn`) or a literal name / ARN of a declared entity. */
  resolveEntity(value: IacValue | undefined, kinds: readonly EntityKind[]): string | undefined {
    if (!value) return undefined;
    if (value.kind === 'ref') {
      const kind = this.kinds.get(value.target);
      return kind && kinds.includes(kind) ? value.target : undefined;
    }
    const text = getLiteral(value);
    if (text === undefined) return undefined;
    for (const kind of kinds) {
      const id = this.names.get(`${kind}:${getNameFromArn(text, kind) ?? text}`);
      if (id) return id;
    }
    return undefined;
  }

  private indexEntities(): void {
    for (const [id, type] of this.context.resources) {
      const kind = KIND_BY_TYPE[type];
      if (!kind) continue;
      this.kinds.set(id, kind);
      const resource = this.resources[id] as Record<string, unknown>;
      const properties = isRecord(resource.Properties) ? resource.Properties : {};
      const name = getLiteral(this.toValue(properties[NAME_PROPERTY[type]]));
      if (name !== undefined) this.names.set(`${kind}:${name}`, id);
    }
    for (const entity of this.options.extraEntities ?? []) {
      const kind = KIND_BY_TYPE[entity.type];
      if (!kind) continue;
      this.kinds.set(entity.id, kind);
      const name = getLiteral(entity.name);
      if (name !== undefined) this.names.set(`${kind}:${name}`, entity.id);
    }
  }

  private readResource(id: string, resource: unknown): void {
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      this.report('cfn-invalid-resource', `Resource ${id} has no Type`, this.resources, id);
      return;
    }
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    const location = this.locate(this.resources, id);
    switch (resource.Type) {
      case 'AWS::Serverless::Function':
        this.readSamFunction(id, properties, resource, location);
        break;
      case 'AWS::Lambda::Function':
        this.readLambdaFunction(id, properties, location);
        break;
      case 'AWS::Lambda::EventSourceMapping':
        this.readEventSourceMapping(id, properties, location);
        break;
      case 'AWS::SQS::Queue':
        this.readQueue(id, properties, location);
        break;
      case 'AWS::SNS::Topic':
        this.readTopic(id, properties, location);
        break;
      case 'AWS::SNS::Subscription':
        this.readSubscription(properties, location);
        break;
      case 'AWS::Events::Rule':
        this.readRule(id, properties, location);
        break;
      case 'AWS::Events::EventBus':
        this.inventory.buses.push({ id, name: this.toValue(properties.Name), location, ...this.common() });
        break;
      case 'AWS::Serverless::StateMachine':
      case 'AWS::StepFunctions::StateMachine':
        this.readStateMachine(id, resource.Type, properties, location);
        break;
      case 'AWS::Serverless::Api':
      case 'AWS::Serverless::HttpApi':
      case 'AWS::ApiGateway::RestApi':
      case 'AWS::ApiGatewayV2::Api':
        this.addApi(id, resource.Type.endsWith('HttpApi') || resource.Type.startsWith('AWS::ApiGatewayV2') ? 'http' : 'rest', properties, location);
        break;
      case 'AWS::SSM::Parameter':
        this.inventory.parameters.push(dropUndefined({ id, name: this.toValue(properties.Name), value: this.toValue(properties.Value), location, ...this.common() }));
        break;
      default:
        break;
    }
  }

  /** An API Gateway API of the template; its routes name it in `apiId`. */
  private addApi(id: string, kind: 'rest' | 'http', properties: Record<string, unknown>, location: SourceLocation): void {
    if (this.inventory.apis.some((api) => api.id === id)) return;
    const stage = this.toText(properties.StageName);
    const name = this.toValue(properties.Name);
    this.inventory.apis.push(dropUndefined({ id, kind, name, stages: stage === undefined ? undefined : [stage], location, ...this.common() }));
  }

  /**
   * The API a SAM `Api`/`HttpApi` event belongs to: `RestApiId`/`ApiId`, else the implicit API SAM creates
   * (`ServerlessRestApi` with its `Prod` and `Stage` stages, `ServerlessHttpApi`).
   */
  private getEventApiId(type: 'Api' | 'HttpApi', properties: Record<string, unknown>): string | undefined {
    const explicit = this.toValue(type === 'Api' ? properties.RestApiId : properties.ApiId);
    if (explicit) return explicit.kind === 'ref' ? explicit.target : undefined;
    const id = type === 'Api' ? 'ServerlessRestApi' : 'ServerlessHttpApi';
    const location = { file: this.options.file, line: 1 };
    if (!this.inventory.apis.some((api) => api.id === id)) {
      this.inventory.apis.push({ id, kind: type === 'Api' ? 'rest' : 'http', ...(type === 'Api' ? { stages: ['Prod', 'Stage'] } : {}), location, ...this.common() });
    }
    return id;
  }

  private readSamFunction(
    id: string,
    ownProperties: Record<string, unknown>,
    resource: Record<string, unknown>,
    location: SourceLocation,
  ): void {
    const properties = { ...this.globals, ...ownProperties };
    const environment = {
      ...getVariables(this.globals.Environment),
      ...getVariables(ownProperties.Environment),
    };
    let handler: HandlerRef | undefined;
    // Inline code and container images have no handler file in the analysed folder.
    if (properties.InlineCode === undefined && properties.ImageUri === undefined && properties.PackageType !== 'Image') {
      const codeDir = this.getCodeDir(properties.CodeUri ?? '.', ownProperties, 'CodeUri');
      const metadata = isRecord(resource.Metadata) ? resource.Metadata : {};
      const build = isRecord(metadata.BuildProperties) ? metadata.BuildProperties : {};
      const entryPoints = Array.isArray(build.EntryPoints) ? build.EntryPoints.filter((item) => typeof item === 'string') : [];
      handler = this.toHandler(properties.Handler, codeDir, entryPoints, ownProperties);
    }
    this.inventory.functions.push(this.toFunction(id, properties, environment, handler, location));
    if (isRecord(ownProperties.Events)) this.readSamEvents(id, ownProperties.Events);
  }

  private readLambdaFunction(id: string, properties: Record<string, unknown>, location: SourceLocation): void {
    let handler: HandlerRef | undefined;
    const code = properties.Code;
    // `Code: ./dir` is the local form that `aws cloudformation package` uploads; ZipFile, S3 and images have no file here.
    if (typeof code === 'string') {
      handler = this.toHandler(properties.Handler, this.getCodeDir(code, properties, 'Code'), [], properties);
    }
    this.inventory.functions.push(this.toFunction(id, properties, getVariables(properties.Environment), handler, location));
  }

  private toFunction(
    id: string,
    properties: Record<string, unknown>,
    variables: Record<string, unknown>,
    handler: HandlerRef | undefined,
    location: SourceLocation,
  ): FunctionDef {
    const environment: FunctionDef['environment'] = {};
    for (const key of Object.keys(variables).toSorted()) {
      const value = this.toValue(variables[key]);
      if (value) environment[key] = value;
    }
    const architectures = properties.Architectures;
    const architecture = Array.isArray(architectures) ? this.toText(architectures[0]) : undefined;
    const result: FunctionDef = {
      id,
      name: this.toValue(properties.FunctionName),
      handler,
      runtime: this.toText(properties.Runtime),
      timeout: this.toNumber(properties.Timeout) ?? LAMBDA_DEFAULT_TIMEOUT,
      memorySize: this.toNumber(properties.MemorySize) ?? LAMBDA_DEFAULT_MEMORY,
      architecture,
      environment,
      location,
      ...this.common(),
    };
    return dropUndefined(result);
  }

  /** The folder of the code, relative to the analysed folder; undefined for S3 locations and paths outside. */
  private getCodeDir(uri: unknown, parent: Record<string, unknown>, key: string): string | undefined {
    const text = this.toText(uri);
    if (text === undefined || text.startsWith('s3://')) return undefined;
    const dir = toRootRelative(this.options.dir, text);
    if (dir === undefined) {
      this.report('cfn-code-outside-root', `${key} "${text}" is outside the analysed folder`, parent, key, 'info');
    }
    return dir;
  }

  /**
   * `app.handler` in code folder `src` → module `src/app`, export `handler`. Node splits the handler at the first
   * dot of its last path segment (`index.a.b` → export `a.b`). SAM esbuild `EntryPoints` name the source file
   * the bundled module comes from.
   */
  private toHandler(
    handlerValue: unknown,
    codeDir: string | undefined,
    entryPoints: readonly string[],
    parent: Record<string, unknown>,
  ): HandlerRef | undefined {
    const raw = this.toText(handlerValue);
    if (raw === undefined || codeDir === undefined) return undefined;
    const split = splitHandler(raw);
    if (!split) return undefined;
    const entry = findEntryPoint(split.module, entryPoints);
    const module = toRootRelative(codeDir, entry ?? split.module);
    if (module === undefined) {
      this.report('cfn-code-outside-root', `Handler "${raw}" is outside the analysed folder`, parent, 'Handler', 'info');
      return undefined;
    }
    return { raw, module, export: split.export };
  }

  private readSamEvents(targetId: string, events: Record<string, unknown>): void {
    for (const [name, event] of Object.entries(events)) {
      const location = this.locate(events, name);
      if (!isRecord(event) || typeof event.Type !== 'string') {
        this.report('cfn-invalid-event', `Event ${name} of ${targetId} has no Type`, events, name);
        continue;
      }
      const properties = isRecord(event.Properties) ? event.Properties : {};
      const trigger = this.toSamTrigger(`${targetId}${name}`, event.Type, properties);
      this.inventory.triggers.push({ ...trigger, to: targetId, location, format: this.options.format });
    }
  }

  /** One SAM event (`Events: { X: { Type, Properties } }`) as a trigger; `ruleId` is the rule SAM generates. */
  private toSamTrigger(
    ruleId: string,
    type: string,
    properties: Record<string, unknown>,
  ): Pick<TriggerDef, 'kind' | 'from' | 'details'> {
    const details: TriggerDef['details'] = {};
    const put = (key: string, value: unknown) => this.putDetail(details, key, value);
    switch (type) {
      case 'Api':
      case 'HttpApi': {
        // An HttpApi event without Path/Method is the API's catch-all `$default` route.
        put('method', this.toText(properties.Method)?.toUpperCase() ?? (type === 'HttpApi' ? 'ANY' : undefined));
        put('path', properties.Path ?? (type === 'HttpApi' ? '$default' : undefined));
        put('api', type === 'Api' ? 'rest' : 'http');
        put('apiId', this.getEventApiId(type, properties));
        return { kind: 'http', details };
      }
      case 'Schedule':
      case 'ScheduleV2':
        put('schedule', type === 'Schedule' ? properties.Schedule : properties.ScheduleExpression);
        put('rule', ruleId);
        put('enabled', properties.Enabled ?? (properties.State === undefined ? undefined : properties.State === 'ENABLED'));
        return { kind: 'schedule', details };
      case 'SQS':
        put('batchSize', properties.BatchSize);
        put('enabled', properties.Enabled);
        put('maximumBatchingWindow', properties.MaximumBatchingWindowInSeconds);
        return { kind: 'sqs', from: this.toValue(properties.Queue), details };
      case 'SNS':
        put('filterPolicy', properties.FilterPolicy);
        put('sqsSubscription', isRecord(properties.SqsSubscription) ? true : properties.SqsSubscription);
        return { kind: 'sns', from: this.toValue(properties.Topic), details };
      case 'S3':
        put('bucket', properties.Bucket);
        put('event', Array.isArray(properties.Events) ? properties.Events.join(',') : properties.Events);
        return { kind: 's3', from: this.toValue(properties.Bucket), details };
      case 'DynamoDB':
      case 'Kinesis':
        put('type', type === 'DynamoDB' ? 'dynamodb' : 'kinesis');
        put('batchSize', properties.BatchSize);
        put('startingPosition', properties.StartingPosition);
        return { kind: 'stream', from: this.toValue(properties.Stream), details };
      case 'EventBridgeRule':
      case 'CloudWatchEvent':
        put('pattern', properties.Pattern);
        put('rule', ruleId);
        return { kind: 'eventbridge', from: this.toBus(properties.EventBusName ?? properties.EventBus), details };
      default:
        put('type', type);
        return { kind: 'other', details };
    }
  }

  private readEventSourceMapping(id: string, properties: Record<string, unknown>, location: SourceLocation): void {
    const target = this.resolveEntity(this.toValue(properties.FunctionName), ['function']);
    if (!target) {
      this.report(
        'cfn-target-unresolved',
        `Event source mapping ${id}: FunctionName does not name a function of this template`,
        this.resources,
        id,
        'info',
      );
      return;
    }
    const from = this.toValue(properties.EventSourceArn);
    const details: TriggerDef['details'] = {};
    this.putDetail(details, 'batchSize', properties.BatchSize);
    this.putDetail(details, 'startingPosition', properties.StartingPosition);
    this.putDetail(details, 'enabled', properties.Enabled);
    const kind = this.getSourceKind(from);
    if (kind === 'stream') this.putDetail(details, 'type', this.getStreamType(from));
    this.inventory.triggers.push({ kind, from, to: target, details, location, format: this.options.format });
  }

  /** sqs or stream, from what the source ARN points at. */
  private getSourceKind(from: IacValue | undefined): TriggerKind {
    if (from?.kind === 'ref') {
      const type = this.context.resources.get(from.target);
      if (type === 'AWS::SQS::Queue') return 'sqs';
      if (type === 'AWS::DynamoDB::Table' || type === 'AWS::Kinesis::Stream' || type === 'AWS::Serverless::SimpleTable') {
        return 'stream';
      }
    }
    const text = from ? toIntrinsicText(from) : '';
    if (/arn:aws[\w-]*:sqs:/.test(text)) return 'sqs';
    if (/arn:aws[\w-]*:(kinesis|dynamodb):/.test(text)) return 'stream';
    return 'other';
  }

  private getStreamType(from: IacValue | undefined): string | undefined {
    const type = from?.kind === 'ref' ? this.context.resources.get(from.target) : undefined;
    const text = from ? toIntrinsicText(from) : '';
    if (type === 'AWS::Kinesis::Stream' || /:kinesis:/.test(text)) return 'kinesis';
    if (type?.startsWith('AWS::DynamoDB') || type === 'AWS::Serverless::SimpleTable' || /:dynamodb:/.test(text)) return 'dynamodb';
    return undefined;
  }

  private readQueue(id: string, properties: Record<string, unknown>, location: SourceLocation): void {
    let redrive = properties.RedrivePolicy;
    if (typeof redrive === 'string') {
      try {
        redrive = JSON.parse(redrive) as unknown; // older templates give the policy as a JSON string
      } catch {
        redrive = undefined;
      }
    }
    let deadLetter;
    if (isRecord(redrive)) {
      const target = this.toValue(redrive.deadLetterTargetArn);
      if (target) {
        deadLetter = dropUndefined({
          target,
          maxReceiveCount: this.toNumber(redrive.maxReceiveCount),
          location: this.locate(properties, 'RedrivePolicy'),
        });
      }
    }
    this.inventory.queues.push(
      dropUndefined({
        id,
        name: this.toValue(properties.QueueName),
        fifo: this.toBoolean(properties.FifoQueue),
        visibilityTimeout: this.toNumber(properties.VisibilityTimeout),
        deadLetter,
        location,
        ...this.common(),
      }),
    );
  }

  private readTopic(id: string, properties: Record<string, unknown>, location: SourceLocation): void {
    this.inventory.topics.push(
      dropUndefined({
        id,
        name: this.toValue(properties.TopicName),
        fifo: this.toBoolean(properties.FifoTopic),
        location,
        ...this.common(),
      }),
    );
    const subscriptions = properties.Subscription;
    if (!Array.isArray(subscriptions)) return;
    // Located at the `Subscription` property, as the fixtures' expectations write it.
    const at = this.locate(properties, 'Subscription');
    for (const subscription of subscriptions) {
      if (isRecord(subscription)) this.readSubscription(subscription, at, { kind: 'ref', target: id, attribute: 'arn' });
    }
  }

  /** An SNS subscription (resource or inline `Subscription` item): lambda → the function, sqs → the queue. */
  private readSubscription(properties: Record<string, unknown>, location: SourceLocation, topic?: IacValue): void {
    const protocol = this.toText(properties.Protocol)?.toLowerCase();
    if (protocol !== 'lambda' && protocol !== 'sqs') return; // email, https, sms...: nothing of ours receives them
    const endpoint = this.toValue(properties.Endpoint);
    const target = this.resolveEntity(endpoint, [protocol === 'lambda' ? 'function' : 'queue']);
    if (!target) {
      this.report('cfn-target-unresolved', `SNS subscription endpoint is not a ${protocol === 'lambda' ? 'function' : 'queue'} of this template`, properties, 'Endpoint', 'info');
      return;
    }
    const details: TriggerDef['details'] = { protocol };
    this.putDetail(details, 'filterPolicy', properties.FilterPolicy);
    this.putDetail(details, 'rawMessageDelivery', properties.RawMessageDelivery);
    const from = topic ?? this.toValue(properties.TopicArn);
    this.inventory.triggers.push(dropUndefined({ kind: 'sns' as const, from, to: target, details, location, format: this.options.format }));
  }

  /**
   * A rule: one trigger per target that is an entity of ours; `schedule` when it has no event pattern. Located at
   * the rule, which is what declares the trigger.
   */
  private readRule(id: string, properties: Record<string, unknown>, location: SourceLocation): void {
    const targets = properties.Targets;
    if (!Array.isArray(targets)) return;
    const isSchedule = properties.ScheduleExpression !== undefined && properties.EventPattern === undefined;
    for (const target of targets) {
      if (!isRecord(target)) continue;
      const to = this.resolveEntity(this.toValue(target.Arn), ['function', 'queue', 'topic', 'bus', 'stateMachine']);
      if (!to) continue; // targets outside the analysed IaC are not ours to model
      const details: TriggerDef['details'] = { rule: id };
      let from: IacValue | undefined;
      if (isSchedule) {
        this.putDetail(details, 'schedule', properties.ScheduleExpression);
      } else {
        this.putDetail(details, 'pattern', properties.EventPattern);
        this.putDetail(details, 'schedule', properties.ScheduleExpression);
        from = this.toBus(properties.EventBusName);
      }
      if (properties.State !== undefined) this.putDetail(details, 'enabled', this.toText(properties.State) === 'ENABLED');
      this.inventory.triggers.push(
        dropUndefined({
          kind: isSchedule ? ('schedule' as const) : ('eventbridge' as const),
          from,
          to,
          details,
          location,
          format: this.options.format,
        }),
      );
    }
  }

  private readStateMachine(id: string, type: string, properties: Record<string, unknown>, location: SourceLocation): void {
    const isSam = type === 'AWS::Serverless::StateMachine';
    const uri = isSam ? properties.DefinitionUri : properties.DefinitionS3Location;
    const text = typeof uri === 'string' && !uri.startsWith('s3://') ? uri : undefined;
    const definitionFile = text === undefined ? undefined : toRootRelative(this.options.dir, text);
    this.inventory.stateMachines.push(
      dropUndefined({
        id,
        name: this.toValue(isSam ? properties.Name : properties.StateMachineName),
        definitionFile,
        location,
        ...this.common(),
      }),
    );
    if (isSam && isRecord(properties.Events)) this.readSamEvents(id, properties.Events);
  }

  /** The bus an EventBridge rule listens on: `default` when none is named. */
  private toBus(value: unknown): IacValue {
    return this.toValue(value) ?? { kind: 'literal', value: 'default' };
  }

  /** A trigger detail from a template value: intrinsics as their resolved text, objects (patterns) as JSON. */
  private putDetail(details: TriggerDef['details'], key: string, value: unknown): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      details[key] = value;
    } else if (isIntrinsic(value)) {
      const resolved = this.toValue(value);
      if (resolved) details[key] = toDisplayText(resolved);
    } else {
      details[key] = toIntrinsicText(value);
    }
  }

  private toValue(value: unknown): IacValue | undefined {
    return toIacValue(value, this.context);
  }

  private toText(value: unknown): string | undefined {
    return getLiteral(this.toValue(value));
  }

  private toNumber(value: unknown): number | undefined {
    const text = this.toText(value);
    if (text === undefined || text.trim() === '') return undefined;
    const number = Number(text);
    return Number.isFinite(number) ? number : undefined;
  }

  private toBoolean(value: unknown): boolean | undefined {
    const text = this.toText(value)?.toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : undefined;
  }

  private common(): { format: IacFormat; scope?: string } {
    return this.options.scope === undefined ? { format: this.options.format } : { format: this.options.format, scope: this.options.scope };
  }

  private locate(parent: unknown, key: string | number, fallback?: SourceLocation): SourceLocation {
    return this.options.sourceMap.locate(parent, key, fallback ?? { file: this.options.file, line: 1 });
  }

  private report(code: string, message: string, parent: unknown, key: string | number, severity: Diagnostic['severity'] = 'warning', hint?: string): void {
    const location = this.locate(parent, key);
    this.diagnostics.push(dropUndefined({ code, severity, message, file: location.file, line: location.line, hint }));
  }
}

/** The property holding the deployed name, by resource type. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::EventBus': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Serverless::StateMachine': 'Name',
};

/** The resource name at the end of an ARN of this kind (`arn:aws:lambda:r:a:function:name:alias` → `name`). */
function getNameFromArn(text: string, kind: EntityKind): string | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts = text.split(':');
  switch (kind) {
    case 'function':
      return parts[5] === 'function' ? parts[6] : undefined;
    case 'queue':
    case 'topic':
      return parts[5];
    case 'bus':
      return parts[5]?.replace(/^event-bus\//, '');
    case 'stateMachine':
      return parts[5] === 'stateMachine' ? parts[6] : undefined;
  }
}

/** `src/app.handler` → module `src/app`, export `handler`; undefined for handlers without a module part. */
export function splitHandler(raw: string): { module: string; export: string } | undefined {
  const slash = raw.lastIndexOf('/');
  const dot = raw.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === raw.length - 1) return undefined;
  return { module: raw.slice(0, dot), export: raw.slice(dot + 1) };
}

/** The esbuild entry point a handler module was bundled from: same path, or same file name. */
function findEntryPoint(module: string, entryPoints: readonly string[]): string | undefined {
  const stripped = entryPoints.map((entry) => entry.replace(/^\.\//, '').replace(/\.[cm]?[jt]sx?$/, ''));
  return (
    stripped.find((entry) => entry === module) ??
    stripped.find((entry) => entry.endsWith(`/${module}`)) ??
    stripped.find((entry) => posix.basename(entry) === posix.basename(module))
  );
}

/** `relative` (written in a file of folder `dir`) as a path from the analysed folder; undefined when outside it. */
export function toRootRelative(dir: string, relative: string): string | undefined {
  if (relative.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(relative)) return undefined;
  const joined = posix.normalize(posix.join(dir, relative.replace(/\\/g, '/'))).replace(/\/$/, '');
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined;
}

function getVariables(environment: unknown): Record<string, unknown> {
  return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
}

/** A copy without the keys whose value is undefined, so that JSON output and deep equality stay clean. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
