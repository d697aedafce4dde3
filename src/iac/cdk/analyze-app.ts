import { posix } from 'node:path';
import { Node } from 'ts-morph';
import type { IacInput, IacResult } from '../../types/analyzers.js';
import { fromPlainJson } from './builtin-methods.js';
import { CdkLibrary, type AppSettings } from './cdk-library.js';
import { Evaluator } from './evaluator.js';
import { parseJsonObject, SourceFiles } from './source-files.js';
import { toStr, UNDEF, type ClassValue, type Value } from './values.js';

/** Script paths in a cdk.json `app` command (`npx ts-node --prefer-ts-exts bin/app.ts`). */
const APP_SCRIPT = /(?:^|\s)(?:\.\/)?([\w@./-]+\.[cm]?[jt]sx?)(?=\s|$)/g;

/**
 * A repository's CDK apps, read statically: every file that imports the CDK (and the local modules they import)
 * is evaluated symbolically (src/iac/cdk/evaluator.ts), starting from the scripts that cdk.json files name; stack
 * classes that no app instantiates are instantiated on their own. Nothing is run: no `cdk synth`, no ts-node.
 */
export function analyzeCdkProject(inputs: readonly IacInput[]): IacResult {
  if (inputs.length === 0) return { inventory: {}, diagnostics: [] };
  const root = inputs[0].root;
  const configs = new Map<string, Record<string, unknown>>();
  for (const input of inputs) {
    if (posix.basename(input.file) !== 'cdk.json') continue;
    const config = parseJsonObject(input.text);
    if (config) configs.set(posix.dirname(input.file), config);
  }
  const files = new SourceFiles(
    inputs.filter((input) => posix.basename(input.file) !== 'cdk.json'),
    root,
    inputs[0].limits.maxDepth,
  );
  const library = new CdkLibrary(createSettings(configs, root));
  const evaluator = new Evaluator(files, library);
  library.reporter = (code, severity, message, node, hint) => evaluator.report(code, severity, message, node, hint);
  library.getHelperCall = () => evaluator.getHelperCall();

  const entries = new Set<string>();
  for (const [dir, config] of [...configs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const script of getAppScripts(config)) {
      const file = files.resolveImport(posix.join(dir, 'cdk.json'), `./${script}`);
      if (file) entries.add(file);
    }
  }
  for (const file of files.getInputFiles()) entries.add(file);
  for (const file of entries) evaluator.runModule(file);
  instantiateLoneStacks(evaluator, library, files.getInputFiles());
  library.reportUnnamed();

  const { inventory, diagnostics } = library.model.toInventory();
  return { inventory, diagnostics: [...files.diagnostics, ...evaluator.diagnostics, ...diagnostics] };
}

/** Stacks of a construct library that no app of the repository creates: read as `new Stack(undefined, '<ClassName>')`. */
function instantiateLoneStacks(evaluator: Evaluator, library: CdkLibrary, files: readonly string[]): void {
  const classes: ClassValue[] = files.flatMap((file) => evaluator.getClasses(file));
  const extended = new Set(classes.map((cls) => evaluator.getBase(cls)).filter((base): base is ClassValue => base?.t === 'class').map((base) => base.node));
  for (const cls of classes) {
    if (evaluator.instantiated.has(cls.node) || extended.has(cls.node)) continue;
    if (Node.isClassDeclaration(cls.node) && cls.node.isAbstract()) continue;
    const base = evaluator.getRootBase(cls);
    if (base === undefined || library.getBaseKind(base) !== 'stack') continue;
    evaluator.instantiate(cls, [UNDEF, toStr(cls.name)], cls.node);
  }
}

function getAppScripts(config: Record<string, unknown>): string[] {
  const command = typeof config.app === 'string' ? config.app : '';
  return [...command.matchAll(APP_SCRIPT)].map((match) => match[1]);
}

function createSettings(configs: ReadonlyMap<string, Record<string, unknown>>, root: IacInput['root']): AppSettings {
  const contexts = new Map<string, Value>();
  const findConfigDir = (file: string): string | undefined => {
    for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
      if (configs.has(dir)) return dir;
      if (dir === '.' || dir === '/' || dir === '') return undefined;
    }
  };
  return {
    getAppDir(file) {
      const dir = findConfigDir(file);
      if (dir !== undefined) return dir;
      for (let up = posix.dirname(file); up !== '.' && up !== '/' && up !== ''; up = posix.dirname(up)) {
        if (root.exists(`${up}/package.json`)) return up;
      }
      return '.';
    },
    getContext(file) {
      const dir = findConfigDir(file);
      if (dir === undefined) return undefined;
      if (!contexts.has(dir)) contexts.set(dir, fromPlainJson(configs.get(dir)?.context ?? {}));
      return contexts.get(dir);
    },
    exists: (file) => root.exists(file),
  };
}
