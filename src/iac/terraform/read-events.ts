import type { BusDef, IacValue, StateMachineDef, TriggerDef } from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import { evaluateRaw } from './evaluate.js';
import type { EntityInfo } from './entity-ids.js';
import { toDetail, type InventoryBuilder } from './inventory-builder.js';
import { isBody } from './module-config.js';
import type { ResourceInstance } from './module-instance.js';
import { FileRef, toBoolean, toText, type TfValue } from './values.js';

function getArguments(instance: ResourceInstance): (name: string) => TfValue | undefined {
  const { body } = instance.config;
  return (name) => (body[name] === undefined ? undefined : evaluateRaw(body[name], instance.scope));
}

/** `resource "aws_cloudwatch_event_bus"`. */
export function readBus(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  builder.inventory.buses.push(
    dropUndefined({
      id: entity.id,
      name: builder.toIacValue(value('name')),
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies BusDef,
  );
}

/** `resource "aws_sfn_state_machine"`: a definition from `file()` / `templatefile()` is its definition file. */
export function readStateMachine(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const definition = value('definition');
  builder.inventory.stateMachines.push(
    dropUndefined({
      id: entity.id,
      name: builder.toIacValue(value('name')),
      definitionFile: definition instanceof FileRef ? definition.path : undefined,
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies StateMachineDef,
  );
}

/**
 * `resource "aws_cloudwatch_event_target"`: the rule it belongs to starts the target. A rule with only a
 * `schedule_expression` is a schedule (its node id is the rule's id); one with an `event_pattern` listens on its
 * bus (`default` when none is named). Located at the rule, which declares the schedule or pattern.
 */
export function readEventTarget(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const where = builder.locate(instance.config);
  const ruleEntity = builder.resolveEntity(value('rule'), ['rule']);
  const rule = ruleEntity && builder.getInstances('aws_cloudwatch_event_rule').find((item) => item.address === ruleEntity.address);
  const target = builder.resolveEntity(value('arn'), ['function', 'queue', 'topic', 'bus', 'stateMachine']);
  if (!target) return; // targets outside the analysed configuration are not ours to model
  if (!rule || !ruleEntity) {
    builder.report('terraform-target-unresolved', `${instance.address}: rule does not name an event rule of this configuration`, where);
    return;
  }
  const ruleValue = getArguments(rule);
  const schedule = ruleValue('schedule_expression');
  const pattern = ruleValue('event_pattern');
  const details: TriggerDef['details'] = { rule: ruleEntity.id };
  const put = (key: string, detail: TfValue | undefined) => {
    const text = toDetail(detail, builder);
    if (text !== undefined) details[key] = text;
  };
  put('schedule', schedule);
  const isSchedule = schedule !== undefined && pattern === undefined;
  let from: IacValue | undefined;
  if (!isSchedule) {
    put('pattern', pattern);
    from = toBusSource(ruleValue('event_bus_name') ?? value('event_bus_name'), builder);
  }
  const state = toText(ruleValue('state'));
  const enabled = state === undefined ? toBoolean(ruleValue('is_enabled')) : state !== 'DISABLED';
  if (enabled !== undefined) details.enabled = enabled;
  builder.addTrigger(
    dropUndefined({
      kind: isSchedule ? ('schedule' as const) : ('eventbridge' as const),
      from,
      to: target.id,
      details,
      location: builder.locate(rule.config),
      format: 'terraform' as const,
    }),
  );
}

/** The bus a rule listens on: a reference to a declared bus, a name or ARN, or the `default` bus. */
function toBusSource(value: TfValue | undefined, builder: InventoryBuilder): IacValue {
  const bus = builder.resolveEntity(value, ['bus']);
  if (bus) return { kind: 'ref', target: bus.id, attribute: 'name' };
  return builder.toIacValue(value ?? undefined) ?? { kind: 'literal', value: 'default' };
}

/** `resource "aws_s3_bucket_notification"`: each `lambda_function` block starts its function. */
export function readBucketNotification(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const bucket = value('bucket');
  const blocks = instance.config.body.lambda_function;
  if (!Array.isArray(blocks)) return;
  blocks.forEach((block, index) => {
    if (!isBody(block)) return;
    const setting = (name: string) => (block[name] === undefined ? undefined : evaluateRaw(block[name], instance.scope));
    const where = builder.locateInner(instance.config, ['lambda_function'], index);
    const fn = builder.resolveEntity(setting('lambda_function_arn'), ['function']);
    if (!fn) {
      builder.report('terraform-target-unresolved', `${instance.address}: lambda_function_arn does not name a function of this configuration`, where);
      return;
    }
    const events = setting('events');
    const details: TriggerDef['details'] = {};
    const bucketText = toDetail(bucket, builder);
    if (bucketText !== undefined) details.bucket = bucketText;
    if (Array.isArray(events)) details.event = events.map((event) => toText(event) ?? '*').join(',');
    const prefix = toText(setting('filter_prefix'));
    const suffix = toText(setting('filter_suffix'));
    if (prefix !== undefined) details.filterPrefix = prefix;
    if (suffix !== undefined) details.filterSuffix = suffix;
    builder.addTrigger(dropUndefined({ kind: 's3' as const, from: builder.toIacValue(bucket), to: fn.id, details, location: where, format: 'terraform' as const }));
  });
}
