import type { AnalysisLimits } from '../types/analyzers.js';
import type { Diagnostic } from '../types/diagnostics.js';
import type { CallRecord, ContextRecord, FileSummary, Sym } from '../types/summary.js';
import { compactSummary, findSyms } from './compact.js';
import { parseSource } from './parse.js';
import { SummaryState } from './state.js';
import { or, pushSymChildren } from './to-sym.js';
import { walkProgram, type ContextCollector } from './walk.js';

export interface SummarizeOptions {
  limits: AnalysisLimits;
  /** Method names that may be SDK operations (`send`, `invoke`, `sendMessage`...): calls to them are always kept. */
  sdkMethods: ReadonlySet<string>;
  /** Globals whose calls are kept although nothing in the file binds them (`fetch`). */
  keptGlobals?: ReadonlySet<string>;
  /** Object keys whose value's source text is worth keeping (SDK targets and payloads). */
  textKeys: ReadonlySet<string>;
  collectors: readonly ContextCollector[];
}

/** Parse one file, walk it once, and keep only its summary. The AST is dropped when this returns. */
export function summarizeFile(file: string, text: string, options: SummarizeOptions): FileSummary {
  return compactSummary(walkFile(file, text, options));
}

/** The summary as the walk leaves it, before `compactSummary` (exported for its tests). */
export function walkFile(file: string, text: string, options: SummarizeOptions): FileSummary {
  const parsed = parseSource(file, text);
  const state = new SummaryState(file, text, 8, options.textKeys);
  if (!parsed.ast) return state.toSummary({ moduleRefs: [], ownerRefs: {}, diagnostics: parsed.diagnostics });
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  try {
    walkProgram(parsed.ast.program, state, options.collectors);
  } catch (error) {
    // A walk bug must not lose the rest of the run; report it against the file.
    diagnostics.push({
      code: 'internal-error',
      severity: 'error',
      message: `could not analyse this file: ${(error as Error).message}`,
      file,
      hint: 'please report this with the file attached',
    });
  }
  applyWrites(state);
  const moduleRefs = keepOuterRefs(state, state.refsByFn.get(-1));
  const ownerRefs: Record<string, Sym[]> = {};
  for (const [owner, refs] of state.refsByOwner) {
    const kept = keepOuterRefs(state, refs);
    if (kept.length > 0) ownerRefs[owner] = kept;
  }
  state.functions.forEach((fn, id) => {
    fn.refs = keepOuterRefs(state, state.refsByFn.get(id));
  });
  const calls = state.calls.filter((call) => isCallWorthLinking(call, state, options.sdkMethods, options.keptGlobals));
  state.calls.length = 0;
  state.calls.push(...calls);
  for (const call of [...calls, ...state.constructions]) {
    const node = state.callNodes.get(call);
    if (!node) continue;
    call.text = state.textOf(node);
    call.argText = node.arguments.slice(0, 8).map((arg) => state.textOf(arg));
  }
  state.callNodes.clear();
  const contextSyms = keepContexts(state);
  pruneBindings(state, [moduleRefs, ...Object.values(ownerRefs), contextSyms]);
  return state.toSummary({ moduleRefs, ownerRefs, diagnostics });
}

/** `let url; if (x) url = A; else url = B;` — a variable assigned after its declaration may hold any of its values. */
function applyWrites(state: SummaryState): void {
  for (const write of state.writes) {
    const found = state.lookup(write.name, write.scope);
    if (!found) continue;
    const bindings = state.scopes[found.scope].bindings;
    const current = bindings[write.name];
    bindings[write.name] = current.k === 'nil' ? write.value : or([current, write.value]);
  }
}

/**
 * Keep the contexts that a kept call is inside (and the standalone ones), let their collectors finish them, and
 * renumber the calls' references. Returns the Syms the kept contexts hold, whose bindings must survive pruning.
 */
function keepContexts(state: SummaryState): Sym[] {
  const used = new Set<number>();
  for (const call of state.calls) for (const index of call.contexts ?? []) used.add(index);
  const renumbered = new Map<number, number>();
  const kept: ContextRecord[] = [];
  state.contexts.forEach((record, index) => {
    if (!used.has(index) && !record.standalone) return;
    if (state.contextFinishers.get(record)?.() === false) return;
    renumbered.set(index, kept.length);
    kept.push(record);
  });
  state.contextFinishers.clear();
  for (const call of state.calls) {
    if (!call.contexts) continue;
    const contexts = call.contexts.flatMap((index) => renumbered.get(index) ?? []);
    if (contexts.length) call.contexts = contexts;
    else delete call.contexts;
  }
  state.contexts.length = 0;
  state.contexts.push(...kept);
  const syms: Sym[] = [];
  for (const record of kept) findSyms(record.data, syms);
  return syms;
}

/** References that can lead to code elsewhere: functions, imports and module-level bindings. */
function keepOuterRefs(state: SummaryState, refs: Map<string, Sym> | undefined): Sym[] {
  if (!refs) return [];
  const kept: Sym[] = [];
  for (const ref of refs.values()) {
    if (ref.k !== 'ref') continue;
    const found = state.lookup(ref.name, ref.scope);
    if (!found) continue;
    const kind = found.value.k;
    if (found.scope === 0 || kind === 'fn' || kind === 'import' || kind === 'obj') kept.push(ref);
  }
  return kept;
}

/** The identifier a callee hangs off: `a` in `a.b.c()`, `a()` or `a().b()`. */
function getRootRef(sym: Sym): Sym | undefined {
  let current: Sym = sym;
  for (let i = 0; i < 20; i++) {
    if (current.k === 'get') current = current.obj;
    else if (current.k === 'call' || current.k === 'new') current = current.callee;
    else return current;
  }
  return undefined;
}

/**
 * Keep calls that can matter when linking: a method that may be an SDK operation, or a call that reaches code in
 * this project (a local function, an import, a module-level object). Calls on globals and on local values
 * (`console.log`, `items.map`) are dropped to keep summaries small.
 */
function isCallWorthLinking(call: CallRecord, state: SummaryState, sdkMethods: ReadonlySet<string>, keptGlobals?: ReadonlySet<string>): boolean {
  const callee = call.callee;
  if (callee.k === 'get' && sdkMethods.has(callee.prop)) return true;
  // `this.items.get(id)` with `items = new Map()`: a method of a built-in value never leads anywhere.
  if (callee.k === 'get' && isBuiltinValue(callee.obj, state, 0)) return false;
  const root = getRootRef(callee);
  if (!root) return false;
  if (root.k === 'import' || root.k === 'fn') return true;
  if (root.k !== 'ref') return false;
  if (root.name === 'this') return true;
  const found = state.lookup(root.name, root.scope);
  if (!found) return keptGlobals?.has(root.name) === true;
  const kind = found.value.k;
  return kind === 'fn' || kind === 'import' || kind === 'obj' || kind === 'new' || kind === 'call' || found.scope === 0;
}

/** Constructors and namespaces of the language and of Node: their values' methods run no project or SDK code. */
const BUILTINS = new Set([
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Date', 'Promise', 'Error', 'TypeError', 'RangeError', 'RegExp',
  'URL', 'URLSearchParams', 'Object', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Intl',
  'Buffer', 'TextEncoder', 'TextDecoder', 'AbortController', 'console',
]);

/**
 * Whether a value is, as far as this file shows, a literal or an instance of a built-in (`new Map()`, `[]`,
 * `Object.keys(x)`), followed through local bindings and the fields of local objects and classes (`this.items`).
 */
function isBuiltinValue(sym: Sym, state: SummaryState, depth: number): boolean {
  if (depth > 6) return false;
  switch (sym.k) {
    case 'str':
    case 'num':
    case 'bool':
    case 'cat':
    case 'arr':
      return true;
    case 'new':
    case 'call': {
      const root = getRootRef(sym.callee);
      return root?.k === 'ref' && BUILTINS.has(root.name) && state.lookup(root.name, root.scope) === undefined;
    }
    case 'ref': {
      const found = state.lookup(sym.name, sym.scope);
      if (!found) return BUILTINS.has(sym.name);
      return isBuiltinValue(found.value, state, depth + 1);
    }
    case 'get': {
      const owner = getLocalObject(sym.obj, state, depth + 1);
      const prop = owner?.props.findLast((candidate) => candidate.key === sym.prop);
      return prop !== undefined && isBuiltinValue(prop.value, state, depth + 1);
    }
    case 'or':
      return sym.options.length > 0 && sym.options.every((option) => isBuiltinValue(option, state, depth + 1));
    default:
      return false;
  }
}

/** The object literal or class a value names in this file, if it is one (`this` in a method is its class). */
function getLocalObject(sym: Sym, state: SummaryState, depth: number): (Sym & { k: 'obj' }) | undefined {
  if (depth > 6) return undefined;
  if (sym.k === 'obj') return sym;
  if (sym.k !== 'ref') return undefined;
  const found = state.lookup(sym.name, sym.scope);
  return found ? getLocalObject(found.value, state, depth + 1) : undefined;
}

/**
 * Whether a call's callee is a global or a method of a built-in value (`setTimeout(f)`, `new Promise(f)`,
 * `result.sort(f)`, `Object.keys(x).filter(f)`): linking evaluates such a callee to a global or a property of
 * one, never to a function of the project, so a function passed to it directly is never bound to a parameter
 * and never called by the evaluator. `.map` is not: the payload annotation reads what its callback returns.
 */
function hasInertCallee(sym: Sym & { k: 'call' | 'new' }, state: SummaryState): boolean {
  const callee = sym.callee;
  if (callee.k === 'ref') return state.lookup(callee.name, callee.scope) === undefined;
  if (sym.k === 'new' || callee.k !== 'get' || callee.prop === 'map' || Number.isInteger(Number(callee.prop))) return false;
  return isBuiltinValue(callee.obj, state, 0);
}

/**
 * Keep only the bindings that linking can read, and the returns of the functions it can call: both are what the
 * Syms linking starts from (calls, exports, references, contexts' data) reach. A function's returns are read only
 * when a call's callee evaluates to it (`src/link/evaluate.ts`) or when it is the callback of a `.map` whose entries
 * are read (`annotate/payload.ts`): both need its `fn` Sym, so the returns of a function whose Sym nothing reachable
 * holds (`new Promise((resolve) => setTimeout(resolve, ms))`, a callback inside a dropped call) are emptied, and
 * the bindings only they used are pruned with the others. A callback handed straight to a built-in
 * (`items.sort((a, b) => …)`) is not reached this way either (see `hasInertCallee`). Most local variables never matter, and summaries are
 * what the run holds in memory and caches.
 */
function pruneBindings(state: SummaryState, extraRoots: Sym[][]): void {
  /** The names kept in each scope, by scope. */
  const marked: (Set<string> | undefined)[] = [];
  const liveFns = new Set<number>();
  const work: Sym[] = [];
  for (const call of state.calls) work.push(call.callee, ...call.args);
  for (const call of state.constructions) work.push(call.callee, ...call.args);
  work.push(...Object.values(state.exports));
  for (const fn of state.functions) work.push(...fn.refs);
  for (const roots of extraRoots) work.push(...roots);
  while (work.length > 0) {
    const sym = work.pop()!;
    switch (sym.k) {
      case 'ref': {
        const found = state.lookup(sym.name, sym.scope);
        if (!found) break;
        const names = (marked[found.scope] ??= new Set());
        if (names.has(sym.name)) break;
        names.add(sym.name);
        work.push(found.value);
        break;
      }
      case 'fn': {
        const fn = state.functions[sym.id];
        if (!fn || liveFns.has(sym.id)) break;
        liveFns.add(sym.id);
        work.push(...fn.returns);
        break;
      }
      case 'call':
      case 'new': {
        work.push(sym.callee);
        const inert = hasInertCallee(sym, state);
        for (const arg of sym.args) if (!inert || arg.k !== 'fn') work.push(arg);
        break;
      }
      default:
        pushSymChildren(sym, work);
        break;
    }
  }
  state.functions.forEach((fn, id) => {
    if (!liveFns.has(id) && fn.returns.length > 0) fn.returns = [];
  });
  state.scopes.forEach((scope, index) => {
    const names = marked[index];
    const kept: Record<string, Sym> = Object.create(null);
    if (names) for (const name in scope.bindings) if (names.has(name)) kept[name] = scope.bindings[name];
    scope.bindings = kept;
  });
}
