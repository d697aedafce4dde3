import { posix } from 'node:path';
import { buildValueContext, dropUndefined, readTemplate, splitHandler, toRootRelative, type TemplateResult } from '../../src/iac/cfn-template.js';
import {
  getLiteral,
  isIntrinsic,
  toDisplayText,
  toIacValue,
  toIntrinsicText,
  toJoin,
  Unresolved,
  type ValueContext,
} from '../../src/iac/cfn-values.js';
import { isPlainRecord, parseYaml } from '../../src/iac/cfn-yaml.js';
import { resolveServerlessVariables } from '../../src/iac/serverless-variables.js';
import { SourceMap } from '../../src/iac/source-map.js';
import type { FileIacAnalyzer, IacInput, IacResult } from '../../src/types/analyzers.js';
import type { Diagnostic, SourceLocation } from '../../src/types/diagnostics.js';
import type { ApiDef, BusDef, FunctionDef, HandlerRef, IacValue, StateMachineDef, TopicDef, TriggerDef } from '../../src/types/inventory.js';

/** Serverless Framework defaults for functions that set no timeout / memory (provider or function level). */
const SERVERLESS_DEFAULT_TIMEOUT = 6;
const SERVERLESS_DEFAULT_MEMORY = 1024;

export const serverless: FileIacAnalyzer = {
  id: 'serverless',
  description: 'Serverless Framework serverless.yml / serverless.json: functions, events and resources, read statically',
  matches: (file) => /(^|\/)serverless\.(ya?ml|json|[cm]?js|[cm]?ts)$/.test(file),
  analyze: (input) => {
    try {
      return analyzeServerless(input);
    } catch (error) {
      return {
        inventory: {},
        diagnostics: [{ code: 'iac-internal-error', severity: 'error', message: `serverless: ${String(error)}`, file: input.file }],
      };
    }
  },
};

function analyzeServerless(input: IacInput): IacResult {
  if (/\.[cm]?[jt]s$/.test(input.file)) {
    return {
      inventory: {},
      diagnostics: [
        {
          code: 'serverless-js-not-read',
          severity: 'info',
          message: `${posix.basename(input.file)} is code; it is never executed, so its configuration is not read`,
          file: input.file,
          hint: 'Keep a serverless.yml next to it, or analyse the generated CloudFormation template.',
        },
      ],
    };
  }
  const sourceMap = new SourceMap();
  const parsed = parseYaml(input.text, { file: input.file, limits: input.limits, sourceMap, json: input.file.endsWith('.json') });
  if (!parsed.ok) return { inventory: {}, diagnostics: parsed.diagnostics };
  if (!isPlainRecord(parsed.value)) {
    const what = parsed.value === null ? 'empty' : Array.isArray(parsed.value) ? 'a list' : 'a single value';
    const line = sourceMap.getNode(parsed.value)?.line ?? 1;
    const diagnostic: Diagnostic = {
      code: 'serverless-invalid',
      severity: 'warning',
      message: `${posix.basename(input.file)} is ${what}, not a mapping of service settings`,
      file: input.file,
      line,
    };
    return { inventory: {}, diagnostics: [...parsed.diagnostics, diagnostic] };
  }
  const providerName = isPlainRecord(parsed.value.provider) ? parsed.value.provider.name : parsed.value.provider;
  if (typeof providerName === 'string' && providerName !== 'aws') {
    const diagnostic: Diagnostic = {
      code: 'serverless-not-aws',
      severity: 'info',
      message: `provider "${providerName}" is not AWS; no Lambda functions to read`,
      file: input.file,
      line: sourceMap.getKey(parsed.value, 'provider')?.line ?? 1,
    };
    return { inventory: {}, diagnostics: [...parsed.diagnostics, diagnostic] };
  }
  const resolved = resolveServerlessVariables(parsed.value, {
    file: input.file,
    root: input.root,
    limits: input.limits,
    sourceMap,
  });
  const reader = new ServerlessReader(input, parsed.value, resolved.config, resolved.stage, sourceMap);
  reader.read();
  return { inventory: reader.getInventory(), diagnostics: [...parsed.diagnostics, ...resolved.diagnostics, ...reader.diagnostics] };
}

/** A state machine of the serverless-step-functions plugin (`stepFunctions.stateMachines.<key>`). */
interface StateMachineEntry {
  key: string;
  config: Record<string, unknown>;
  parent: Record<string, unknown>;
  /** `definition: ${file(./x.asl.json)}` as written, before the file was included. */
  definitionFile?: string;
}

interface FunctionEntry {
  key: string;
  config: Record<string, unknown>;
  /** The map the function is declared in (functions may come from several included files). */
  parent: Record<string, unknown>;
}

class ServerlessReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly dir: string;
  private readonly provider: Record<string, unknown>;
  private readonly service: IacValue | undefined;
  private readonly scope: string | undefined;
  private readonly entries: FunctionEntry[];
  private readonly machines: StateMachineEntry[];
  private readonly context: ValueContext;
  private readonly template: TemplateResult;
  private readonly functions: FunctionDef[] = [];
  private readonly triggers: TriggerDef[] = [];
  private readonly apis: ApiDef[] = [];
  private readonly createdTopics: TopicDef[] = [];
  private readonly createdBuses: BusDef[] = [];

  constructor(
    private readonly input: IacInput,
    rawConfig: Record<string, unknown>,
    private readonly config: Record<string, unknown>,
    private readonly stage: string,
    private readonly sourceMap: SourceMap,
  ) {
    this.dir = posix.dirname(input.file);
    this.provider = isPlainRecord(config.provider) ? config.provider : {};
    this.entries = this.getFunctionEntries();
    this.machines = this.getStateMachineEntries(rawConfig);
    // The logical ids Serverless (and the step functions plugin) generate, so that `!GetAtt XLambdaFunction.Arn` finds X.
    const aliases = new Map<string, { target: string; type: string }>();
    for (const entry of this.entries) {
      aliases.set(`${normalizeFunctionName(entry.key)}LambdaFunction`, { target: entry.key, type: 'AWS::Lambda::Function' });
    }
    for (const machine of this.machines) {
      const type = 'AWS::StepFunctions::StateMachine';
      aliases.set(`${normalizeFunctionName(machine.key)}StepFunctionsStateMachine`, { target: machine.key, type });
      if (typeof machine.config.id === 'string') aliases.set(machine.config.id, { target: machine.key, type });
    }
    const resources = this.getResourcesTemplate();
    this.context = buildValueContext(resources, aliases);
    this.service = this.getService();
    this.scope = this.service ? toDisplayText(this.service) : undefined;
    const names = [
      ...this.entries.map((entry) => ({ id: entry.key, type: 'AWS::Lambda::Function', name: this.getFunctionName(entry) })),
      ...this.machines.map((machine) => ({ id: machine.key, type: 'AWS::StepFunctions::StateMachine', name: this.toValue(machine.config.name) })),
    ];
    this.template = readTemplate(resources, {
      file: input.file,
      format: 'serverless',
      scope: this.scope,
      dir: this.dir,
      sourceMap,
      extraEntities: names,
      aliases,
    });
    this.diagnostics.push(...this.template.diagnostics);
  }

  read(): void {
    for (const entry of this.entries) {
      try {
        this.readFunction(entry);
      } catch (error) {
        this.report('serverless-invalid-function', `Function ${entry.key} could not be read: ${String(error)}`, entry.parent, entry.key);
      }
    }
  }

  /**
   * The API Serverless creates for `http` (`ApiGatewayRestApi`, paths under `/<stage>`) or `httpApi` events
   * (`HttpApi`, the `$default` stage), so that `!Ref ApiGatewayRestApi` in a URL leads to its routes.
   */
  private addApi(id: 'ApiGatewayRestApi' | 'HttpApi', location: SourceLocation): void {
    if (this.apis.some((api) => api.id === id)) return;
    const kind = id === 'HttpApi' ? 'http' : 'rest';
    this.apis.push({ id, kind, ...(kind === 'rest' ? { stages: [this.stage] } : {}), location, format: 'serverless' });
  }

  getInventory(): IacResult['inventory'] {
    const fromTemplate = this.template.inventory;
    return {
      apis: [...this.apis, ...fromTemplate.apis],
      parameters: fromTemplate.parameters,
      functions: [...this.functions, ...fromTemplate.functions],
      queues: fromTemplate.queues,
      topics: [...fromTemplate.topics, ...this.createdTopics],
      buses: [...fromTemplate.buses, ...this.createdBuses],
      stateMachines: [...this.getStateMachines(), ...fromTemplate.stateMachines],
      triggers: [...this.triggers, ...fromTemplate.triggers],
    };
  }

  /** `service: name` or `service: { name }`. */
  private getService(): IacValue | undefined {
    const service = isPlainRecord(this.config.service) ? this.config.service.name : this.config.service;
    const value = this.toValue(service);
    if (!value) this.report('serverless-missing-service', 'No `service` name; deployed names are unknown', this.config, 'service');
    return value;
  }

  /** `functions:` as a map, or as a list of maps (typically `- ${file(fns.yml)}` includes). */
  private getFunctionEntries(): FunctionEntry[] {
    const functions = this.config.functions;
    if (functions === undefined || functions === null) return [];
    const maps = Array.isArray(functions) ? functions : [functions];
    const entries: FunctionEntry[] = [];
    for (const map of maps) {
      if (!isPlainRecord(map)) {
        this.report('serverless-invalid-function', '`functions` must be a mapping of function names', this.config, 'functions');
        continue;
      }
      for (const [key, config] of Object.entries(map)) {
        if (isPlainRecord(config)) entries.push({ key, config, parent: map });
        else this.report('serverless-invalid-function', `Function ${key} is not a mapping`, map, key);
      }
    }
    return entries;
  }

  /** `stepFunctions.stateMachines` of the serverless-step-functions plugin. */
  private getStateMachineEntries(rawConfig: Record<string, unknown>): StateMachineEntry[] {
    const section = isPlainRecord(this.config.stepFunctions) ? this.config.stepFunctions.stateMachines : undefined;
    if (!isPlainRecord(section)) return [];
    const rawSection = isPlainRecord(rawConfig.stepFunctions) ? rawConfig.stepFunctions.stateMachines : undefined;
    const entries: StateMachineEntry[] = [];
    for (const [key, config] of Object.entries(section)) {
      if (!isPlainRecord(config)) {
        this.report('serverless-invalid-state-machine', `State machine ${key} is not a mapping`, section, key);
        continue;
      }
      const raw = isPlainRecord(rawSection) && isPlainRecord(rawSection[key]) ? rawSection[key].definition : undefined;
      const included = typeof raw === 'string' ? /^\$\{file\(\s*['"]?([^'")]+?)['"]?\s*\)(?::[^}]*)?\}$/.exec(raw.trim()) : null;
      const definitionFile = included ? toRootRelative(this.dir, included[1]) : undefined;
      entries.push(dropUndefined({ key, config, parent: section, definitionFile }));
    }
    return entries;
  }

  private getStateMachines(): StateMachineDef[] {
    return this.machines.map((machine) =>
      dropUndefined({
        id: machine.key,
        name: this.toValue(machine.config.name),
        definitionFile: machine.definitionFile,
        location: this.locate(machine.parent, machine.key),
        format: 'serverless' as const,
        scope: this.scope,
      }),
    );
  }

  /** `resources:` (`{ Resources, ... }` or a list of such, usually `${file(...)}` includes) as one template. */
  private getResourcesTemplate(): Record<string, unknown> {
    const template: Record<string, Record<string, unknown>> = { Resources: {}, Parameters: {}, Mappings: {}, Conditions: {} };
    const resources = this.config.resources;
    if (resources === undefined || resources === null) return template;
    const parts = Array.isArray(resources) ? resources : [resources];
    parts.forEach((part, index) => {
      if (!isPlainRecord(part)) {
        const text = part instanceof Unresolved ? part.text : typeof part;
        this.report('serverless-invalid-resources', `resources entry ${text} is not a mapping; skipped`, Array.isArray(resources) ? resources : this.config, Array.isArray(resources) ? index : 'resources');
        return;
      }
      for (const section of Object.keys(template)) {
        const value = part[section];
        if (!isPlainRecord(value)) continue;
        for (const [key, item] of Object.entries(value)) {
          Object.defineProperty(template[section], key, { value: item, enumerable: true, writable: true, configurable: true });
          const location = this.sourceMap.getKey(value, key);
          if (location) this.sourceMap.setKey(template[section], key, location);
        }
      }
    });
    return template;
  }

  /** `name:` if set, else the default `<service>-<stage>-<key>`. */
  private getFunctionName(entry: FunctionEntry): IacValue {
    const explicit = this.toValue(entry.config.name);
    if (explicit) return explicit;
    const service = this.service ?? { kind: 'unknown', text: '${self:service}' };
    return toJoin([service, { kind: 'literal', value: `-${this.stage}-${entry.key}` }]);
  }

  private readFunction(entry: FunctionEntry): void {
    const { key, config } = entry;
    const environment: FunctionDef['environment'] = {};
    const variables = { ...getRecord(this.provider.environment), ...getRecord(config.environment) };
    for (const name of Object.keys(variables).toSorted()) {
      const value = this.toValue(variables[name]);
      if (value) environment[name] = value;
    }
    this.functions.push(
      dropUndefined({
        id: key,
        name: this.getFunctionName(entry),
        handler: config.image === undefined ? this.toHandler(config.handler, config) : undefined,
        runtime: this.toText(config.runtime ?? this.provider.runtime),
        timeout: this.toNumber(config.timeout) ?? this.toNumber(this.provider.timeout) ?? SERVERLESS_DEFAULT_TIMEOUT,
        memorySize: this.toNumber(config.memorySize) ?? this.toNumber(this.provider.memorySize) ?? SERVERLESS_DEFAULT_MEMORY,
        architecture: this.toText(config.architecture ?? this.provider.architecture),
        environment,
        location: this.locate(entry.parent, key),
        format: 'serverless' as const,
        scope: this.scope,
      }),
    );
    const events = config.events;
    if (events === undefined || events === null) return;
    if (!Array.isArray(events)) {
      this.report('serverless-invalid-event', `events of ${key} must be a list`, config, 'events');
      return;
    }
    const counters = new Map<string, number>();
    events.forEach((event, index) => {
      try {
        this.readEvent(key, event, events, index, counters);
      } catch (error) {
        this.report('serverless-invalid-event', `Event ${index + 1} of ${key} could not be read: ${String(error)}`, events, index);
      }
    });
  }

  /** `src/handlers/create.handler` → module `src/handlers/create` (from the analysed folder), export `handler`. */
  private toHandler(value: unknown, config: Record<string, unknown>): HandlerRef | undefined {
    const raw = this.toText(value);
    if (raw === undefined) return undefined;
    const split = splitHandler(raw);
    const module = split ? toRootRelative(this.dir, split.module) : undefined;
    if (!split || module === undefined) {
      this.report('serverless-invalid-handler', `Handler "${raw}" does not name a module inside the analysed folder`, config, 'handler', 'info');
      return undefined;
    }
    return { raw, module, export: split.export };
  }

  private readEvent(to: string, event: unknown, events: unknown[], index: number, counters: Map<string, number>): void {
    const location = this.locate(events, index);
    if (!isPlainRecord(event) || Object.keys(event).length !== 1) {
      this.report('serverless-invalid-event', `Event ${index + 1} of ${to} is not a single \`type: settings\` entry`, events, index);
      return;
    }
    const [type] = Object.keys(event);
    const value = event[type];
    // Settings object, or the value itself when written in short form (`sqs: arn:...`, `sqs: !GetAtt Q.Arn`).
    const settings: Record<string, unknown> = isPlainRecord(value) && !isIntrinsic(value) ? value : {};
    const next = (counter: string) => {
      const number = (counters.get(counter) ?? 0) + 1;
      counters.set(counter, number);
      return number;
    };
    const push = (kind: TriggerDef['kind'], from: IacValue | undefined, details: TriggerDef['details']) => {
      this.triggers.push(dropUndefined({ kind, from, to, details, location, format: 'serverless' as const }));
    };
    switch (type) {
      case 'http':
      case 'httpApi': {
        const [method, path] = typeof value === 'string' ? splitRoute(value) : [this.toText(settings.method), this.toText(settings.path)];
        // REST paths may be written without the leading slash (`users/{id}`); API Gateway has it.
        const route = type === 'http' && path !== undefined && !path.startsWith('/') ? `/${path}` : path;
        const apiId = type === 'http' ? 'ApiGatewayRestApi' : 'HttpApi';
        push('http', undefined, this.toDetails({ method: method?.toUpperCase(), path: route, api: type === 'http' ? 'rest' : 'http', apiId }));
        this.addApi(apiId, location);
        break;
      }
      case 'schedule': {
        // One rule per expression (`rate` may be a list), numbered in the function as Serverless names them;
        // the rule's logical id is what the graph uses as the schedule node id.
        const rates = Array.isArray(settings.rate) ? settings.rate : [settings === value ? settings.rate : value];
        for (const rate of rates) {
          const rule = `${normalizeFunctionName(to)}EventsRuleSchedule${next('schedule')}`;
          push('schedule', undefined, this.toDetails({ schedule: rate, rule, enabled: settings.enabled }));
        }
        break;
      }
      case 's3': {
        const bucket = typeof value === 'string' ? value : settings.bucket;
        push('s3', this.toValue(bucket), this.toDetails({ bucket, event: settings.event ?? 's3:ObjectCreated:*', existing: settings.existing }));
        break;
      }
      case 'sqs': {
        const arn = settings === value ? settings.arn : value;
        push(
          'sqs',
          this.toSource(arn, 'queue'),
          this.toDetails({
            batchSize: settings.batchSize,
            maximumBatchingWindow: settings.maximumBatchingWindow,
            functionResponseType: settings.functionResponseType,
            enabled: settings.enabled,
          }),
        );
        break;
      }
      case 'sns':
        push('sns', this.getSnsSource(value, settings, location), this.toDetails({ filterPolicy: settings.filterPolicy, filterPolicyScope: settings.filterPolicyScope }));
        break;
      case 'stream': {
        const from = this.toValue(settings === value ? settings.arn : value);
        push('stream', from, this.toDetails({ type: settings.type ?? this.getStreamType(from), batchSize: settings.batchSize, startingPosition: settings.startingPosition, enabled: settings.enabled }));
        break;
      }
      case 'eventBridge':
        push('eventbridge', this.getBusSource(settings.eventBus, location), this.toDetails({ pattern: settings.pattern, schedule: settings.schedule, enabled: settings.enabled }));
        break;
      case 'cloudwatchEvent':
        push('eventbridge', { kind: 'literal', value: 'default' }, this.toDetails({ pattern: settings.event, rule: `${normalizeFunctionName(to)}EventsRuleCloudWatchEvent${next('cloudwatchEvent')}`, enabled: settings.enabled }));
        break;
      default:
        push('other', undefined, { type });
    }
  }

  /**
   * `sns: name` / `{ topicName }` without an ARN: Serverless creates the topic, unless `resources` declares one
   * with that name. `sns: arn:...` / `{ arn }` refers to an existing topic.
   */
  private getSnsSource(value: unknown, settings: Record<string, unknown>, location: SourceLocation): IacValue | undefined {
    const arn = typeof value === 'string' ? (value.startsWith('arn:') ? value : undefined) : settings === value ? settings.arn : value;
    if (arn !== undefined) return this.toSource(arn, 'topic');
    const name = this.toValue(typeof value === 'string' ? value : settings.topicName);
    if (!name) return undefined;
    const declared = this.template.resolveEntity(name, ['topic']);
    if (declared) return { kind: 'ref', target: declared, attribute: 'arn' };
    const id = toDisplayText(name);
    if (!this.createdTopics.some((topic) => topic.id === id)) {
      this.createdTopics.push(dropUndefined({ id, name, location, format: 'serverless' as const, scope: this.scope }));
    }
    return { kind: 'ref', target: id, attribute: 'arn' };
  }

  /** The bus of an `eventBridge` event: a name Serverless creates (unless declared), an ARN, or `default`. */
  private getBusSource(eventBus: unknown, location: SourceLocation): IacValue {
    const value = this.toValue(eventBus);
    const name = getLiteral(value);
    if (!value || name === 'default') return { kind: 'literal', value: 'default' };
    if (name === undefined || name.startsWith('arn:')) return this.toSource(eventBus, 'bus') ?? value;
    const declared = this.template.resolveEntity(value, ['bus']);
    if (declared) return { kind: 'ref', target: declared, attribute: 'name' };
    if (!this.createdBuses.some((bus) => bus.id === name)) {
      this.createdBuses.push(dropUndefined({ id: name, name: value, location, format: 'serverless' as const, scope: this.scope }));
    }
    return { kind: 'ref', target: name, attribute: 'name' };
  }

  /** An ARN/intrinsic source; a literal ARN of a queue/topic/bus declared in `resources` becomes a ref to it. */
  private toSource(value: unknown, kind: 'queue' | 'topic' | 'bus'): IacValue | undefined {
    const result = this.toValue(value);
    if (result?.kind !== 'literal') return result;
    const declared = this.template.resolveEntity(result, [kind]);
    return declared ? { kind: 'ref', target: declared, attribute: 'arn' } : result;
  }

  private getStreamType(from: IacValue | undefined): string | undefined {
    if (!from) return undefined;
    if (from.kind === 'ref') {
      const type = this.context.resources.get(from.target);
      if (type === 'AWS::Kinesis::Stream') return 'kinesis';
      if (type === 'AWS::DynamoDB::Table') return 'dynamodb';
    }
    const text = toIntrinsicText(from);
    return /:kinesis:/.test(text) ? 'kinesis' : /:dynamodb:/.test(text) ? 'dynamodb' : undefined;
  }

  /** Trigger details: text and numbers as they are, intrinsics as resolved text, objects (patterns) as JSON. */
  private toDetails(values: Record<string, unknown>): TriggerDef['details'] {
    const details: TriggerDef['details'] = {};
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined || value === null) continue;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') details[key] = value;
      else if (!isPlainRecord(value) || isIntrinsic(value)) {
        const resolved = this.toValue(value);
        if (resolved) details[key] = toDisplayText(resolved);
      } else details[key] = toIntrinsicText(value);
    }
    return details;
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

  private locate(parent: unknown, key: string | number): SourceLocation {
    return this.sourceMap.locate(parent, key, { file: this.input.file, line: 1 });
  }

  private report(code: string, message: string, parent: unknown, key: string | number, severity: Diagnostic['severity'] = 'warning'): void {
    const location = this.locate(parent, key);
    this.diagnostics.push({ code, severity, message, file: location.file, line: location.line });
  }
}

/** Serverless's `getNormalizedFunctionName`: first letter upper-cased, `-` → `Dash`, `_` → `Underscore`. */
export function normalizeFunctionName(name: string): string {
  const replaced = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return replaced.charAt(0).toUpperCase() + replaced.slice(1);
}

/** `GET /users` → `['GET', '/users']`; `*` (httpApi catch-all) → `['*', '*']`. */
function splitRoute(route: string): [string | undefined, string | undefined] {
  const trimmed = route.trim();
  if (trimmed === '*') return ['*', '*'];
  const space = trimmed.search(/\s/);
  return space < 0 ? [undefined, trimmed] : [trimmed.slice(0, space), trimmed.slice(space).trim()];
}

function getRecord(value: unknown): Record<string, unknown> {
  return isPlainRecord(value) ? value : {};
}
