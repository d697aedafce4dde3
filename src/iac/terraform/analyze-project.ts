import { posix } from 'node:path';
import type { IacInput, IacResult } from '../../types/analyzers.js';
import type { Diagnostic } from '../../types/diagnostics.js';
import { toRootRelative } from '../cfn-template.js';
import { assignIds, type EntityInfo } from './entity-ids.js';
import { evaluateRaw, type Scope } from './evaluate.js';
import { InventoryBuilder } from './inventory-builder.js';
import { buildModuleConfig, type ModuleConfig, type SourceFile } from './module-config.js';
import { ModuleInstance, getRemoteEntityAddress, type ModuleCallInstance, type ProjectContext, type ResourceInstance } from './module-instance.js';
import { parseHcl, type HclBody } from './parse-hcl.js';
import { readApi, readHttpApiQuickCreate, readHttpApiRoute, readRestApiIntegration } from './read-apis.js';
import { readBucketNotification, readBus, readEventTarget, readStateMachine } from './read-events.js';
import { readLambdaFunction, readLambdaModule } from './read-functions.js';
import { readParameter } from './read-parameters.js';
import { readEventSourceMapping, readQueue, readRedrivePolicy, readSnsModule, readSqsModule, readSubscription, readTopic } from './read-messaging.js';
import { ENTITY_TYPES, NAME_ARGUMENT, REMOTE_MODULE_TYPE } from './resource-attributes.js';
import { resolveRootVariables, type VarFile } from './root-variables.js';
import { scanBlocks } from './scan-blocks.js';
import { toBoolean, type TfValue } from './values.js';

/** Readers of the resources that connect entities, run once every entity is in the inventory. */
const RELATION_READERS: Record<string, (instance: ResourceInstance, builder: InventoryBuilder) => void> = {
  aws_sqs_queue_redrive_policy: readRedrivePolicy,
  aws_sns_topic_subscription: readSubscription,
  aws_lambda_event_source_mapping: readEventSourceMapping,
  aws_cloudwatch_event_target: readEventTarget,
  aws_s3_bucket_notification: readBucketNotification,
  aws_apigatewayv2_route: readHttpApiRoute,
  aws_apigatewayv2_api: readHttpApiQuickCreate,
  aws_api_gateway_integration: readRestApiIntegration,
};

/**
 * A Terraform project: every `.tf` file parsed (hcl2json), grouped into modules by folder. Root modules are the
 * folders no other folder calls as a local module; each is instantiated with its `*.tfvars` values, local modules
 * are followed with their arguments bound, registry modules are read from their inputs. Nothing is executed.
 */
export async function analyzeTerraformProject(inputs: readonly IacInput[]): Promise<IacResult> {
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];
  const varFiles: VarFile[] = [];
  const sorted = [...inputs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const input of sorted) {
    const parsed = await parseHcl(input.file, input.text, input.limits.maxDepth);
    diagnostics.push(...parsed.diagnostics);
    if (input.file.endsWith('.tfvars')) varFiles.push({ file: input.file, body: parsed.body });
    else sources.push({ file: input.file, body: parsed.body, scan: scanBlocks(input.text) });
  }
  if (sources.length === 0) return { inventory: {}, diagnostics };
  const first = sorted[0];
  const configs = groupModules(sources);
  const context: ProjectContext = { configs, root: first.root, maxDepth: first.limits.maxDepth, diagnostics };

  const roots = findRootModules(configs).map((config) => {
    const variables = resolveRootVariables(config, configs, varFiles, diagnostics);
    return new ModuleInstance(context, config, config.dir, '', [], (name) => variables.get(name));
  });
  const resources: ResourceInstance[] = [];
  const calls: ModuleCallInstance[] = [];
  for (const root of roots) collectInstances(root, resources, calls);

  const entities = collectEntities(resources, calls);
  assignIds([...entities.values()]);
  const builder = new InventoryBuilder([...entities.values()], resources, diagnostics);
  for (const [, entity] of entities) builder.addName(entity, builder.toIacValue(getEntityName(entity, resources, calls)));

  const read = (what: string, where: { file: string; line: number }, run: () => void) => {
    try {
      run();
    } catch (error) {
      builder.report('terraform-invalid-resource', `${what} could not be read: ${String(error)}`, where, 'warning');
    }
  };
  for (const instance of resources) {
    const entity = entities.get(instance.address);
    if (!entity || instance.mode !== 'resource') continue;
    read(instance.address, instance.config, () => readEntity(instance, entity, builder));
  }
  for (const call of calls) {
    const entity = entities.get(call.address);
    if (!entity) continue;
    read(call.address, call.call, () => {
      if (call.kind === 'lambda') readLambdaModule(call, entity, builder);
      else if (call.kind === 'sqs') readSqsModule(call, entity, entities.get(getRemoteEntityAddress(call, 'dlq')), builder);
      else if (call.kind === 'sns') readSnsModule(call, entity, builder);
    });
  }
  for (const instance of resources) {
    const reader = instance.mode === 'resource' ? RELATION_READERS[instance.config.type] : undefined;
    if (reader) read(instance.address, instance.config, () => reader(instance, builder));
  }
  return { inventory: builder.inventory, diagnostics };
}

function readEntity(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  switch (instance.config.type) {
    case 'aws_lambda_function':
      return readLambdaFunction(instance, entity, builder);
    case 'aws_sqs_queue':
      return readQueue(instance, entity, builder);
    case 'aws_sns_topic':
      return readTopic(instance, entity, builder);
    case 'aws_cloudwatch_event_bus':
      return readBus(instance, entity, builder);
    case 'aws_sfn_state_machine':
      return readStateMachine(instance, entity, builder);
    case 'aws_apigatewayv2_api':
    case 'aws_api_gateway_rest_api':
      return readApi(instance, entity, builder);
    case 'aws_ssm_parameter':
      return readParameter(instance, entity, builder);
    default:
      return undefined; // event rules: read through their targets
  }
}

/** `.tf` files by folder: one module each. */
function groupModules(sources: readonly SourceFile[]): Map<string, ModuleConfig> {
  const byDir = new Map<string, SourceFile[]>();
  for (const source of sources) {
    const dir = posix.dirname(source.file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), source]);
  }
  return new Map([...byDir].map(([dir, files]) => [dir, buildModuleConfig(dir, files)]));
}

/** Folders that no other folder calls as a local module (`source = "./modules/x"`). */
function findRootModules(configs: ReadonlyMap<string, ModuleConfig>): ModuleConfig[] {
  const called = new Set<string>();
  const literal: Scope = { lookup: () => undefined, readFile: () => ({}), maxDepth: 50 };
  for (const config of configs.values()) {
    for (const call of config.modules) {
      const source = evaluateRaw(call.body.source, literal);
      if (typeof source !== 'string' || !/^\.\.?(\/|$)/.test(source)) continue;
      const dir = toRootRelative(config.dir, source);
      if (dir !== undefined && dir !== config.dir) called.add(dir);
    }
  }
  const roots = [...configs.values()].filter((config) => !called.has(config.dir));
  // Modules that only call each other in a circle: start from the shallowest folder.
  return roots.length > 0 ? roots : [...configs.values()].sort((a, b) => a.dir.split('/').length - b.dir.split('/').length).slice(0, 1);
}

function collectInstances(module: ModuleInstance, resources: ResourceInstance[], calls: ModuleCallInstance[]): void {
  resources.push(...module.getResourceInstances());
  for (const key of module.config.data.keys()) {
    const [type, ...name] = key.split('.');
    resources.push(...module.getDataInstances(type, name.join('.')));
  }
  for (const call of module.getModuleCalls()) {
    calls.push(call);
    if (call.child) collectInstances(call.child, resources, calls);
  }
}

/** Entities by address: resources of entity types, and what the registry modules create. */
function collectEntities(resources: readonly ResourceInstance[], calls: readonly ModuleCallInstance[]): Map<string, EntityInfo> {
  const entities = new Map<string, EntityInfo>();
  for (const instance of resources) {
    const kind = ENTITY_TYPES[instance.config.type];
    if (!kind || instance.mode !== 'resource') continue;
    const { module } = instance;
    entities.set(instance.address, {
      address: instance.address,
      type: instance.config.type,
      kind,
      localId: instance.localId,
      modulePath: module.modulePath,
      scope: module.rootDir,
      id: instance.localId,
    });
  }
  for (const call of calls) {
    if (call.kind === 'local' || call.kind === 'unknown') continue;
    const type = REMOTE_MODULE_TYPE[call.kind];
    const common = { modulePath: call.owner.modulePath, scope: call.owner.rootDir, type };
    const kind = ENTITY_TYPES[type];
    entities.set(call.address, { ...common, address: call.address, kind, localId: call.localId, id: call.localId });
    if (call.kind === 'sqs' && hasDeadLetterQueue(call)) {
      const address = getRemoteEntityAddress(call, 'dlq');
      entities.set(address, { ...common, address, kind, localId: `${call.localId}.dlq`, id: `${call.localId}.dlq` });
    }
  }
  return entities;
}

function hasDeadLetterQueue(call: ModuleCallInstance): boolean {
  return call.call.body.create_dlq !== undefined && toBoolean(evaluateRaw(call.call.body.create_dlq, call.scope)) === true;
}

/** The deployed name an entity is declared with, for matching literal names and ARNs. */
function getEntityName(entity: EntityInfo, resources: readonly ResourceInstance[], calls: readonly ModuleCallInstance[]): TfValue | undefined {
  const instance = resources.find((item) => item.address === entity.address);
  if (instance) {
    const raw = instance.config.body[NAME_ARGUMENT[instance.config.type]];
    return raw === undefined ? undefined : evaluateRaw(raw, instance.scope);
  }
  const call = calls.find((item) => item.address === entity.address);
  const body: HclBody | undefined = call?.call.body;
  if (!call || !body) return undefined;
  const raw = body[call.kind === 'lambda' ? 'function_name' : 'name'];
  return raw === undefined ? undefined : evaluateRaw(raw, call.scope);
}
