import type { Sym } from '../types/summary.js';
import { getOwn } from '../util/own.js';
import { fnKey, type Evaluator, type Val } from './evaluate.js';
import type { Memo, ReadTracker } from './read-tracker.js';

/** What a handler can run: functions (`file#id`) and files whose module-level code it loads. */
export interface Reach {
  fns: Set<string>;
  modules: Set<string>;
}

/**
 * Lookups that reachability needs, worked out per file when first read (a re-run that resolves a few handlers again
 * reads only the summaries they reach).
 */
export class ReachIndex {
  private readonly byFile = new Map<string, { children: Map<string, string[]>; owned: Map<string, string[]> }>();
  /** What a reference leads to, by `file\0name\0scope`: the same for every handler, so worked out once. */
  readonly refTargets = new Map<string, Memo<RefTargets>>();

  constructor(
    readonly summaries: ReadTracker,
    readonly evaluator: Evaluator,
  ) {}

  /** Functions nested directly in a function (`file#id`). */
  getChildren(key: string): readonly string[] {
    return this.forFile(key.slice(0, key.lastIndexOf('#'))).children.get(key) ?? [];
  }

  /** Functions defined inside a module-level binding's initialiser. */
  getOwned(file: string, binding: string): readonly string[] {
    return this.forFile(file).owned.get(binding) ?? [];
  }

  private forFile(file: string): { children: Map<string, string[]>; owned: Map<string, string[]> } {
    // Read through the tracker every time: the running unit depends on this file.
    const summary = this.summaries.get(file);
    let found = this.byFile.get(file);
    if (found) return found;
    found = { children: new Map(), owned: new Map() };
    summary?.functions.forEach((fn, id) => {
      if (fn.parent >= 0) push(found.children, fnKey(file, fn.parent), fnKey(file, id));
      if (fn.owner !== undefined) push(found.owned, fn.owner, fnKey(file, id));
    });
    this.byFile.set(file, found);
    return found;
  }
}

/** The functions, modules and module-level bindings a reference leads to. */
interface RefTargets {
  fns: string[];
  modules: string[];
  owners: [string, string][];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Everything a handler export reaches: the functions it references (called or passed on), their nested
 * functions, what those reference in turn, across imports. Conservative: a function referenced is a function run.
 */
export function computeReach(file: string, exportName: string, index: ReachIndex): Reach {
  const reach: Reach = { fns: new Set(), modules: new Set() };
  const queue: string[] = [];
  const owners = new Set<string>();
  const { evaluator, summaries } = index;

  const addFn = (key: string) => {
    if (reach.fns.has(key)) return;
    reach.fns.add(key);
    queue.push(key);
  };
  const addModule = (moduleFile: string) => {
    if (reach.modules.has(moduleFile)) return;
    reach.modules.add(moduleFile);
    const summary = summaries.get(moduleFile);
    if (!summary) return;
    for (const ref of summary.moduleRefs) followRef(ref, moduleFile);
    // Loading a module loads what it imports: their module-level code runs too.
    for (const record of summary.imports) {
      const target = evaluator.resolveImport(moduleFile, record.source);
      if (target) addModule(target);
    }
  };
  const addOwner = (ownerFile: string, owner: string) => {
    const key = `${ownerFile}\0${owner}`;
    if (owners.has(key)) return;
    owners.add(key);
    for (const fn of index.getOwned(ownerFile, owner)) addFn(fn);
    const summary = summaries.get(ownerFile);
    for (const ref of (summary && getOwn(summary.ownerRefs, owner)) ?? []) followRef(ref, ownerFile);
  };
  const collect = (val: Val, depth: number) => collectFunctions(val, depth, evaluator, addFn, addModule);
  const followRef = (ref: Sym, refFile: string) => {
    const targets = getRefTargets(ref, refFile, index);
    for (const fn of targets.fns) addFn(fn);
    for (const moduleFile of targets.modules) addModule(moduleFile);
    for (const [ownerFile, owner] of targets.owners) addOwner(ownerFile, owner);
  };

  addModule(file);
  const entry = evaluator.getExport(file, exportName, 0, new Set());
  collect(entry, 0);
  for (const owner of [exportName, `exports.${exportName}`]) addOwner(file, owner);
  for (const [ownerFile, owner] of getExportOwners(file, exportName, evaluator)) addOwner(ownerFile, owner);

  while (queue.length > 0) {
    const key = queue.pop()!;
    const hash = key.lastIndexOf('#');
    const fnFile = key.slice(0, hash);
    const fn = summaries.get(fnFile)?.functions[Number(key.slice(hash + 1))];
    if (!fn) continue;
    addModule(fnFile);
    for (const ref of fn.refs) followRef(ref, fnFile);
    for (const child of index.getChildren(key)) addFn(child);
  }
  return reach;
}

/** What a reference leads to, evaluated once per reference and remembered in the index. */
function getRefTargets(ref: Sym, file: string, index: ReachIndex): RefTargets {
  const compute = (): RefTargets => {
    const targets: RefTargets = { fns: [], modules: [], owners: [] };
    const { evaluator } = index;
    const val = evaluator.evaluate(ref, { file, bindings: null });
    collectFunctions(val, 0, evaluator, (fn) => targets.fns.push(fn), (moduleFile) => targets.modules.push(moduleFile));
    targets.owners = getOwners(ref, file, evaluator, 0);
    return targets;
  };
  if (ref.k !== 'ref') return compute();
  return index.summaries.memo(index.refTargets, `${file}\0${ref.name}\0${ref.scope}`, compute);
}

/** Functions a value refers to: itself, the members of an object or class, the arguments of a wrapping call. */
function collectFunctions(
  val: Val,
  depth: number,
  evaluator: Evaluator,
  addFn: (key: string) => void,
  addModule: (file: string) => void,
): void {
  if (depth > 6) return;
  for (const alt of evaluator.alternatives(val)) {
    const s = alt.s;
    const next = (sym: Sym) => collectFunctions(evaluator.evaluate(sym, alt.env), depth + 1, evaluator, addFn, addModule);
    switch (s.k) {
      case 'fn':
        addFn(fnKey(alt.env.file, s.id));
        break;
      case 'obj':
        for (const prop of s.props) next(prop.value);
        for (const spread of s.spreads ?? []) next(spread);
        break;
      case 'arr':
        for (const item of s.items) next(item);
        break;
      case 'call':
      case 'new':
        next(s.callee);
        for (const arg of s.args) next(arg);
        break;
      case 'get':
        next(s.obj);
        break;
      case 'module':
        addModule(s.file);
        break;
      default:
        break;
    }
  }
}

/** The module-level binding(s) a reference names, following imports: `(file, binding)` pairs. */
function getOwners(ref: Sym, file: string, evaluator: Evaluator, depth: number): [string, string][] {
  if (depth > 8) return [];
  if (ref.k === 'ref') {
    const summary = evaluator.getSummary(file);
    if (!summary) return [];
    for (let s = ref.scope; s >= 0; s = summary.scopes[s].parent) {
      const value = getOwn(summary.scopes[s].bindings, ref.name);
      if (value === undefined) continue;
      if (value.k === 'import') return getOwners(value, file, evaluator, depth + 1);
      return s === 0 ? [[file, ref.name]] : [];
    }
    return [];
  }
  if (ref.k === 'import') {
    const target = evaluator.resolveImport(file, ref.source);
    if (!target || ref.name === '*') return [];
    return getExportOwners(target, ref.name, evaluator, depth + 1);
  }
  return [];
}

function getExportOwners(file: string, name: string, evaluator: Evaluator, depth = 0): [string, string][] {
  const summary = evaluator.getSummary(file);
  if (!summary || depth > 8) return [];
  const exported = getOwn(summary.exports, name);
  const owners: [string, string][] = [[file, `exports.${name}`]];
  if (exported) owners.push(...getOwners(exported, file, evaluator, depth + 1));
  else {
    for (const source of summary.reexportAll) {
      const target = evaluator.resolveImport(file, source);
      if (target) owners.push(...getExportOwners(target, name, evaluator, depth + 1));
    }
  }
  return owners;
}
