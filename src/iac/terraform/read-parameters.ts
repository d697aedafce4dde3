import type { ParameterDef } from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import type { EntityInfo } from './entity-ids.js';
import { evaluateRaw } from './evaluate.js';
import type { InventoryBuilder } from './inventory-builder.js';
import type { ResourceInstance } from './module-instance.js';

/**
 * `resource "aws_ssm_parameter"`: its name and value (`value`, or `insecure_value`), so that code reading the
 * parameter at run time is linked to what the value names (`value = aws_sqs_queue.jobs.url`).
 */
export function readParameter(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const { body } = instance.config;
  const raw = body.value ?? body.insecure_value;
  builder.inventory.parameters.push(
    dropUndefined({
      id: entity.id,
      name: builder.toIacValue(body.name === undefined ? undefined : evaluateRaw(body.name, instance.scope)),
      value: builder.toIacValue(raw === undefined ? undefined : evaluateRaw(raw, instance.scope)),
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies ParameterDef,
  );
}
