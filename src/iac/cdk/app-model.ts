import type { Diagnostic, SourceLocation } from '../../types/diagnostics.js';
import {
  emptyInventory,
  type FunctionDef,
  type HandlerRef,
  type IacValue,
  type Inventory,
  type TriggerDef,
  type TriggerKind,
} from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import { assignIds } from './construct-ids.js';
import { toDisplayJson, type CdkConstruct, type StrPart, type Value } from './values.js';

export interface FunctionRecord {
  c: CdkConstruct;
  name?: Value;
  handler?: HandlerRef;
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  architecture?: string;
  environment: Map<string, Value>;
}

export interface QueueRecord {
  c: CdkConstruct;
  name?: Value;
  fifo?: boolean;
  visibilityTimeout?: number;
  deadLetter?: { queue: Value; maxReceiveCount?: number; location: SourceLocation };
}

export interface ResourceRecord {
  c: CdkConstruct;
  name?: Value;
  fifo?: boolean;
  definitionFile?: string;
}

/** An EventBridge rule (or an EventBridge Scheduler schedule): its triggers are made once all its targets are known. */
export interface RuleRecord {
  c: CdkConstruct;
  schedule?: string;
  pattern?: Value;
  /** The bus construct or imported bus; undefined for the default bus. */
  bus?: Value;
  enabled?: boolean;
  targets: { to: CdkConstruct; location: SourceLocation }[];
}

/** An API Gateway API; its routes are `http` triggers whose `api` is this construct. */
export interface ApiRecord {
  c: CdkConstruct;
  kind: 'rest' | 'http';
  name?: Value;
  stages?: string[];
}

/** An SSM parameter the app writes (`ssm.StringParameter`). */
export interface ParameterRecord {
  c: CdkConstruct;
  name?: Value;
  value?: Value;
}

export interface TriggerRecord {
  kind: TriggerKind;
  /** For HTTP routes: the API, whose final id becomes `details.apiId`. */
  api?: CdkConstruct;
  /** The source: a string value (often a reference to a construct attribute), or undefined. */
  from?: Value;
  to: CdkConstruct;
  details: TriggerDef['details'];
  location: SourceLocation;
}

/** Everything the evaluation of a CDK app declares, keyed by construct; ids are given at the end. */
export class AppModel {
  readonly functions: FunctionRecord[] = [];
  readonly queues: QueueRecord[] = [];
  readonly topics: ResourceRecord[] = [];
  readonly buses: ResourceRecord[] = [];
  readonly stateMachines: ResourceRecord[] = [];
  readonly rules: RuleRecord[] = [];
  readonly triggers: TriggerRecord[] = [];
  readonly apis: ApiRecord[] = [];
  readonly parameters: ParameterRecord[] = [];
  private readonly functionsByConstruct = new Map<CdkConstruct, FunctionRecord>();
  private readonly rulesByConstruct = new Map<CdkConstruct, RuleRecord>();

  addFunction(record: FunctionRecord): FunctionRecord {
    this.functions.push(record);
    this.functionsByConstruct.set(record.c, record);
    return record;
  }

  getFunction(c: CdkConstruct | undefined): FunctionRecord | undefined {
    return c ? this.functionsByConstruct.get(c) : undefined;
  }

  addRule(record: RuleRecord): RuleRecord {
    this.rules.push(record);
    this.rulesByConstruct.set(record.c, record);
    return record;
  }

  getRule(c: CdkConstruct | undefined): RuleRecord | undefined {
    return c ? this.rulesByConstruct.get(c) : undefined;
  }

  /** Whether a construct is an entity of the inventory (a trigger may point at it). */
  isEntity(c: CdkConstruct): boolean {
    return ['function', 'queue', 'topic', 'bus', 'stateMachine'].includes(c.kind) && c.imported === undefined;
  }

  /** The Inventory, with ids given by the construct-id rule; duplicate paths are reported and dropped. */
  toInventory(): { inventory: Inventory; diagnostics: Diagnostic[] } {
    const entities = [
      ...this.functions.map((r) => r.c),
      ...this.queues.map((r) => r.c),
      ...this.topics.map((r) => r.c),
      ...this.buses.map((r) => r.c),
      ...this.stateMachines.map((r) => r.c),
      ...this.rules.map((r) => r.c),
      ...this.apis.map((r) => r.c),
      ...this.parameters.map((r) => r.c),
    ];
    const { ids, duplicates } = assignIds(entities);
    // One report per path, however many times it was made again (a loop with a constant id).
    const copies = new Map<string, { c: CdkConstruct; count: number }>();
    for (const c of duplicates) {
      const key = c.path.join('/');
      const entry = copies.get(key);
      if (entry) entry.count++;
      else copies.set(key, { c, count: 1 });
    }
    const diagnostics: Diagnostic[] = [...copies].map(([path, { c, count }]) => ({
      code: 'cdk-duplicate-id',
      severity: 'info' as const,
      message: `construct id ${path} is created ${count === 1 ? 'twice' : `${count + 1} times`} (both branches of a condition decided at deploy time?); the first one is kept`,
      file: c.location.file,
      line: c.location.line,
    }));
    const keep = <T extends { c: CdkConstruct }>(records: readonly T[]) => records.filter((record) => !duplicates.has(record.c));
    const value = (v: Value | undefined) => (v === undefined ? undefined : toIacValue(v, ids));
    const inventory = emptyInventory();
    for (const record of keep(this.functions)) {
      const environment: FunctionDef['environment'] = {};
      for (const key of [...record.environment.keys()].sort()) {
        const converted = value(record.environment.get(key));
        if (converted) environment[key] = converted;
      }
      inventory.functions.push(
        dropUndefined({
          id: ids.get(record.c)!,
          name: value(record.name),
          handler: record.handler,
          runtime: record.runtime,
          timeout: record.timeout,
          memorySize: record.memorySize,
          architecture: record.architecture,
          environment,
          ...common(record.c),
        }),
      );
    }
    for (const record of keep(this.queues)) {
      const deadLetter = record.deadLetter && value(record.deadLetter.queue);
      inventory.queues.push(
        dropUndefined({
          id: ids.get(record.c)!,
          name: value(record.name),
          fifo: record.fifo,
          visibilityTimeout: record.visibilityTimeout,
          deadLetter: deadLetter && dropUndefined({ target: deadLetter, maxReceiveCount: record.deadLetter!.maxReceiveCount, location: record.deadLetter!.location }),
          ...common(record.c),
        }),
      );
    }
    for (const record of keep(this.topics)) inventory.topics.push(dropUndefined({ id: ids.get(record.c)!, name: value(record.name), fifo: record.fifo, ...common(record.c) }));
    for (const record of keep(this.buses)) inventory.buses.push(dropUndefined({ id: ids.get(record.c)!, name: value(record.name), ...common(record.c) }));
    for (const record of keep(this.stateMachines)) {
      inventory.stateMachines.push(dropUndefined({ id: ids.get(record.c)!, name: value(record.name), definitionFile: record.definitionFile, ...common(record.c) }));
    }
    for (const record of keep(this.apis)) {
      inventory.apis.push(dropUndefined({ id: ids.get(record.c)!, kind: record.kind, name: value(record.name), stages: record.stages, ...common(record.c) }));
    }
    for (const record of keep(this.parameters)) {
      inventory.parameters.push(dropUndefined({ id: ids.get(record.c)!, name: value(record.name), value: value(record.value), ...common(record.c) }));
    }
    const triggers: TriggerDef[] = [];
    for (const trigger of this.triggers) {
      const to = ids.get(trigger.to);
      if (to === undefined) continue;
      const apiId = trigger.api && ids.get(trigger.api);
      const details = apiId === undefined ? trigger.details : { ...trigger.details, apiId };
      triggers.push(dropUndefined({ kind: trigger.kind, from: value(trigger.from), to, details, location: trigger.location, format: 'cdk' as const }));
    }
    for (const rule of keep(this.rules)) triggers.push(...toRuleTriggers(rule, ids));
    const seen = new Set<string>();
    inventory.triggers = triggers
      .filter((trigger) => {
        const key = JSON.stringify(trigger);
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .map((trigger, index) => ({ trigger, index }))
      .sort((a, b) => compareLocations(a.trigger.location, b.trigger.location) || a.index - b.index)
      .map(({ trigger }) => trigger);
    return { inventory, diagnostics };
  }
}

function common(c: CdkConstruct): { location: SourceLocation; format: 'cdk'; scope?: string } {
  return dropUndefined({ location: c.location, format: 'cdk' as const, scope: c.stack?.id });
}

/** One trigger per target of a rule: `schedule` when the rule has only a schedule, `eventbridge` when it has a pattern. */
function toRuleTriggers(rule: RuleRecord, ids: ReadonlyMap<CdkConstruct, string>): TriggerDef[] {
  const id = ids.get(rule.c)!;
  const isSchedule = rule.schedule !== undefined && rule.pattern === undefined;
  const triggers: TriggerDef[] = [];
  for (const target of rule.targets) {
    const to = ids.get(target.to);
    if (to === undefined) continue;
    const details: TriggerDef['details'] = { rule: id };
    if (rule.schedule !== undefined) details.schedule = rule.schedule;
    if (rule.pattern !== undefined) details.pattern = toDisplayJson(rule.pattern);
    if (rule.enabled !== undefined) details.enabled = rule.enabled;
    const from = isSchedule ? undefined : rule.bus ? toIacValue(rule.bus, ids) : { kind: 'literal' as const, value: 'default' };
    triggers.push(dropUndefined({ kind: isSchedule ? ('schedule' as const) : ('eventbridge' as const), from, to, details, location: target.location, format: 'cdk' as const }));
  }
  return triggers;
}

/** A value as an IaC value: strings by parts (references to constructs by their final id), other values as unknown text. */
export function toIacValue(value: Value, ids: ReadonlyMap<CdkConstruct, string>): IacValue | undefined {
  switch (value.t) {
    case 'undef':
    case 'null':
      return undefined;
    case 'num':
    case 'bool':
      return { kind: 'literal', value: String(value.v) };
    case 'str': {
      const parts = value.parts.map((part) => toIacPart(part, ids));
      if (parts.length === 0) return { kind: 'literal', value: '' };
      return parts.length === 1 ? parts[0] : { kind: 'join', parts };
    }
    case 'unknown':
      return { kind: 'unknown', text: value.text };
    case 'ext':
      return { kind: 'unknown', text: value.name };
    case 'call':
    case 'inst':
      return { kind: 'unknown', text: value.node.getText() };
    default:
      return { kind: 'unknown', text: toDisplayJson(value) };
  }
}

function toIacPart(part: StrPart, ids: ReadonlyMap<CdkConstruct, string>): IacValue {
  if (part.k === 'lit') return { kind: 'literal', value: part.v };
  if (part.k === 'unknown') return { kind: 'unknown', text: part.text };
  const target = ids.get(part.c);
  return target === undefined ? { kind: 'unknown', text: part.text } : { kind: 'ref', target, attribute: part.attr };
}

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}
