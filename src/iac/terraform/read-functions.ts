import type { FunctionDef, IacValue, TriggerDef } from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import { evaluateRaw } from './evaluate.js';
import type { EntityInfo } from './entity-ids.js';
import { toDetail, type InventoryBuilder } from './inventory-builder.js';
import { isBody } from './module-config.js';
import type { ModuleCallInstance, ResourceInstance } from './module-instance.js';
import { resolveLambdaHandler, resolveModuleHandler } from './resolve-handler.js';
import { isMap, toNumber, toText, type TfValue } from './values.js';

/** AWS defaults for a function without `timeout` / `memory_size`. */
const LAMBDA_DEFAULT_TIMEOUT = 3;
const LAMBDA_DEFAULT_MEMORY = 128;

/** `resource "aws_lambda_function"`. */
export function readLambdaFunction(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const { body } = instance.config;
  const value = (name: string) => (body[name] === undefined ? undefined : evaluateRaw(body[name], instance.scope));
  const environmentBlock = getFirstBlock(body.environment);
  const variables = environmentBlock?.variables === undefined ? undefined : evaluateRaw(environmentBlock.variables, instance.scope);
  const architectures = value('architectures');
  builder.inventory.functions.push(
    dropUndefined({
      id: entity.id,
      name: builder.toIacValue(value('function_name')),
      handler: resolveLambdaHandler(instance, builder),
      runtime: toText(value('runtime')),
      timeout: toNumber(value('timeout')) ?? LAMBDA_DEFAULT_TIMEOUT,
      memorySize: toNumber(value('memory_size')) ?? LAMBDA_DEFAULT_MEMORY,
      architecture: Array.isArray(architectures) ? toText(architectures[0]) : undefined,
      environment: toEnvironment(variables, builder),
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies FunctionDef,
  );
}

/**
 * `module "x" { source = "terraform-aws-modules/lambda/aws" }`: the function the module creates, from its inputs,
 * and the triggers of its `event_source_mapping` input. `allowed_triggers` only grants permissions: an API Gateway
 * entry there says the function is called over HTTP (the route is in the API's configuration).
 */
export function readLambdaModule(call: ModuleCallInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const { body } = call.call;
  const value = (name: string) => (body[name] === undefined ? undefined : evaluateRaw(body[name], call.scope));
  if (value('create') === false || value('create_function') === false) return;
  const location = builder.locate(call.call);
  const packaged = body.image_uri !== undefined || toText(value('package_type')) === 'Image';
  const owner = call.owner;
  const architectures = value('architectures');
  builder.inventory.functions.push(
    dropUndefined({
      id: entity.id,
      name: builder.toIacValue(value('function_name')),
      handler: packaged ? undefined : resolveModuleHandler(toText(value('handler')), value('source_path') ?? value('source_dir') ?? value('filename'), owner),
      runtime: toText(value('runtime')),
      timeout: toNumber(value('timeout')) ?? LAMBDA_DEFAULT_TIMEOUT,
      memorySize: toNumber(value('memory_size')) ?? LAMBDA_DEFAULT_MEMORY,
      architecture: Array.isArray(architectures) ? toText(architectures[0]) : undefined,
      // `environment_variables` (terraform-aws-modules); a module of one's own often calls it `environment`.
      environment: toEnvironment(value('environment_variables') ?? value('environment'), builder),
      location,
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies FunctionDef,
  );
  const mappings = value('event_source_mapping');
  if (isMap(mappings)) {
    const where = builder.locateInner(call.call, ['event_source_mapping']);
    for (const [key, mapping] of mappings) {
      if (!isMap(mapping)) continue;
      addEventSourceTrigger(builder, {
        source: mapping.get('event_source_arn'),
        to: entity.id,
        settings: mapping,
        location: where,
        what: `event_source_mapping "${key}" of module ${call.localId}`,
      });
    }
  }
  const allowed = value('allowed_triggers');
  if (isMap(allowed)) {
    for (const [key, trigger] of allowed) {
      if (!isMap(trigger)) continue;
      const service = toText(trigger.get('service')) ?? toText(trigger.get('principal'))?.replace(/\.amazonaws\.com$/, '');
      if (service !== 'apigateway') continue;
      builder.addTrigger({
        kind: 'http',
        to: entity.id,
        details: { permission: key },
        location: builder.locateInner(call.call, ['allowed_triggers']),
        format: 'terraform',
      });
    }
  }
}

/** An event source mapping (resource or module input): SQS when the source is a queue, a stream for DynamoDB/Kinesis. */
export function addEventSourceTrigger(
  builder: InventoryBuilder,
  mapping: { source: TfValue | undefined; to: string; settings: ReadonlyMap<string, TfValue>; location: TriggerDef['location']; what: string },
): void {
  const { source, settings } = mapping;
  const queue = builder.resolveEntity(source, ['queue']);
  const from: IacValue | undefined = queue ? { kind: 'ref', target: queue.id, attribute: 'arn' } : builder.toIacValue(source);
  const text = from ? JSON.stringify(from) : '';
  const streamType = /dynamodb|stream_arn/.test(text) ? 'dynamodb' : /kinesis/.test(text) ? 'kinesis' : undefined;
  const kind: TriggerDef['kind'] = queue || /:sqs:/.test(text) ? 'sqs' : streamType ? 'stream' : 'other';
  const details: TriggerDef['details'] = {};
  const put = (key: string, setting: string) => {
    const detail = toDetail(settings.get(setting), builder);
    if (detail !== undefined) details[key] = detail;
  };
  put('batchSize', 'batch_size');
  put('maximumBatchingWindow', 'maximum_batching_window_in_seconds');
  put('startingPosition', 'starting_position');
  put('enabled', 'enabled');
  if (kind === 'stream' && streamType) details.type = streamType;
  builder.addTrigger(dropUndefined({ kind, from, to: mapping.to, details, location: mapping.location, format: 'terraform' as const }));
}

/** Environment variables: each value as an IacValue (references to entities kept as refs). */
export function toEnvironment(variables: TfValue | undefined, builder: InventoryBuilder): FunctionDef['environment'] {
  const environment: FunctionDef['environment'] = {};
  if (!isMap(variables)) return environment;
  for (const name of [...variables.keys()].toSorted()) {
    const value = builder.toIacValue(variables.get(name));
    if (value) environment[name] = value;
  }
  return environment;
}

export function getFirstBlock(value: unknown): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return isBody(first) ? first : undefined;
}
