import { posix } from 'node:path';
import type { RootReader } from '../../types/analyzers.js';
import type { Diagnostic } from '../../types/diagnostics.js';
import { toRootRelative } from '../cfn-template.js';
import { evaluateRaw, withVariables, type Scope } from './evaluate.js';
import type { BlockConfig, ModuleCallConfig, ModuleConfig, ResourceConfig } from './module-config.js';
import { ENTITY_TYPES, ID_ARGUMENT, MODULE_OUTPUTS, REF_ATTRIBUTES, getRemoteModuleKind, type RemoteModuleKind } from './resource-attributes.js';
import { LazyObject, Sym, isMap, toNumber, toText, unknown, type TfValue } from './values.js';

/** What every module instance of one analysis shares. */
export interface ProjectContext {
  /** Module configurations by folder (relative to the analysed folder). */
  configs: ReadonlyMap<string, ModuleConfig>;
  root: RootReader;
  maxDepth: number;
  diagnostics: Diagnostic[];
}

/** One instance of a resource or data block: `aws_lambda_function.worker["email"]`. */
export interface ResourceInstance {
  module: ModuleInstance;
  config: ResourceConfig;
  mode: 'resource' | 'data';
  /** The `for_each` key or `count` index, when the block has one. */
  key?: string | number;
  /** Terraform's address: `module.api.aws_lambda_function.worker["email"]`. */
  address: string;
  /** The resource name with its instance key: `worker["email"]`. */
  localId: string;
  /** The module's scope with `each` / `count` bound. */
  scope: Scope;
}

/** One instance of a `module` block: a local module we read, or a registry module we know by its inputs. */
export interface ModuleCallInstance {
  call: ModuleCallConfig;
  /** The module instance the `module` block is written in. */
  owner: ModuleInstance;
  key?: string | number;
  address: string;
  /** The module name with its instance key: `workers["a"]`. */
  localId: string;
  /** The caller's scope with `each` / `count` bound: where the module's arguments are evaluated. */
  scope: Scope;
  kind: 'local' | RemoteModuleKind | 'unknown';
  child?: ModuleInstance;
}

const MAX_MODULE_DEPTH = 16;
/** Arguments of a `module` block that are not the module's inputs. */
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/**
 * A module with its inputs bound: the root module of a folder (inputs from `*.tfvars`), or a local module called
 * from another instance. Values (variables, locals, resource instances, outputs) are computed on first use.
 */
export class ModuleInstance {
  readonly scope: Scope;
  private readonly locals = new Map<string, TfValue>();
  private readonly variables = new Map<string, TfValue>();
  private readonly evaluating = new Set<string>();
  private readonly instances = new Map<ResourceConfig, ResourceInstance[]>();
  private calls: ModuleCallInstance[] | undefined;

  constructor(
    readonly context: ProjectContext,
    readonly config: ModuleConfig,
    /** The root module's folder: Terraform's working directory, which relative paths start from. */
    readonly rootDir: string,
    /** `''` for a root module, else `module.a` / `module.a["k"].module.b`. */
    readonly address: string,
    /** Module names with instance keys from the root: the prefix that keeps ids unique. */
    readonly modulePath: readonly string[],
    /** The value given for an input variable (the caller's argument, or the tfvars value for a root module). */
    private readonly getInput: (name: string) => TfValue | undefined,
    /** Folders of the modules that called this one, to stop on recursive modules. */
    private readonly chain: readonly string[] = [],
  ) {
    this.scope = {
      lookup: (name) => this.lookup(name),
      readFile: (path) => this.readFile(path),
      maxDepth: context.maxDepth,
    };
  }

  /** The instances of every resource of the module, in declaration order. */
  getResourceInstances(): ResourceInstance[] {
    return this.config.resources.flatMap((resource) => this.getInstances(resource, 'resource'));
  }

  /** The `module` blocks of this module, one per instance. */
  getModuleCalls(): ModuleCallInstance[] {
    this.calls ??= this.config.modules.flatMap((call) => this.expandModuleCall(call));
    return this.calls;
  }

  /** A data block's instance (`data.archive_file.orders`). */
  getDataInstances(type: string, name: string): ResourceInstance[] {
    const config = this.config.data.get(`${type}.${name}`);
    return config ? this.getInstances(config, 'data') : [];
  }

  /** A path written in this module (relative to Terraform's working directory) from the analysed folder. */
  toRootPath(path: string): string | undefined {
    return toRootRelative(this.rootDir, path);
  }

  /** The value of an argument of an instance's body. */
  evaluateArgument(instance: { config: BlockConfig; scope: Scope }, name: string): TfValue | undefined {
    const raw = instance.config.body[name];
    return raw === undefined ? undefined : evaluateRaw(raw, instance.scope);
  }

  private lookup(name: string): TfValue | undefined {
    switch (name) {
      case 'var':
        return new LazyObject('var', (variable) => this.getVariable(variable));
      case 'local':
        return new LazyObject('local', (local) => this.getLocal(local));
      case 'path':
        return new Map<string, TfValue>([
          ['module', posix.relative(this.rootDir, this.config.dir) || '.'],
          ['root', '.'],
          ['cwd', '.'],
        ]);
      case 'terraform':
        return new Map<string, TfValue>([['workspace', unknown('terraform.workspace')]]);
      case 'module':
        return new LazyObject('module', (module) => this.getModuleValue(module));
      case 'data':
        return new LazyObject('data', (type) => new LazyObject(`data.${type}`, (dataName) => this.getDataValue(type, dataName)));
      case 'self':
      case 'each':
      case 'count':
        return undefined;
      default:
        return this.config.resources.some((resource) => resource.type === name)
          ? new LazyObject(name, (resourceName) => this.getResourceValue(name, resourceName))
          : undefined;
    }
  }

  private getVariable(name: string): TfValue | undefined {
    return this.memo(this.variables, `var.${name}`, () => {
      const input = this.getInput(name);
      if (input !== undefined) return input;
      const declared = this.config.variables.get(name);
      if (declared && declared.body.default !== undefined) return evaluateRaw(declared.body.default, this.scope);
      return unknown(`var.${name}`);
    });
  }

  private getLocal(name: string): TfValue | undefined {
    const local = this.config.locals.get(name);
    if (!local) return undefined;
    return this.memo(this.locals, `local.${name}`, () => evaluateRaw(local.raw, this.scope));
  }

  /** Computed once; a value that needs itself (a cycle, a Terraform error) is unknown. */
  private memo(cache: Map<string, TfValue>, key: string, compute: () => TfValue): TfValue {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    if (this.evaluating.has(key)) return unknown(key);
    this.evaluating.add(key);
    try {
      const value = compute();
      cache.set(key, value);
      return value;
    } finally {
      this.evaluating.delete(key);
    }
  }

  private readFile(path: string): { path?: string; text?: string } {
    const file = this.toRootPath(path);
    return file === undefined ? {} : { path: file, text: this.context.root.readText(file) };
  }

  /** `aws_x.name`: one instance, a list (count) or a map (for_each) of them. */
  private getResourceValue(type: string, name: string): TfValue | undefined {
    const config = this.config.resourceIndex.get(`${type}.${name}`);
    return config ? this.toCollection(config, this.getInstances(config, 'resource')) : undefined;
  }

  private getDataValue(type: string, name: string): TfValue {
    const config = this.config.data.get(`${type}.${name}`);
    if (!config) return new LazyObject(`data.${type}.${name}`, (attribute) => unknown(`data.${type}.${name}.${attribute}`));
    return this.toCollection(config, this.getInstances(config, 'data'));
  }

  private toCollection(config: ResourceConfig, instances: ResourceInstance[]): TfValue {
    const objects = instances.map((instance) => this.toObject(instance));
    if (config.body.for_each !== undefined && instances.every((i) => typeof i.key === 'string')) {
      return new Map(instances.map((instance, i) => [instance.key as string, objects[i]]));
    }
    if (config.body.count !== undefined && instances.every((i) => typeof i.key === 'number')) return objects;
    return objects[0] ?? unknown(`${config.type}.${config.name}`);
  }

  private toObject(instance: ResourceInstance): LazyObject {
    return new LazyObject(instance.address, (attribute) => getResourceAttribute(instance, attribute));
  }

  /** `count` and `for_each` expanded: one instance per element, with `count.index` / `each.key` / `each.value` bound. */
  private getInstances(config: ResourceConfig, mode: 'resource' | 'data'): ResourceInstance[] {
    let instances = this.instances.get(config);
    if (instances) return instances;
    const prefix = `${this.address ? `${this.address}.` : ''}${mode === 'data' ? 'data.' : ''}${config.type}.${config.name}`;
    instances = this.expand(config, this.scope, `${config.type}.${config.name}`).map(({ key, scope }) => ({
      module: this,
      config,
      mode,
      key,
      address: prefix + toKeyText(key),
      localId: config.name + toKeyText(key),
      scope,
    }));
    this.instances.set(config, instances);
    return instances;
  }

  /** The instance keys of a block with `count` / `for_each`, each with its scope. */
  private expand(config: BlockConfig, scope: Scope, what: string): { key?: string | number; scope: Scope }[] {
    const { count, for_each: forEach } = config.body;
    if (count !== undefined) {
      const n = toNumber(evaluateRaw(count, scope));
      if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 1000) {
        return Array.from({ length: n }, (_, index) => ({ key: index, scope: withVariables(scope, { count: new Map([['index', index]]) }) }));
      }
      this.reportUnknownInstances(config, what, 'count');
      return [{ scope: withVariables(scope, { count: new Map([['index', unknown('count.index')]]) }) }];
    }
    if (forEach !== undefined) {
      const value = evaluateRaw(forEach, scope);
      const entries = toForEachEntries(value);
      if (entries) {
        return entries.map(([key, item]) => ({
          key,
          scope: withVariables(scope, { each: new Map<string, TfValue>([['key', key], ['value', item]]) }),
        }));
      }
      this.reportUnknownInstances(config, what, 'for_each');
      return [{ scope: withVariables(scope, { each: new Map<string, TfValue>([['key', unknown('each.key')], ['value', unknown('each.value')]]) }) }];
    }
    return [{ scope }];
  }

  private reportUnknownInstances(config: BlockConfig, what: string, argument: string): void {
    this.context.diagnostics.push({
      code: 'terraform-instances-unknown',
      severity: 'info',
      message: `The ${argument} of ${what} is not known statically; it is read as one instance`,
      file: config.file,
      line: config.line,
    });
  }

  private expandModuleCall(call: ModuleCallConfig): ModuleCallInstance[] {
    const source = toText(call.body.source === undefined ? undefined : evaluateRaw(call.body.source, this.scope)) ?? '';
    const localDir = /^\.\.?(\/|$)/.test(source) ? toRootRelative(this.config.dir, source) : undefined;
    const localConfig = localDir === undefined ? undefined : this.context.configs.get(localDir);
    const remoteKind = getRemoteModuleKind(source) ?? (localConfig || localDir !== undefined ? undefined : getKindFromInputs(call));
    let kind: ModuleCallInstance['kind'] = localConfig ? 'local' : (remoteKind ?? 'unknown');
    if (!localConfig && remoteKind && !getRemoteModuleKind(source)) {
      this.context.diagnostics.push({
        code: 'terraform-module-inputs',
        severity: 'info',
        message: `Module ${call.name} (${source}) is not in the repository; its inputs (${LAMBDA_INPUTS.filter((name) => call.body[name] !== undefined).join(', ')}) describe a Lambda function, read as one`,
        file: call.file,
        line: call.line,
      });
    }
    if (localConfig && (this.chain.includes(localConfig.dir) || this.chain.length >= MAX_MODULE_DEPTH)) {
      this.report(call, `Module ${call.name} calls itself (through ${localConfig.dir}); it is not followed again`);
      kind = 'unknown';
    } else if (kind === 'unknown') {
      const why = /^\.\.?(\/|$)/.test(source)
        ? localDir === undefined
          ? 'its source is outside the analysed folder'
          : 'its source folder has no .tf files'
        : 'its source is not in the repository';
      this.report(call, `Module ${call.name} (${source || 'no source'}) is not read: ${why}`);
    }
    return this.expand(call, this.scope, `module.${call.name}`).map(({ key, scope }) => {
      const localId = call.name + toKeyText(key);
      const address = `${this.address ? `${this.address}.` : ''}module.${localId}`;
      const instance: ModuleCallInstance = { call, owner: this, key, address, localId, scope, kind };
      if (kind === 'local' && localConfig) {
        const inputs = new Map<string, TfValue>();
        const getInput = (name: string): TfValue | undefined => {
          if (META_ARGUMENTS.has(name) || call.body[name] === undefined) return undefined;
          if (!inputs.has(name)) inputs.set(name, evaluateRaw(call.body[name], scope));
          return inputs.get(name);
        };
        instance.child = new ModuleInstance(this.context, localConfig, this.rootDir, address, [...this.modulePath, localId], getInput, [
          ...this.chain,
          this.config.dir,
        ]);
      }
      return instance;
    });
  }

  private report(call: ModuleCallConfig, message: string): void {
    if (this.context.diagnostics.some((d) => d.file === call.file && d.line === call.line && d.code === 'terraform-module-not-read')) return;
    this.context.diagnostics.push({ code: 'terraform-module-not-read', severity: 'info', message, file: call.file, line: call.line });
  }

  /** `module.x`: its outputs (a local module), what a registry module's outputs refer to, or unknowns. */
  private getModuleValue(name: string): TfValue | undefined {
    const calls = this.getModuleCalls().filter((call) => call.call.name === name);
    if (calls.length === 0) return undefined;
    const objects = calls.map((call) => this.toModuleObject(call));
    if (calls[0].call.body.for_each !== undefined && calls.every((call) => typeof call.key === 'string')) {
      return new Map(calls.map((call, i) => [call.key as string, objects[i]]));
    }
    if (calls[0].call.body.count !== undefined && calls.every((call) => typeof call.key === 'number')) return objects;
    return objects[0];
  }

  private toModuleObject(call: ModuleCallInstance): LazyObject {
    const child = call.child;
    if (child) {
      return new LazyObject(call.address, (output) => {
        const declared = child.config.outputs.get(output);
        return declared?.body.value === undefined ? unknown(`${call.address}.${output}`) : evaluateRaw(declared.body.value, child.scope);
      });
    }
    const kind = call.kind;
    return new LazyObject(call.address, (output) => {
      const known = kind === 'local' || kind === 'unknown' ? undefined : MODULE_OUTPUTS[kind][output];
      if (!known) return unknown(`${call.address}.${output}`);
      return new Sym([{ kind: 'attr', address: getRemoteEntityAddress(call, known.resource), attribute: known.attribute }]);
    });
  }
}

/** The internal address of what a registry module creates: the module's own for its main resource. */
export function getRemoteEntityAddress(call: ModuleCallInstance, resource: 'main' | 'dlq'): string {
  return resource === 'main' ? call.address : `${call.address}.aws_sqs_queue.dlq`;
}

/**
 * An attribute of a resource instance: a reference when it is one of an entity's computed attributes (its ARN,
 * URL, name), the argument's value when the body sets it (an SSM parameter's `value`, a bucket's `id`), else an
 * unknown named by the attribute.
 */
export function getResourceAttribute(instance: ResourceInstance, attribute: string): TfValue {
  const { type } = instance.config;
  const isData = instance.mode === 'data';
  if (!isData && attribute === 'invoke_url' && STAGE_API[type]) return getStageUrl(instance);
  if (isData && type === 'aws_ssm_parameter' && (attribute === 'value' || attribute === 'insecure_value')) {
    const written = findWrittenParameter(instance);
    if (written) return getResourceAttribute(written, 'value');
  }
  if (!isData && REF_ATTRIBUTES[type]?.[attribute]) return new Sym([{ kind: 'attr', address: instance.address, attribute }]);
  const argument = attribute === 'id' && ID_ARGUMENT[type] ? ID_ARGUMENT[type] : attribute === 'value' && type === 'aws_ssm_parameter' && instance.config.body.value === undefined ? 'insecure_value' : attribute;
  const raw = instance.config.body[argument];
  if (raw !== undefined && !(ENTITY_TYPES[type] && !isData && argument === 'id')) return evaluateRaw(raw, instance.scope);
  return new Sym([{ kind: 'attr', address: instance.address, attribute }]);
}

/** Inputs that, together with `handler`, say that a module we cannot read makes a Lambda function. */
const LAMBDA_INPUTS = ['function_name', 'handler', 'runtime', 'source_path', 'source_dir', 'filename'];

/**
 * A module whose source is not in the repository (a private registry, a git URL) is known by what its inputs say:
 * `handler` with a function name or code location is a Lambda function (read as `terraform-aws-modules/lambda` is).
 */
function getKindFromInputs(call: ModuleCallConfig): RemoteModuleKind | undefined {
  const has = (name: string) => call.body[name] !== undefined;
  return has('handler') && (has('function_name') || has('source_path') || has('source_dir') || has('filename')) ? 'lambda' : undefined;
}

/** Stages and deployments, with the argument that names their API. */
const STAGE_API: Record<string, string> = {
  aws_apigatewayv2_stage: 'api_id',
  aws_api_gateway_stage: 'rest_api_id',
  aws_api_gateway_deployment: 'rest_api_id',
};

/**
 * `aws_apigatewayv2_stage.x.invoke_url`: the API's endpoint followed by the stage name (none for `$default`);
 * for a REST API, the API followed by `/<stage_name>`. A reference to the API, so code given the URL finds its routes.
 */
function getStageUrl(instance: ResourceInstance): TfValue {
  const { type, body } = instance.config;
  const value = (name: string) => (body[name] === undefined ? undefined : evaluateRaw(body[name], instance.scope));
  const api = value(STAGE_API[type]);
  const ref = api instanceof Sym ? api.parts.find((part) => part.kind === 'attr') : undefined;
  if (ref?.kind !== 'attr') return new Sym([{ kind: 'attr', address: instance.address, attribute: 'invoke_url' }]);
  const stage = toText(value(type === 'aws_apigatewayv2_stage' ? 'name' : 'stage_name'));
  const apiPart = { kind: 'attr' as const, address: ref.address, attribute: type === 'aws_apigatewayv2_stage' ? 'api_endpoint' : 'id' };
  if (stage === undefined) return new Sym([apiPart, { kind: 'unknown', text: `${instance.address}.stage` }]);
  return new Sym(stage === '$default' ? [apiPart] : [apiPart, { kind: 'literal', value: `/${stage}` }]);
}

/** `data "aws_ssm_parameter"` reading a parameter that a resource of the same module writes (same literal name). */
function findWrittenParameter(instance: ResourceInstance): ResourceInstance | undefined {
  const name = toText(instance.module.evaluateArgument(instance, 'name'));
  if (name === undefined) return undefined;
  return instance.module.getResourceInstances().find(
    (resource) => resource.config.type === 'aws_ssm_parameter' && toText(instance.module.evaluateArgument(resource, 'name')) === name,
  );
}

/** `for_each` over a map (keys in lexical order, as Terraform iterates) or a set of strings. */
function toForEachEntries(value: TfValue): [string, TfValue][] | undefined {
  if (isMap(value)) return [...value.entries()].toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (Array.isArray(value)) {
    const keys = value.map((item) => toText(item));
    if (keys.some((key) => key === undefined)) return undefined;
    return [...new Set(keys as string[])].toSorted().map((key) => [key, key]);
  }
  return undefined;
}

/** `["email"]` for a for_each key, `[0]` for a count index, nothing without either. */
export function toKeyText(key: string | number | undefined): string {
  return key === undefined ? '' : `[${JSON.stringify(key)}]`;
}

