import type { Diagnostic, SourceLocation } from '../../types/diagnostics.js';
import { emptyInventory, type IacValue, type Inventory, type TriggerDef } from '../../types/inventory.js';
import { toJoin } from '../cfn-values.js';
import type { EntityInfo } from './entity-ids.js';
import type { BlockConfig } from './module-config.js';
import type { ResourceInstance } from './module-instance.js';
import { REF_ATTRIBUTES, type EntityKind } from './resource-attributes.js';
import { findInnerLines } from './scan-blocks.js';
import { Encoded, FileRef, LazyObject, Sym, isMap, toJsonText, toStringParts, toText, type TfValue } from './values.js';

/**
 * Collects the Inventory of a Terraform project and turns evaluated values into IacValues: references to
 * entities become `ref`s to their node ids, other computed attributes and unknowns become named unknowns.
 */
export class InventoryBuilder {
  readonly inventory: Inventory = emptyInventory();
  private readonly byAddress = new Map<string, EntityInfo>();
  /** `<kind>:<deployed name>` → entity, for literal names and ARNs. */
  private readonly byName = new Map<string, EntityInfo>();

  private readonly instances = new Map<string, ResourceInstance>();

  constructor(
    entities: readonly EntityInfo[],
    instances: readonly ResourceInstance[],
    readonly diagnostics: Diagnostic[],
  ) {
    for (const entity of entities) this.byAddress.set(entity.address, entity);
    for (const instance of instances) this.instances.set(instance.address, instance);
  }

  getEntity(address: string): EntityInfo | undefined {
    return this.byAddress.get(address);
  }

  /** Record an entity's deployed name, so that a literal name or ARN elsewhere finds it. */
  addName(entity: EntityInfo, name: IacValue | undefined): void {
    if (name?.kind === 'literal' && !this.byName.has(`${entity.kind}:${name.value}`)) this.byName.set(`${entity.kind}:${name.value}`, entity);
  }

  toIacValue(value: TfValue | undefined): IacValue | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) || isMap(value)) return undefined;
    if (value instanceof Sym || value instanceof Encoded || value instanceof FileRef) {
      const parts = toStringParts(value, '');
      return toJoin(
        parts.map((part): IacValue => {
          if (part.kind === 'literal') return { kind: 'literal', value: part.value };
          if (part.kind === 'unknown') return { kind: 'unknown', text: part.text };
          const entity = this.byAddress.get(part.address);
          if (!entity || entity.kind === 'rule') return { kind: 'unknown', text: `${part.address}.${part.attribute}` };
          return { kind: 'ref', target: entity.id, attribute: REF_ATTRIBUTES[entity.type]?.[part.attribute] ?? 'other' };
        }),
      );
    }
    if (value instanceof LazyObject) return { kind: 'unknown', text: value.text };
    const text = toText(value);
    return text === undefined ? undefined : { kind: 'literal', value: text };
  }

  /** The entity a value names: a reference to it (`aws_sqs_queue.jobs.arn`), or its literal name, ARN or URL. */
  resolveEntity(value: TfValue | undefined, kinds: readonly EntityKind[]): EntityInfo | undefined {
    if (value instanceof Sym) {
      for (const part of value.parts) {
        if (part.kind !== 'attr') continue;
        const entity = this.byAddress.get(part.address);
        if (entity && kinds.includes(entity.kind)) return entity;
      }
      return undefined;
    }
    const text = toText(value);
    if (text === undefined) return undefined;
    for (const kind of kinds) {
      const entity = this.byName.get(`${kind}:${getNameFrom(text, kind)}`);
      if (entity) return entity;
    }
    return undefined;
  }

  /** The resource instance a value refers to (`integrations/${aws_apigatewayv2_integration.x.id}` → that integration). */
  getReferencedInstance(value: TfValue | undefined, type: string): ResourceInstance | undefined {
    if (!(value instanceof Sym)) return undefined;
    for (const part of value.parts) {
      const instance = part.kind === 'attr' ? this.instances.get(part.address) : undefined;
      if (instance?.config.type === type) return instance;
    }
    return undefined;
  }

  /** Every instance of a resource type, in declaration order. */
  getInstances(type: string, mode: 'resource' | 'data' = 'resource'): ResourceInstance[] {
    return [...this.instances.values()].filter((instance) => instance.config.type === type && instance.mode === mode);
  }

  locate(config: BlockConfig): SourceLocation {
    return { file: config.file, line: config.line };
  }

  /** Where an argument or nested block of a block is written (`redrive_policy`, `lambda_function` #2); else the block. */
  locateInner(config: BlockConfig, path: readonly string[], occurrence = 0): SourceLocation {
    if (!config.block) return this.locate(config);
    const lines = findInnerLines(config.scan, config.block, path);
    return { file: config.file, line: lines[occurrence] ?? lines[0] ?? config.line };
  }

  addTrigger(trigger: TriggerDef): void {
    this.inventory.triggers.push(trigger);
  }

  report(code: string, message: string, where: SourceLocation, severity: Diagnostic['severity'] = 'info'): void {
    this.diagnostics.push({ code, severity, message, file: where.file, line: where.line });
  }
}

/** A trigger detail: text and numbers as they are, JSON documents (patterns, filter policies) as compact JSON. */
export function toDetail(value: TfValue | undefined, builder: InventoryBuilder): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isMap(value) || Array.isArray(value) || value instanceof Encoded) {
    const json = toJsonText(value instanceof Encoded ? value.value : value);
    if (json !== undefined) return json;
  }
  const iac = builder.toIacValue(value);
  return iac ? showIacValue(iac) : undefined;
}

function showIacValue(value: IacValue): string {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'unknown':
      return `\${${value.text}}`;
    case 'ref':
      return `\${${value.target}.${value.attribute}}`;
    case 'join':
      return value.parts.map(showIacValue).join('');
  }
}

/** The resource name inside a name, ARN or URL of this kind (`arn:aws:sqs:r:a:jobs` → `jobs`, `name:live` → `name`). */
export function getNameFrom(text: string, kind: EntityKind): string {
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    switch (kind) {
      case 'function':
        return parts[5] === 'function' ? (parts[6] ?? text) : text;
      case 'stateMachine':
        return parts[5] === 'stateMachine' ? (parts[6] ?? text) : text;
      case 'bus':
        return (parts[5] ?? text).replace(/^event-bus\//, '');
      case 'rule':
        return (parts[5] ?? text).replace(/^rule\//, '');
      default:
        return parts[5] ?? text;
    }
  }
  if (kind === 'queue' && /^https?:\/\//.test(text)) return text.slice(text.lastIndexOf('/') + 1);
  if (kind === 'function' && text.includes(':')) return text.slice(0, text.indexOf(':'));
  return text;
}
