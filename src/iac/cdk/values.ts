import type { Node } from 'ts-morph';
import type { SourceLocation } from '../../types/diagnostics.js';
import type { RefAttribute } from '../../types/inventory.js';
import type { FunctionNode, Scope } from './scope.js';

/**
 * The values of the symbolic evaluation of a CDK app. Strings are kept as parts so that `queue.queueUrl` inside
 * a template literal stays a reference; anything the evaluation cannot know is `unknown` with its source text.
 */

/** A piece of a string: literal text, an attribute of a construct of the app, or something known only at deploy time. */
export type StrPart =
  | { k: 'lit'; v: string }
  /** `text`: how it was written, shown when the construct is not an entity of the inventory (a table's name). */
  | { k: 'ref'; c: CdkConstruct; attr: RefAttribute; text: string }
  | { k: 'unknown'; text: string };

export type Value =
  | { t: 'undef' }
  | { t: 'null' }
  | { t: 'str'; parts: StrPart[] }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  /** An object literal, or an instance of a class of the app that is not a construct (`cls` holds its methods). */
  | { t: 'obj'; props: Map<string, Value>; cls?: ClassValue }
  | { t: 'arr'; items: Value[] }
  | FunctionValue
  | ClassValue
  /** A symbol of a package: `aws_lambda.Function`, `core.Duration`, `path.join`, `pkg:some-lib.Thing`. */
  | { t: 'ext'; name: string }
  /** The result of calling a package function: `core.Duration.seconds(30)`, `aws_lambda.Code.fromAsset(dir)`. */
  | { t: 'call'; name: string; args: Value[]; node: Node }
  /** A `new` of a package class that is not a construct: event sources, targets, integrations, subscriptions. */
  | { t: 'inst'; name: string; args: Value[]; node: Node }
  | { t: 'construct'; c: CdkConstruct }
  /** An API Gateway resource (`api.root.addResource('orders')`): its API, path and default integration. */
  | { t: 'apiResource'; api: CdkConstruct; path: string; integration?: Value }
  | { t: 'unknown'; text: string };

export interface FunctionValue {
  t: 'fn';
  node: FunctionNode;
  scope: Scope;
  /** The class a method belongs to (for `super`). */
  home?: ClassValue;
  /** `this` bound by a method lookup. */
  self?: Value;
}

export interface ClassValue {
  t: 'class';
  name: string;
  node: Node;
  scope: Scope;
  statics: Map<string, Value>;
  staticsReady: boolean;
  /** The evaluated `extends` expression: undefined until evaluated, null when the class has none. */
  base?: Value | null;
}

/** What a construct stands for; `user` is a construct class of the app, `other` a CDK construct we do not model. */
export type ConstructKind =
  | 'app'
  | 'stack'
  | 'user'
  | 'function'
  | 'queue'
  | 'topic'
  | 'bus'
  | 'stateMachine'
  | 'rule'
  | 'schedule'
  | 'restApi'
  | 'httpApi'
  | 'parameter'
  | 'bucket'
  | 'table'
  | 'stream'
  | 'imported'
  | 'other';

/** One construct of the app's tree. */
export interface CdkConstruct {
  kind: ConstructKind;
  /** The class, for messages: `aws_lambda.Function`, `OrdersService`. */
  cls: string;
  /** The construct id (second constructor argument). */
  id: string;
  /** Construct ids from the app down to this one, the stack first. */
  path: string[];
  /** The nearest stack (itself for a stack). */
  stack?: CdkConstruct;
  /** The folder of the app this construct belongs to, to keep ids of separate apps apart. */
  app?: string;
  location: SourceLocation;
  /** Fields of a construct class of the app (`this.queue = ...`), and attributes of imported resources. */
  fields: Map<string, Value>;
  /** For an imported resource (`Queue.fromQueueArn`): the kind of entity it stands for. */
  imported?: 'function' | 'queue' | 'topic' | 'bus' | 'stateMachine';
  /** Members of a third-party pattern (`Orders/sqsQueue`) keep their parent in the id: their own id is generic. */
  minIdParts?: number;
  /** Construct props as evaluated, for later reads (a bucket's name). */
  props?: Value;
  /** The class of the app a construct is an instance of (its methods and getters). */
  classValue?: ClassValue;
}

export const UNDEF: Value = { t: 'undef' };
export const NULL: Value = { t: 'null' };

export function toStr(text: string): Value {
  return { t: 'str', parts: [{ k: 'lit', v: text }] };
}

export function toUnknown(text: string): Value {
  return { t: 'unknown', text };
}

export function toBool(value: boolean): Value {
  return { t: 'bool', v: value };
}

export function toObj(entries: Iterable<[string, Value]> = []): Value & { t: 'obj' } {
  return { t: 'obj', props: new Map(entries) };
}

/** Merge adjacent literal parts. */
export function joinParts(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.k === 'lit' && last?.k === 'lit') out[out.length - 1] = { k: 'lit', v: last.v + part.v };
    else if (!(part.k === 'lit' && part.v === '')) out.push(part);
  }
  return out;
}

/** The literal text of a value that is a fully known string (numbers and booleans as JavaScript prints them). */
export function getText(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  if (value.t === 'str') return value.parts.every((part) => part.k === 'lit') ? value.parts.map((part) => (part.k === 'lit' ? part.v : '')).join('') : undefined;
  if (value.t === 'num') return String(value.v);
  if (value.t === 'bool') return String(value.v);
  return undefined;
}

export function getNumber(value: Value | undefined): number | undefined {
  if (value?.t === 'num') return value.v;
  const text = value?.t === 'str' ? getText(value) : undefined;
  if (text === undefined || text.trim() === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

export function getBoolean(value: Value | undefined): boolean | undefined {
  return value?.t === 'bool' ? value.v : undefined;
}

/** A property of an object value, or undefined when the value is not an object. */
export function getProp(value: Value | undefined, key: string): Value | undefined {
  return value?.t === 'obj' ? value.props.get(key) : undefined;
}

export function getConstruct(value: Value | undefined): CdkConstruct | undefined {
  return value?.t === 'construct' ? value.c : undefined;
}

/** `undefined` and `null` (what `??` replaces). */
export function isNullish(value: Value): boolean {
  return value.t === 'undef' || value.t === 'null';
}

/** JavaScript truthiness, or undefined when it depends on something unknown. */
export function getTruthiness(value: Value): boolean | undefined {
  switch (value.t) {
    case 'undef':
    case 'null':
      return false;
    case 'bool':
      return value.v;
    case 'num':
      return value.v !== 0 && !Number.isNaN(value.v);
    case 'str': {
      const text = getText(value);
      return text === undefined ? true : text !== '';
    }
    case 'unknown':
    case 'call':
      return undefined;
    default:
      return true;
  }
}

/** A value used as a string: numbers and booleans printed, package symbols and unknowns as their text. */
export function toStrParts(value: Value, text: string): StrPart[] {
  switch (value.t) {
    case 'str':
      return value.parts;
    case 'num':
    case 'bool':
      return [{ k: 'lit', v: String(value.v) }];
    case 'undef':
      return [{ k: 'lit', v: 'undefined' }];
    case 'null':
      return [{ k: 'lit', v: 'null' }];
    case 'unknown':
      return [{ k: 'unknown', text: value.text }];
    case 'ext':
      return [{ k: 'unknown', text: value.name }];
    default:
      return [{ k: 'unknown', text }];
  }
}

/** Values as JSON-like text for trigger details (event patterns, filter policies); calls as `name(args)`. */
export function toDisplayJson(value: Value, depth = 0): string {
  if (depth > 20) return '…';
  switch (value.t) {
    case 'str': {
      const text = getText(value);
      return JSON.stringify(text ?? value.parts.map((part) => (part.k === 'lit' ? part.v : part.k === 'ref' ? `\${${part.c.id}.${part.attr}}` : `\${${part.text}}`)).join(''));
    }
    case 'num':
    case 'bool':
      return String(value.v);
    case 'null':
      return 'null';
    case 'undef':
      return 'undefined';
    case 'arr':
      return `[${value.items.map((item) => toDisplayJson(item, depth + 1)).join(',')}]`;
    case 'obj':
      return `{${[...value.props].filter(([, item]) => item.t !== 'undef').map(([key, item]) => `${JSON.stringify(key)}:${toDisplayJson(item, depth + 1)}`).join(',')}}`;
    case 'call': {
      // `SubscriptionFilter.stringFilter({ allowlist })` is rendered as the CDK renders it: the list of values.
      const allowlist = value.name === 'aws_sns.SubscriptionFilter.stringFilter' && value.args[0]?.t === 'obj' ? value.args[0].props.get('allowlist') : undefined;
      if (allowlist?.t === 'arr') return toDisplayJson(allowlist, depth + 1);
      return `${getShortName(value.name)}(${value.args.map((arg) => toDisplayJson(arg, depth + 1)).join(',')})`;
    }
    case 'ext':
      return getShortName(value.name);
    case 'construct':
      return value.c.id;
    case 'unknown':
      return value.text;
    default:
      return value.t;
  }
}

/** `aws_sns.SubscriptionFilter.stringFilter` → `SubscriptionFilter.stringFilter`. */
export function getShortName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}
