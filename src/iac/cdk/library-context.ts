import type { Node } from 'ts-morph';
import type { Severity, SourceLocation } from '../../types/diagnostics.js';
import type { RefAttribute } from '../../types/inventory.js';
import type { AppModel } from './app-model.js';
import { getProp, type CdkConstruct, type ConstructKind, type Value } from './values.js';

/** What the modules that model CDK classes need from the reader of the app. */
export interface LibraryContext {
  model: AppModel;
  report(code: string, severity: Severity, message: string, node: Node, hint?: string): void;
  /** A new construct under `scope` (a construct value) with id `id`, located at `node`. */
  newConstruct(kind: ConstructKind, cls: string, scope: Value, id: Value, node: Node): CdkConstruct;
  /** The folder `cdk synth` runs in for a file of the app (where its cdk.json is), relative to the analysed folder. */
  getAppDir(file: string): string;
  /** Whether a file exists in the analysed folder. */
  exists(file: string): boolean;
  /** A value of the `context` of the app's cdk.json, for `node.tryGetContext(key)`. */
  getContextValue(file: string, key: string): Value | undefined;
  toLocation(node: Node): SourceLocation;
}

/** A prop of a props object; undefined when it is missing or `undefined`. */
export function readProp(props: Value | undefined, key: string): Value | undefined {
  const value = getProp(props, key);
  return value === undefined || value.t === 'undef' ? undefined : value;
}

/** The entity kinds of the inventory and the construct attributes that name them. */
export const ATTRIBUTES: Partial<Record<ConstructKind, Record<string, RefAttribute>>> = {
  function: { functionName: 'name', functionArn: 'arn' },
  queue: { queueUrl: 'url', queueArn: 'arn', queueName: 'name' },
  topic: { topicArn: 'arn', topicName: 'name' },
  bus: { eventBusName: 'name', eventBusArn: 'arn' },
  stateMachine: { stateMachineArn: 'arn', stateMachineName: 'name' },
};

/** The attribute property of a kind for a reference attribute: queue + `arn` → `queueArn`. */
export function getAttributeName(kind: ConstructKind, attribute: RefAttribute): string | undefined {
  const entries = Object.entries(ATTRIBUTES[kind] ?? {});
  return entries.find(([, attr]) => attr === attribute)?.[0];
}

/**
 * A construct attribute as a string value: a reference for the entities of the app, the known value for an
 * imported resource (`Queue.fromQueueArn(...)`), else a reference that becomes unknown text.
 */
export function getAttributeValue(c: CdkConstruct, attribute: RefAttribute, text?: string): Value {
  const field = c.imported ? getAttributeName(c.kind, attribute) : undefined;
  const known = field ? c.fields.get(field) : undefined;
  if (known && known.t !== 'undef') return known;
  return { t: 'str', parts: [{ k: 'ref', c, attr: attribute, text: text ?? `${c.id}.${attribute}` }] };
}
