import path from 'node:path/posix';
import type { Diagnostic } from './types/diagnostics.js';
import type { FunctionDef, IacValue, Inventory, TriggerDef } from './types/inventory.js';
import { emptyInventory } from './types/inventory.js';

/** One IaC file's contribution. */
export interface InventoryFragment {
  file: string;
  inventory: Partial<Inventory>;
}

const CODE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
/** Folders that hold build output whose source usually sits in `src/` or next to them. */
const BUILD_PREFIX = /^(.*?)(dist|build|\.build|lib|out|\.esbuild|\.webpack)\//;

/**
 * Merge IaC fragments into one Inventory. Logical ids that two files both use (two services each with a `hello`
 * function) are prefixed with the file's scope, and references inside each file follow the rename.
 */
export function buildInventory(fragments: readonly InventoryFragment[]): Inventory {
  const owners = new Map<string, Set<string>>();
  for (const fragment of fragments) {
    for (const id of getIds(fragment.inventory)) {
      const files = owners.get(id) ?? new Set();
      files.add(fragment.file);
      owners.set(id, files);
    }
  }
  const merged = emptyInventory();
  for (const fragment of fragments) {
    const renames = new Map<string, string>();
    for (const id of getIds(fragment.inventory)) {
      if ((owners.get(id)?.size ?? 0) > 1) renames.set(id, `${getScope(fragment)}/${id}`);
    }
    const inv = renames.size ? renameIds(fragment.inventory, renames) : fragment.inventory;
    merged.functions.push(...(inv.functions ?? []));
    merged.queues.push(...(inv.queues ?? []));
    merged.topics.push(...(inv.topics ?? []));
    merged.buses.push(...(inv.buses ?? []));
    merged.stateMachines.push(...(inv.stateMachines ?? []));
    merged.triggers.push(...(inv.triggers ?? []));
    merged.apis.push(...(inv.apis ?? []));
    merged.parameters.push(...(inv.parameters ?? []));
  }
  dedupeById(merged);
  return merged;
}

function getIds(inv: Partial<Inventory>): Set<string> {
  const ids = new Set<string>();
  for (const list of [inv.functions, inv.queues, inv.topics, inv.buses, inv.stateMachines, inv.apis, inv.parameters]) {
    for (const entity of list ?? []) ids.add(entity.id);
  }
  return ids;
}

function getScope(fragment: InventoryFragment): string {
  const scoped = [...(fragment.inventory.functions ?? []), ...(fragment.inventory.queues ?? [])].find((e) => e.scope);
  const dir = path.dirname(fragment.file);
  return scoped?.scope && scoped.scope !== '.' ? scoped.scope : dir === '.' ? path.basename(fragment.file) : dir;
}

/** The same resource declared twice (a topic both created by an event and declared in resources): keep the first. */
function dedupeById(inv: Inventory): void {
  for (const key of ['functions', 'queues', 'topics', 'buses', 'stateMachines', 'apis', 'parameters'] as const) {
    const seen = new Set<string>();
    const list = inv[key] as { id: string }[];
    const kept = list.filter((entity) => (seen.has(entity.id) ? false : (seen.add(entity.id), true)));
    (inv[key] as { id: string }[]) = kept;
  }
}

function renameIds(inv: Partial<Inventory>, renames: Map<string, string>): Partial<Inventory> {
  const id = (value: string) => renames.get(value) ?? value;
  const value = (v: IacValue): IacValue => {
    if (v.kind === 'ref') return { ...v, target: id(v.target) };
    if (v.kind === 'join') return { ...v, parts: v.parts.map(value) };
    return v;
  };
  const maybe = (v: IacValue | undefined) => (v ? value(v) : undefined);
  return {
    functions: inv.functions?.map((f) => ({
      ...f,
      id: id(f.id),
      name: maybe(f.name),
      environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, value(v)])),
    })),
    queues: inv.queues?.map((q) => ({
      ...q,
      id: id(q.id),
      name: maybe(q.name),
      deadLetter: q.deadLetter ? { ...q.deadLetter, target: value(q.deadLetter.target) } : undefined,
    })),
    topics: inv.topics?.map((t) => ({ ...t, id: id(t.id), name: maybe(t.name) })),
    buses: inv.buses?.map((b) => ({ ...b, id: id(b.id), name: maybe(b.name) })),
    stateMachines: inv.stateMachines?.map((m) => ({ ...m, id: id(m.id), name: maybe(m.name) })),
    triggers: inv.triggers?.map((t): TriggerDef => ({ ...t, to: id(t.to), from: maybe(t.from), details: renameApi(t.details, id) })),
    apis: inv.apis?.map((a) => ({ ...a, id: id(a.id), name: maybe(a.name) })),
    parameters: inv.parameters?.map((p) => ({ ...p, id: id(p.id), name: maybe(p.name), value: maybe(p.value) })),
  };
}

/** An HTTP route's `apiId` follows its API's rename. */
function renameApi(details: TriggerDef['details'], id: (value: string) => string): TriggerDef['details'] {
  return typeof details.apiId === 'string' ? { ...details, apiId: id(details.apiId) } : details;
}

/**
 * Find the source file of each handler: the module path with a code extension, the TypeScript source of a
 * build-output path (`dist/x.js` → `src/x.ts`), or else a unique file with the same name.
 */
export function resolveHandlerFiles(
  inventory: Inventory,
  codeFiles: readonly string[],
  /** Whether a file exports a name: picks the handler's file among files of the same name. */
  exportsName: (file: string, name: string) => boolean = () => false,
): Diagnostic[] {
  const files = new Set(codeFiles);
  const byBase = new Map<string, string[]>();
  for (const file of codeFiles) {
    const base = stripExtension(path.basename(file));
    const list = byBase.get(base) ?? [];
    list.push(file);
    byBase.set(base, list);
  }
  const diagnostics: Diagnostic[] = [];
  for (const fn of inventory.functions) {
    const handler = fn.handler;
    if (!handler || handler.file) continue;
    const found = findModuleFile(handler.module, files) ?? findByName(handler.module, byBase, (file) => exportsName(file, handler.export));
    if (found) handler.file = found;
    else diagnostics.push(toHandlerNotFound(fn));
  }
  return diagnostics;
}

function findModuleFile(module: string, files: ReadonlySet<string>): string | undefined {
  const candidates = [module];
  const build = BUILD_PREFIX.exec(module);
  if (build) {
    const rest = module.slice(build[0].length);
    candidates.push(`${build[1]}src/${rest}`, `${build[1]}${rest}`);
  }
  for (const candidate of candidates) {
    const clean = path.normalize(candidate).replace(/^\.\//, '');
    if (files.has(clean)) return clean;
    const stem = stripExtension(clean);
    for (const ext of CODE_EXTENSIONS) if (files.has(stem + ext)) return stem + ext;
    for (const ext of CODE_EXTENSIONS) if (files.has(`${clean}/index${ext}`)) return `${clean}/index${ext}`;
  }
  return undefined;
}

/**
 * The file with the module's name whose path shares the longest tail with the module path; among equals, the one
 * file that exports the handler's name.
 */
function findByName(module: string, byBase: Map<string, string[]>, exportsHandler: (file: string) => boolean): string | undefined {
  const list = byBase.get(path.basename(stripExtension(module)));
  if (!list?.length) return undefined;
  if (list.length === 1) return list[0];
  const wanted = module.split('/').reverse();
  let best: string[] = [];
  let bestScore = 0;
  for (const file of list) {
    const parts = stripExtension(file).split('/').reverse();
    let score = 0;
    while (score < parts.length && score < wanted.length && parts[score] === wanted[score]) score++;
    if (score > bestScore) {
      best = [file];
      bestScore = score;
    } else if (score === bestScore) best.push(file);
  }
  if (best.length === 1) return best[0];
  const exporting = best.filter(exportsHandler);
  return exporting.length === 1 ? exporting[0] : undefined;
}

function stripExtension(file: string): string {
  const ext = path.extname(file);
  return CODE_EXTENSIONS.includes(ext) ? file.slice(0, -ext.length) : file;
}

function toHandlerNotFound(fn: FunctionDef): Diagnostic {
  return {
    code: 'handler-not-found',
    severity: 'warning',
    message: `the handler ${fn.handler!.raw} of function ${fn.id} was not found among the source files`,
    file: fn.location.file,
    line: fn.location.line,
    hint: 'its calls cannot be attributed to it; check the handler path or the analysed folder',
  };
}
