import type { Sym } from '../../types/summary.js';
import { fnKey, type Env, type Evaluator } from '../evaluate.js';

/** A fan-out's element around a call: a callback's first parameter, or the variable of a `for...of`. */
export interface ElementMarker {
  file: string;
  fn?: number;
  scope?: number;
}

/** A call position whose awaited result a variable holds. */
export interface ResultPosition {
  file: string;
  line: number;
  column: number;
}

export interface OriginContext {
  evaluator: Evaluator;
  /** The handler's functions: the first parameter of each is the event. */
  entries: ReadonlySet<string>;
  elements: readonly ElementMarker[];
  /** Variables holding an awaited call's result, by `file#scope#name`. */
  results: { get(key: string): ResultPosition | undefined };
}

export interface Origin {
  source: 'event' | 'element' | 'result' | 'error' | 'environment' | 'literal' | 'local';
  /** The properties read from the event or the element. */
  path?: string[];
  /** The value is computed from what `path` reads (`JSON.parse(record.body)`), not that read itself. */
  computed?: true;
  resultOf?: ResultPosition;
  element?: ElementMarker;
}

const MAX_DEPTH = 24;

/**
 * Where a value comes from: the handler's event (and by which path, when it is a plain read of it), a fan-out's
 * element, an earlier call's awaited result, the caught error, the environment, a literal, or something local.
 * Follows variables, destructuring, parameters bound along the call path, and the arguments of calls (a value
 * computed from the event, such as `parseOrder(event)`, comes from the event, with no path).
 */
export function traceOrigin(sym: Sym, env: Env, context: OriginContext): Origin {
  return trace(sym, env, [], context, 0);
}

function trace(sym: Sym, env: Env, path: string[] | undefined, context: OriginContext, depth: number): Origin {
  if (depth > MAX_DEPTH) return { source: 'local' };
  const next = depth + 1;
  switch (sym.k) {
    case 'str':
    case 'num':
    case 'bool':
    case 'nil':
      return { source: 'literal' };
    case 'env':
    case 'self':
      return { source: 'environment' };
    case 'cat': {
      const parts = sym.parts.filter((part) => part.k !== 'str');
      if (parts.length === 0) return { source: 'literal' };
      return firstKnown(parts.map((part) => () => trace(part, env, [], context, next)));
    }
    case 'get':
      return trace(sym.obj, env, path ? [sym.prop, ...path] : undefined, context, next);
    case 'ref':
      return traceRef(sym, env, path, context, next);
    case 'param': {
      const key = fnKey(env.file, sym.fn);
      if (sym.index === 0 && context.entries.has(key)) return { source: 'event', ...(path ? { path } : {}) };
      const element = sym.index === 0 ? context.elements.find((e) => e.file === env.file && e.fn === sym.fn) : undefined;
      if (element) return { source: 'element', element, ...(path ? { path } : {}) };
      for (let b = env.bindings; b; b = b.next) {
        if (b.fnKey !== key) continue;
        const arg = b.args[sym.index];
        return arg ? trace(arg, b.argEnv, path, context, next) : { source: 'literal' };
      }
      return { source: 'local' };
    }
    case 'call': {
      // A method of a value (`items.map(...)`, `body.toString()`) or a decoding call reads its receiver and arguments.
      const inputs: Sym[] = [];
      if (sym.callee.k === 'get') inputs.push(sym.callee.obj);
      inputs.push(...sym.args);
      return firstKnown(inputs.map((input) => () => trace(input, env, [], context, next)));
    }
    case 'obj': {
      if (path && path.length > 0) {
        for (let i = sym.props.length - 1; i >= 0; i--) {
          if (sym.props[i].key === path[0]) return trace(sym.props[i].value, env, path.slice(1), context, next);
        }
        return { source: 'local' };
      }
      // An object or list written with literals only is a literal.
      const literal = !sym.spreads?.length && sym.props.every((prop) => trace(prop.value, env, [], context, next).source === 'literal');
      return { source: literal ? 'literal' : 'local' };
    }
    case 'arr':
      return { source: sym.items.every((item) => trace(item, env, [], context, next).source === 'literal') ? 'literal' : 'local' };
    case 'or':
      return sym.options[0] ? trace(sym.options[0], env, path, context, next) : { source: 'local' };
    default:
      return { source: 'local' };
  }
}

function traceRef(sym: Sym & { k: 'ref' }, env: Env, path: string[] | undefined, context: OriginContext, depth: number): Origin {
  const summary = context.evaluator.getSummary(env.file);
  if (!summary) return { source: 'local' };
  for (let s = sym.scope; s >= 0 && s < summary.scopes.length; s = summary.scopes[s].parent) {
    const value = summary.scopes[s].bindings[sym.name];
    if (value === undefined) continue;
    const result = context.results.get(`${env.file}#${s}#${sym.name}`);
    if (result) return { source: 'result', resultOf: result };
    if (value.k === 'unknown' && value.text === 'caught error') return { source: 'error' };
    if (value.k === 'elem') {
      const element = context.elements.find((e) => e.file === env.file && e.scope === s);
      return element ? { source: 'element', element, ...(path ? { path } : {}) } : { source: 'local' };
    }
    if (value.k === 'get' && value.obj.k === 'elem') {
      // `for (const { sku } of items)`: a field of the element.
      const element = context.elements.find((e) => e.file === env.file && e.scope === s);
      if (element) return { source: 'element', element, ...(path ? { path: [value.prop, ...path] } : {}) };
    }
    if (value.k === 'import') {
      const literal = context.evaluator.evaluate(value, env).s.k;
      return literal === 'str' || literal === 'num' || literal === 'bool' ? { source: 'literal' } : { source: 'local' };
    }
    return trace(value, env, path, context, depth);
  }
  return { source: 'local' };
}

/** The first origin that is not local or literal (marked computed), else local (or literal when every input is one). */
function firstKnown(readers: (() => Origin)[]): Origin {
  let allLiteral = true;
  for (const read of readers) {
    const origin = read();
    if (origin.source !== 'local' && origin.source !== 'literal') return { ...origin, computed: true };
    if (origin.source !== 'literal') allLiteral = false;
  }
  return { source: allLiteral ? 'literal' : 'local' };
}

/**
 * Every awaited call result a value is built from (`reservations.map(...)` is built from `reservations`): what
 * a compensation's arguments take from earlier calls.
 */
export function collectResultOrigins(sym: Sym, env: Env, context: OriginContext, out: ResultPosition[] = [], depth = 0): ResultPosition[] {
  if (depth > MAX_DEPTH || out.length > 16) return out;
  const next = depth + 1;
  switch (sym.k) {
    case 'ref': {
      const summary = context.evaluator.getSummary(env.file);
      if (!summary) return out;
      for (let s = sym.scope; s >= 0 && s < summary.scopes.length; s = summary.scopes[s].parent) {
        const value = summary.scopes[s].bindings[sym.name];
        if (value === undefined) continue;
        const result = context.results.get(`${env.file}#${s}#${sym.name}`);
        if (result) out.push(result);
        else collectResultOrigins(value, env, context, out, next);
        break;
      }
      return out;
    }
    case 'get':
      return collectResultOrigins(sym.obj, env, context, out, next);
    case 'param': {
      const key = fnKey(env.file, sym.fn);
      for (let b = env.bindings; b; b = b.next) {
        if (b.fnKey === key && b.args[sym.index]) return collectResultOrigins(b.args[sym.index], b.argEnv, context, out, next);
      }
      return out;
    }
    case 'call':
    case 'new':
      collectResultOrigins(sym.callee, env, context, out, next);
      for (const arg of sym.args) collectResultOrigins(arg, env, context, out, next);
      return out;
    case 'obj':
      for (const prop of sym.props) collectResultOrigins(prop.value, env, context, out, next);
      for (const spread of sym.spreads ?? []) collectResultOrigins(spread, env, context, out, next);
      return out;
    case 'arr':
      for (const item of sym.items) collectResultOrigins(item, env, context, out, next);
      return out;
    case 'cat':
      for (const part of sym.parts) collectResultOrigins(part, env, context, out, next);
      return out;
    case 'or':
      for (const option of sym.options) collectResultOrigins(option, env, context, out, next);
      return out;
    default:
      return out;
  }
}
