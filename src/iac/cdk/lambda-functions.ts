import { posix } from 'node:path';
import type { Node } from 'ts-morph';
import type { HandlerRef } from '../../types/inventory.js';
import { splitHandler } from '../cfn-template.js';
import type { FunctionRecord } from './app-model.js';
import { toArchitecture, toRuntimeName, toSeconds } from './cdk-enums.js';
import { readProp, type LibraryContext } from './library-context.js';
import { addEventSource } from './event-sources.js';
import { getNumber, getText, UNDEF, type CdkConstruct, type Value } from './values.js';
import { toRootRelativePath } from './virtual-paths.js';

/** Lambda's defaults when the CDK props leave timeout and memory out (the CDK sets neither). */
const LAMBDA_DEFAULT_TIMEOUT = 3;
const LAMBDA_DEFAULT_MEMORY = 128;
/** The files `NodejsFunction` looks for next to the defining file when no `entry` is given, in its order. */
const DEFAULT_ENTRY_EXTENSIONS = ['.ts', '.js', '.mjs', '.mts', '.cts', '.cjs'];

export type FunctionFlavour = 'function' | 'nodejs' | 'python' | 'image';

/** The function classes we read, by canonical name. */
export const FUNCTION_CLASSES: Record<string, FunctionFlavour> = {
  'aws_lambda.Function': 'function',
  'aws_lambda.SingletonFunction': 'function',
  'aws_lambda_nodejs.NodejsFunction': 'nodejs',
  'aws_lambda_python.PythonFunction': 'python',
  'aws_lambda.DockerImageFunction': 'image',
};

/**
 * `new lambda.Function(scope, id, props)` and its relatives (or a subclass's `super(...)`, with `self` the instance):
 * a function of the inventory with its handler file, settings, environment and `events`.
 */
export function createFunction(ctx: LibraryContext, flavour: FunctionFlavour, cls: string, args: Value[], node: Node, self?: CdkConstruct): Value {
  const [scope, id, props] = args;
  const c = self ?? ctx.newConstruct('function', cls, scope ?? UNDEF, id ?? UNDEF, node);
  c.kind = 'function';
  buildFunction(ctx, flavour, c, props, node);
  return { t: 'construct', c };
}

/** A function's record from its props, on an existing construct (patterns create functions from `lambdaFunctionProps`). */
export function buildFunction(ctx: LibraryContext, flavour: FunctionFlavour, c: CdkConstruct, props: Value | undefined, node: Node): FunctionRecord {
  const record: FunctionRecord = {
    c,
    name: readProp(props, 'functionName'),
    handler: getHandler(ctx, flavour, c, props, node),
    runtime: toRuntimeName(readProp(props, 'runtime')),
    timeout: toSeconds(readProp(props, 'timeout')) ?? LAMBDA_DEFAULT_TIMEOUT,
    memorySize: getNumber(readProp(props, 'memorySize')) ?? LAMBDA_DEFAULT_MEMORY,
    architecture: toArchitecture(readProp(props, 'architecture')),
    environment: new Map(),
  };
  const environment = readProp(props, 'environment');
  // The CDK copies the environment when the function is created: later changes to the object do not count.
  if (environment?.t === 'obj') {
    for (const [key, value] of environment.props) if (value.t !== 'undef') record.environment.set(key, value);
  } else if (environment) ctx.report('cdk-unresolved', 'info', `the environment of ${c.id} is not an object known statically`, node);
  ctx.model.addFunction(record);
  const events = readProp(props, 'events');
  if (events?.t === 'arr') for (const source of events.items) addEventSource(ctx, c, source, ctx.toLocation(node), node);
  return record;
}

/** `fn.addEnvironment(key, value)`. */
export function addEnvironment(ctx: LibraryContext, c: CdkConstruct, args: Value[], node: Node): void {
  const record = ctx.model.getFunction(c);
  const key = getText(args[0]);
  if (!record) return;
  if (key === undefined) {
    ctx.report('cdk-unresolved', 'info', `the name of an environment variable of ${c.id} is not known statically`, node);
    return;
  }
  record.environment.set(key, args[1] ?? UNDEF);
}

function getHandler(ctx: LibraryContext, flavour: FunctionFlavour, c: CdkConstruct, props: Value | undefined, node: Node): HandlerRef | undefined {
  switch (flavour) {
    case 'function':
      return getAssetHandler(ctx, c, props, node);
    case 'nodejs':
      return getNodejsHandler(ctx, c, props, node);
    case 'python':
      return getPythonHandler(ctx, c, props, node);
    case 'image':
      return undefined;
  }
}

/** `code: Code.fromAsset(dir)` + `handler: 'orders/create.handler'` → module `<dir>/orders/create`, export `handler`. */
function getAssetHandler(ctx: LibraryContext, c: CdkConstruct, props: Value | undefined, node: Node): HandlerRef | undefined {
  const code = readProp(props, 'code');
  const raw = getText(readProp(props, 'handler'));
  const asset = getAssetPath(code);
  if (asset === null) return undefined; // inline code, an image, a bucket: no handler file in the analysed folder
  if (asset === undefined || raw === undefined) {
    ctx.report('cdk-unresolved', 'info', `the code or handler of function ${c.id} is not known statically: its handler file is not found`, node);
    return undefined;
  }
  const dir = toRootRelativePath(asset, ctx.getAppDir(ctx.toLocation(node).file));
  const split = splitHandler(raw);
  if (dir === undefined || !split) {
    ctx.report('cdk-code-outside-root', 'info', `the handler ${raw} of function ${c.id} is outside the analysed folder`, node);
    return undefined;
  }
  return { raw, module: posix.normalize(posix.join(dir, split.module)), export: split.export };
}

/** The asset path of `Code.fromAsset(path)`; null for code that is not a local folder; undefined when unknown. */
function getAssetPath(code: Value | undefined): string | null | undefined {
  if (code?.t === 'inst' && code.name === 'aws_lambda.AssetCode') return getText(code.args[0]);
  if (code?.t !== 'call') return undefined;
  const method = /^aws_lambda\.(?:Code|AssetCode)\.(\w+)$/.exec(code.name)?.[1];
  if (method === 'fromAsset' || method === 'asset') return getText(code.args[0]);
  return method ? null : undefined;
}

/**
 * `NodejsFunction`: `entry` (relative to the app folder, or built from `__dirname`), or by default
 * `<defining file>.<construct id>.ts` (then `.js`, `.mjs`, `.mts`, `.cts`, `.cjs`) next to the file that creates it;
 * `handler` defaults to `handler`.
 */
function getNodejsHandler(ctx: LibraryContext, c: CdkConstruct, props: Value | undefined, node: Node): HandlerRef | undefined {
  const handler = getText(readProp(props, 'handler')) ?? 'handler';
  const exportName = handler.includes('.') ? handler.slice(handler.indexOf('.') + 1) : handler;
  const entryValue = readProp(props, 'entry');
  const definingFile = ctx.toLocation(node).file;
  let file: string | undefined;
  if (entryValue) {
    const entry = getText(entryValue);
    file = entry === undefined ? undefined : toRootRelativePath(entry, ctx.getAppDir(definingFile));
    if (file === undefined) {
      ctx.report('cdk-unresolved', 'info', `the entry of function ${c.id} is not a path known statically inside the analysed folder`, node);
      return undefined;
    }
  } else {
    const stem = definingFile.replace(/\.[cm]?[jt]sx?$/, '');
    const candidates = DEFAULT_ENTRY_EXTENSIONS.map((ext) => `${stem}.${c.id}${ext}`);
    file = candidates.find((candidate) => ctx.exists(candidate)) ?? candidates[0];
  }
  const module = file.replace(/\.[cm]?[jt]sx?$/, '');
  return { raw: `${file}:${exportName}`, module, export: exportName, ...(ctx.exists(file) ? { file } : {}) };
}

/** `PythonFunction`: `entry` folder, `index` file (default `index.py`), `handler` (default `handler`). */
function getPythonHandler(ctx: LibraryContext, c: CdkConstruct, props: Value | undefined, node: Node): HandlerRef | undefined {
  const entry = getText(readProp(props, 'entry'));
  const dir = entry === undefined ? undefined : toRootRelativePath(entry, ctx.getAppDir(ctx.toLocation(node).file));
  if (dir === undefined) {
    ctx.report('cdk-unresolved', 'info', `the entry of function ${c.id} is not a path known statically inside the analysed folder`, node);
    return undefined;
  }
  const index = getText(readProp(props, 'index')) ?? 'index.py';
  const exportName = getText(readProp(props, 'handler')) ?? 'handler';
  const file = posix.join(dir, index);
  return { raw: `${file}:${exportName}`, module: file.replace(/\.py$/, ''), export: exportName, ...(ctx.exists(file) ? { file } : {}) };
}
