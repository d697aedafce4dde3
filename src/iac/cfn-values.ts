import type { IacValue, RefAttribute } from '../types/inventory.js';
import { isPlainRecord, isRecord } from './cfn-yaml.js';

/**
 * Turns CloudFormation values (long form: `{ Ref: X }`, `{ 'Fn::Sub': ... }`) into the symbolic IacValue that
 * resolve matches against targets in code. What cannot be known before deployment (pseudo parameters, imports,
 * conditions) becomes `unknown` with the text as written, never an error.
 */

/** A value that cannot be known statically (`${ssm:...}`, `${aws:accountId}`); produced by variable resolution. */
export class Unresolved {
  constructor(readonly text: string) {}
}

/**
 * A string some of whose pieces are not text: literal strings, Unresolved pieces, or CloudFormation values
 * (`prefix-${self:custom.queueArn}` where the variable holds `!GetAtt Q.Arn`). Produced by variable resolution.
 */
export class Interpolation {
  constructor(readonly parts: readonly unknown[]) {}
}

/** What the template declares, for what `Ref` and `Fn::GetAtt` point at. */
export interface ValueContext {
  /** Logical id → resource type (`AWS::SQS::Queue`). */
  resources: ReadonlyMap<string, string>;
  /** Parameter name → its `Default` (undefined when it has none). */
  parameters: ReadonlyMap<string, unknown>;
  /** The template's `Mappings`, for `Fn::FindInMap` with literal keys. */
  mappings: Readonly<Record<string, unknown>>;
  /** Generated logical ids that stand for an inventory entry (serverless `PlaceOrderLambdaFunction` → `placeOrder`). */
  aliases: ReadonlyMap<string, { target: string; type: string }>;
}

export function emptyValueContext(): ValueContext {
  return { resources: new Map(), parameters: new Map(), mappings: {}, aliases: new Map() };
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Intrinsics are rarely nested more than a few levels; deeper means a hostile or broken value. */
const MAX_INTRINSIC_DEPTH = 32;

export const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
export const STATE_MACHINE_TYPES = new Set(['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine']);

/** What `Ref` returns for a resource type (CloudFormation "Return values" of each resource). */
const REF_ATTRIBUTES: Record<string, RefAttribute> = {
  'AWS::Lambda::Function': 'name',
  'AWS::Serverless::Function': 'name',
  'AWS::SQS::Queue': 'url',
  'AWS::SNS::Topic': 'arn',
  'AWS::Events::EventBus': 'name',
  'AWS::Events::Rule': 'name',
  'AWS::StepFunctions::StateMachine': 'arn',
  'AWS::Serverless::StateMachine': 'arn',
  'AWS::DynamoDB::Table': 'name',
  'AWS::Serverless::SimpleTable': 'name',
  'AWS::S3::Bucket': 'name',
  'AWS::Kinesis::Stream': 'name',
  'AWS::IAM::Role': 'name',
  'AWS::Lambda::Alias': 'arn',
  'AWS::Lambda::Version': 'arn',
  'AWS::Lambda::LayerVersion': 'arn',
};

/** What `Fn::GetAtt [X, attribute]` gives, by attribute name. */
const GET_ATT_ATTRIBUTES: Record<string, RefAttribute> = {
  Arn: 'arn',
  TopicArn: 'arn',
  QueueUrl: 'url',
  QueueName: 'name',
  TopicName: 'name',
  Name: 'name',
  StateMachineName: 'name',
  Id: 'id',
};

/** What `Ref` returns for a resource of this type; `id` (the physical id) for types we do not list. */
export function getRefAttribute(resourceType: string | undefined): RefAttribute {
  return (resourceType && REF_ATTRIBUTES[resourceType]) || 'id';
}

/**
 * The IacValue of a CloudFormation value. Strings stay literal, numbers and booleans become literal strings,
 * `null` and `AWS::NoValue` give undefined (the property is absent), other objects and lists become `unknown`.
 */
export function toIacValue(value: unknown, context: ValueContext, depth = 0): IacValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'literal', value };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value: String(value) };
  if (value instanceof Unresolved) return { kind: 'unknown', text: value.text };
  if (depth > MAX_INTRINSIC_DEPTH) return { kind: 'unknown', text: toIntrinsicText(value) };
  if (value instanceof Interpolation) {
    return toJoin(value.parts.map((part) => toIacValue(part, context, depth + 1) ?? literal('')));
  }
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const result = toIntrinsicValue(keys[0], value[keys[0]], context, depth);
      if (result !== NOT_INTRINSIC) return result;
    }
  }
  return { kind: 'unknown', text: toIntrinsicText(value) };
}

const NOT_INTRINSIC = Symbol('not an intrinsic');

function toIntrinsicValue(
  name: string,
  args: unknown,
  context: ValueContext,
  depth: number,
): IacValue | undefined | typeof NOT_INTRINSIC {
  const text = (): IacValue => ({ kind: 'unknown', text: toIntrinsicText({ [name]: args }) });
  switch (name) {
    case 'Ref':
      return typeof args === 'string' ? toRefValue(args, context) : text();
    case 'Fn::GetAtt': {
      const [target, attribute] = getGetAttParts(args);
      return target !== undefined && attribute !== undefined ? toGetAttValue(target, attribute, context) : text();
    }
    case 'Fn::Sub':
      return toSubValue(args, context, depth) ?? text();
    case 'Fn::Join':
      return toJoinValue(args, context, depth) ?? text();
    case 'Fn::If': {
      // Which branch applies depends on deployment-time conditions; only a choice between equals is known.
      if (!Array.isArray(args) || args.length !== 3) return text();
      const whenTrue = toIacValue(args[1], context, depth + 1);
      const whenFalse = toIacValue(args[2], context, depth + 1);
      return whenTrue && whenFalse && JSON.stringify(whenTrue) === JSON.stringify(whenFalse) ? whenTrue : text();
    }
    case 'Fn::Select':
      return toSelectValue(args, context, depth) ?? text();
    case 'Fn::FindInMap':
      return toFindInMapValue(args, context, depth) ?? text();
    default:
      return name.startsWith('Fn::') || name === 'Condition' ? text() : NOT_INTRINSIC;
  }
}

/** `Ref X`: a resource → ref with what Ref returns; a parameter → its default; a pseudo parameter → unknown. */
function toRefValue(name: string, context: ValueContext): IacValue | undefined {
  if (name === 'AWS::NoValue') return undefined;
  if (PSEUDO_PARAMETERS.has(name) || name.startsWith('AWS::')) return { kind: 'unknown', text: `\${${name}}` };
  const alias = context.aliases.get(name);
  if (alias) return { kind: 'ref', target: alias.target, attribute: getRefAttribute(alias.type) };
  const type = context.resources.get(name);
  if (type !== undefined) return { kind: 'ref', target: name, attribute: getRefAttribute(type) };
  if (context.parameters.has(name)) {
    const fallback = context.parameters.get(name);
    if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') {
      return { kind: 'literal', value: String(fallback) };
    }
    return { kind: 'unknown', text: `\${${name}}` };
  }
  // Declared elsewhere (another resources file, or generated by the deployment tool): keep the reference.
  return { kind: 'ref', target: name, attribute: 'id' };
}

function toGetAttValue(target: string, attribute: string, context: ValueContext): IacValue {
  const alias = context.aliases.get(target);
  return { kind: 'ref', target: alias?.target ?? target, attribute: GET_ATT_ATTRIBUTES[attribute] ?? 'other' };
}

/** `['A', 'B']` or `['A', 'B.C']` → `['A', 'B.C']`; anything else (an intrinsic as attribute) → undefined parts. */
function getGetAttParts(args: unknown): [string | undefined, string | undefined] {
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    return dot < 0 ? [args, undefined] : [args.slice(0, dot), args.slice(dot + 1)];
  }
  if (Array.isArray(args) && typeof args[0] === 'string' && typeof args[1] === 'string') return [args[0], args[1]];
  return [undefined, undefined];
}

/** `Fn::Sub` in string form or `[template, variables]` form. */
function toSubValue(args: unknown, context: ValueContext, depth: number): IacValue | undefined {
  let template = args;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    template = args[0];
    if (isRecord(args[1])) variables = args[1];
  }
  const expand = (piece: string): IacValue[] => expandSubString(piece, variables, context, depth);
  if (typeof template === 'string') return toJoin(expand(template));
  if (template instanceof Interpolation) {
    // A serverless string with unresolvable variables: only its literal pieces can hold `${X}` placeholders.
    return toJoin(
      template.parts.flatMap((part) =>
        typeof part === 'string' ? expand(part) : [toIacValue(part, context, depth + 1) ?? literal('')],
      ),
    );
  }
  return undefined;
}

function expandSubString(
  template: string,
  variables: Record<string, unknown>,
  context: ValueContext,
  depth: number,
): IacValue[] {
  const parts: IacValue[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
    parts.push(literal(template.slice(last, match.index)));
    last = match.index + match[0].length;
    const name = match[1].trim();
    if (name.startsWith('!')) {
      parts.push(literal(`\${${name.slice(1)}}`)); // `${!Literal}` is written out as `${Literal}`
    } else if (Object.hasOwn(variables, name)) {
      parts.push(toIacValue(variables[name], context, depth + 1) ?? literal(''));
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      parts.push(toGetAttValue(name.slice(0, dot), name.slice(dot + 1), context));
    } else {
      parts.push(toRefValue(name, context) ?? literal(''));
    }
  }
  parts.push(literal(template.slice(last)));
  return parts;
}

function toJoinValue(args: unknown, context: ValueContext, depth: number): IacValue | undefined {
  if (!Array.isArray(args) || typeof args[0] !== 'string') return undefined;
  const delimiter = args[0];
  const list = Array.isArray(args[1]) ? args[1] : getListParameterDefault(args[1], context);
  if (!list) return undefined;
  const parts: IacValue[] = [];
  for (const item of list) {
    const value = toIacValue(item, context, depth + 1);
    if (value === undefined) continue; // `AWS::NoValue` drops the item
    if (parts.length > 0) parts.push(literal(delimiter));
    parts.push(value);
  }
  return toJoin(parts);
}

/** `{ Ref: P }` of a list parameter (`CommaDelimitedList`) with a default: its items. */
function getListParameterDefault(value: unknown, context: ValueContext): unknown[] | undefined {
  if (!isRecord(value) || typeof value.Ref !== 'string' || context.resources.has(value.Ref)) return undefined;
  const fallback = context.parameters.get(value.Ref);
  if (Array.isArray(fallback)) return fallback;
  return typeof fallback === 'string' ? fallback.split(',') : undefined;
}

/** `Fn::Select` over a literal list, or over `Fn::Split` of a literal string. */
function toSelectValue(args: unknown, context: ValueContext, depth: number): IacValue | undefined {
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  const index = Number(args[0]);
  if (!Number.isInteger(index) || index < 0) return undefined;
  let list = getListParameterDefault(args[1], context) ?? args[1];
  if (isRecord(list) && Array.isArray(list['Fn::Split'])) {
    const [delimiter, source] = list['Fn::Split'] as unknown[];
    if (typeof delimiter !== 'string' || typeof source !== 'string') return undefined;
    list = source.split(delimiter);
  }
  return Array.isArray(list) && index < list.length ? toIacValue(list[index], context, depth + 1) : undefined;
}

function toFindInMapValue(args: unknown, context: ValueContext, depth: number): IacValue | undefined {
  if (!Array.isArray(args) || args.length < 3) return undefined;
  const keys = args.slice(0, 3).map((key) => toIacValue(key, context, depth + 1));
  if (!keys.every((key) => key?.kind === 'literal')) return undefined;
  const [mapName, topKey, secondKey] = keys.map((key) => (key as { value: string }).value);
  const top = context.mappings[mapName];
  const second = isRecord(top) && Object.hasOwn(top, topKey) ? top[topKey] : undefined;
  if (!isRecord(second) || !Object.hasOwn(second, secondKey)) return undefined;
  return toIacValue(second[secondKey], context, depth + 1);
}

function literal(value: string): IacValue {
  return { kind: 'literal', value };
}

/**
 * A join in normal form: nested joins flattened, adjacent literals merged, empty literals dropped; a single part
 * is returned as itself and no parts give the empty literal.
 */
export function toJoin(parts: readonly IacValue[]): IacValue {
  const flat: IacValue[] = [];
  for (const part of parts.flatMap((item) => (item.kind === 'join' ? item.parts : [item]))) {
    const previous = flat.at(-1);
    if (part.kind === 'literal' && part.value === '') continue;
    if (part.kind === 'literal' && previous?.kind === 'literal') flat[flat.length - 1] = literal(previous.value + part.value);
    else flat.push(part);
  }
  if (flat.length === 0) return literal('');
  return flat.length === 1 ? flat[0] : { kind: 'join', parts: flat };
}

/** An IacValue as text for messages and scopes: refs as `${Target}` / `${Target.arn}`. */
export function toDisplayText(value: IacValue): string {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'ref':
      return `\${${value.target}${value.attribute === 'name' || value.attribute === 'id' ? '' : `.${value.attribute}`}}`;
    case 'join':
      return value.parts.map(toDisplayText).join('');
    case 'unknown':
      return value.text;
  }
}

/** The literal text of an IacValue, or undefined when any part of it is not literal. */
export function getLiteral(value: IacValue | undefined): string | undefined {
  return value?.kind === 'literal' ? value.value : undefined;
}

/** `{ Ref: X }`, `{ 'Fn::GetAtt': ... }`, `{ Condition: X }`: a CloudFormation intrinsic function. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isPlainRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** How an intrinsic (or any non-text value) was written, as compact JSON. */
export function toIntrinsicText(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (item instanceof Unresolved) return item.text;
      if (item instanceof Interpolation) return item.parts.map((part) => (typeof part === 'string' ? part : toIntrinsicText(part))).join('');
      return item;
    });
    return text ?? String(value);
  } catch {
    return String(value); // shared (aliased) structures are fine for JSON, but a cycle is not
  }
}
