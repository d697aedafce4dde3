import type { FileSummary, Sym } from '../types/summary.js';
import { getOwn } from '../util/own.js';
import type { SummaryLookup } from './read-tracker.js';
import type { ModuleResolver } from './module-resolver.js';

/** Parameter values known because we arrived at a function through one of its call sites. */
export interface Binding {
  /** `file#fnId` of the function whose parameters are bound. */
  fnKey: string;
  args: readonly Sym[];
  /** Where the arguments are to be evaluated: the caller. */
  argEnv: Env;
  next: Binding | null;
}

/** Where a Sym is read: the file whose scopes and function ids it refers to, and the known parameter values. */
export interface Env {
  file: string;
  bindings: Binding | null;
}

/**
 * A Sym after evaluation, plus forms that only exist across files: a whole module, a global, and alternatives
 * evaluated in different environments (the returns of a function, the branches of an `or` read further).
 */
export type NSym = Sym | { k: 'module'; file: string } | { k: 'global'; name: string } | { k: 'alts'; vals: Val[] };

/** An evaluated value: its normal form and the environment its unevaluated children belong to. */
export interface Val {
  s: NSym;
  env: Env;
}

export const fnKey = (file: string, id: number): string => `${file}#${id}`;

const MAX_DEPTH = 40;

/** Values that are never undefined: literals, objects, functions, instances; an SDK enum member (`InvocationType.Event`). */
const DEFINED = new Set<string>(['str', 'num', 'bool', 'cat', 'obj', 'arr', 'fn', 'new', 'self']);
function isDefined(val: Val): boolean {
  const s = val.s;
  return DEFINED.has(s.k) || (s.k === 'get' && s.obj.k === 'import' && s.obj.source.startsWith('@aws-sdk/'));
}

/**
 * Evaluates Syms across files, lazily: only the top of a value is reduced (references, imports, property reads,
 * calls to known functions); children stay symbolic in the returned environment until someone reads them.
 */
export class Evaluator {
  constructor(
    private readonly summaries: SummaryLookup,
    private readonly resolver: ModuleResolver,
  ) {}

  getSummary(file: string): FileSummary | undefined {
    return this.summaries.get(file);
  }

  resolveImport(fromFile: string, source: string): string | undefined {
    return this.resolver.resolve(fromFile, source);
  }

  evaluate(sym: NSym, env: Env, depth = 0): Val {
    if (depth > MAX_DEPTH) return { s: { k: 'unknown', text: 'too deep' }, env };
    const next = depth + 1;
    switch (sym.k) {
      case 'ref':
        return this.evaluateRef(sym.name, sym.scope, env, next);
      case 'import':
        return this.evaluateImport(sym.source, sym.name, env, next);
      case 'get':
        return this.getProperty(this.evaluate(sym.obj, env, next), sym.prop, next);
      case 'param':
        return this.evaluateParam(sym, env, next);
      case 'call':
        return this.evaluateCall(sym, env, next);
      default:
        return { s: sym, env };
    }
  }

  /** Every alternative a value may take (`a ?? b`, variables assigned in branches), each evaluated. */
  alternatives(val: Val, depth = 0, limit = 16): Val[] {
    if (depth > MAX_DEPTH) return [];
    let options: Val[];
    if (val.s.k === 'or' && val.s.defaulted) {
      const chosen = this.chooseDefault(val.s.options, val.env, depth + 1, limit);
      if (chosen) return chosen;
    }
    if (val.s.k === 'or') options = val.s.options.map((option) => this.evaluate(option, val.env, depth + 1));
    else if (val.s.k === 'alts') options = val.s.vals;
    else return [val];
    const out: Val[] = [];
    for (const option of options) {
      for (const alt of this.alternatives(option, depth + 1, limit)) {
        if (out.length < limit) out.push(alt);
      }
    }
    return out;
  }

  /**
   * A default once the given value is known: the value a caller passes (`invoke(fn, p, 'Event')`) replaces the
   * default, a missing one leaves only the default. Undefined when the given value may or may not be undefined.
   */
  private chooseDefault([given, fallback]: Sym[], env: Env, depth: number, limit: number): Val[] | undefined {
    const values = this.alternatives(this.evaluate(given, env, depth), depth + 1, limit);
    if (values.length > 0 && values.every(isDefined)) return values;
    if (values.every((v) => v.s.k === 'nil' || (v.s.k === 'global' && v.s.name === 'undefined'))) {
      return this.alternatives(this.evaluate(fallback, env, depth), depth + 1, limit);
    }
    return undefined;
  }

  private evaluateRef(name: string, scope: number, env: Env, depth: number): Val {
    const summary = this.summaries.get(env.file);
    if (summary) {
      for (let s = scope; s >= 0 && s < summary.scopes.length; s = summary.scopes[s].parent) {
        const value = getOwn(summary.scopes[s].bindings, name);
        if (value !== undefined) return this.evaluate(value, env, depth);
      }
    }
    return { s: { k: 'global', name }, env };
  }

  private evaluateImport(source: string, name: string, env: Env, depth: number): Val {
    const target = this.resolver.resolve(env.file, source);
    if (!target) return { s: { k: 'import', source: source.replace(/^node:/, ''), name }, env };
    if (name === '*') return { s: { k: 'module', file: target }, env: { file: target, bindings: null } };
    return this.getExport(target, name, depth, new Set());
  }

  /** An export of a file, following `export *`, CommonJS `module.exports` and default interop. */
  getExport(file: string, name: string, depth: number, seen: Set<string>): Val {
    const env: Env = { file, bindings: null };
    const summary = this.summaries.get(file);
    if (!summary || seen.has(file) || depth > MAX_DEPTH) return { s: { k: 'unknown', text: `${name} from ${file}` }, env };
    seen.add(file);
    const direct = getOwn(summary.exports, name);
    if (direct) return this.evaluate(direct, env, depth + 1);
    const commonjs = getOwn(summary.exports, 'module.exports');
    if (commonjs) {
      const whole = this.evaluate(commonjs, env, depth + 1);
      return name === 'default' ? whole : this.getProperty(whole, name, depth + 1);
    }
    for (const source of summary.reexportAll) {
      const target = this.resolver.resolve(file, source);
      if (!target) continue;
      const found = this.getExport(target, name, depth + 1, seen);
      if (found.s.k !== 'unknown') return found;
    }
    if (name === 'default') return { s: { k: 'module', file }, env };
    return { s: { k: 'unknown', text: `${name} is not exported by ${file}` }, env };
  }

  /** Read `prop` of an evaluated value. */
  getProperty(obj: Val, prop: string, depth: number): Val {
    const s = obj.s;
    const env = obj.env;
    switch (s.k) {
      case 'global':
        if (s.name === 'process' && prop === 'env') return { s: { k: 'global', name: 'process.env' }, env };
        if (s.name === 'process.env') {
          return { s: prop === 'AWS_LAMBDA_FUNCTION_NAME' ? { k: 'self' } : { k: 'env', name: prop }, env };
        }
        return { s: { k: 'global', name: `${s.name}.${prop}` }, env };
      case 'import':
        // A property of an external module's namespace or default export is its named export (CommonJS interop).
        if (s.name === '*' || s.name === 'default') {
          if ((s.source === 'process' || s.source === 'node:process') && prop === 'env') {
            return { s: { k: 'global', name: 'process.env' }, env };
          }
          return { s: { k: 'import', source: s.source, name: prop }, env };
        }
        if ((s.source === 'process' || s.source === 'node:process') && s.name === 'env') {
          return this.getProperty({ s: { k: 'global', name: 'process.env' }, env }, prop, depth);
        }
        return { s: { k: 'get', obj: s, prop }, env };
      case 'module':
        return this.getExport(s.file, prop, depth + 1, new Set());
      case 'obj': {
        for (let i = s.props.length - 1; i >= 0; i--) {
          if (s.props[i].key === prop) return this.evaluate(s.props[i].value, env, depth + 1);
        }
        for (const spread of s.spreads ?? []) {
          const found = this.getProperty(this.evaluate(spread, env, depth + 1), prop, depth + 1);
          if (found.s.k !== 'unknown' && found.s.k !== 'nil') return found;
        }
        return { s: { k: 'nil' }, env };
      }
      case 'arr': {
        const index = Number(prop);
        if (Number.isInteger(index) && index >= 0 && index < s.items.length) return this.evaluate(s.items[index], env, depth + 1);
        return { s: { k: 'get', obj: s, prop }, env };
      }
      case 'new': {
        // An instance of a class of this project: its methods and fields.
        const ctor = this.evaluate(s.callee, env, depth + 1);
        if (ctor.s.k === 'obj') return this.getProperty(ctor, prop, depth + 1);
        return { s: { k: 'get', obj: s, prop }, env };
      }
      case 'param':
        // The Lambda context object: `context.functionName` is the running function's own name.
        if (s.index === 1 && (prop === 'functionName' || prop === 'invokedFunctionArn')) return { s: { k: 'self' }, env };
        return { s: { k: 'get', obj: s, prop }, env };
      case 'or':
      case 'alts': {
        const options = this.alternatives(obj, depth).map((alt) => this.getProperty(alt, prop, depth + 1));
        return options.length === 1 ? options[0] : { s: { k: 'alts', vals: options }, env };
      }
      default:
        return { s: { k: 'get', obj: s as Sym, prop }, env };
    }
  }

  private evaluateParam(sym: Sym & { k: 'param' }, env: Env, depth: number): Val {
    const key = fnKey(env.file, sym.fn);
    for (let b = env.bindings; b; b = b.next) {
      if (b.fnKey !== key) continue;
      const arg = b.args[sym.index];
      if (!arg) return { s: { k: 'nil' }, env };
      return this.evaluate(arg, b.argEnv, depth);
    }
    return { s: sym, env };
  }

  /** A call to a function of this project evaluates to what it returns, its parameters bound to the arguments. */
  private evaluateCall(sym: Sym & { k: 'call' }, env: Env, depth: number): Val {
    const callee = this.evaluate(sym.callee, env, depth);
    if (callee.s.k !== 'fn') return { s: sym, env };
    const summary = this.summaries.get(callee.env.file);
    const fn = summary?.functions[callee.s.id];
    if (!fn || fn.returns.length === 0) return { s: sym, env };
    const inner: Env = {
      file: callee.env.file,
      bindings: { fnKey: fnKey(callee.env.file, callee.s.id), args: sym.args, argEnv: env, next: callee.env.bindings },
    };
    if (fn.returns.length === 1) return this.evaluate(fn.returns[0], inner, depth);
    return { s: { k: 'alts', vals: fn.returns.map((r) => this.evaluate(r, inner, depth)) }, env };
  }
}
