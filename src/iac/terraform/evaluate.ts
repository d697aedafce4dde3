import { callFunction } from './functions.js';
import { HclExpressionError, parseTemplateString, type Expr } from './parse-expression.js';
import { LazyObject, Sym, isMap, isUnknown, joinParts, toNumber, toStringParts, toText, unknown, type TfMap, type TfValue } from './values.js';

/** The name under which a splat's element is bound (not a valid HCL identifier, so it cannot clash). */
const SPLAT_ITEM = '\u0000splat';

/** What names mean where an expression is written. */
export interface Scope {
  /** A root name: `var`, `local`, `each`, `count`, `path`, `module`, `data`, a resource type, a for-expression variable. */
  lookup(name: string): TfValue | undefined;
  /** A file named in `file()` / `templatefile()`, relative to the root module: its path from the analysed folder and its text. */
  readFile(path: string): { path?: string; text?: string };
  maxDepth: number;
}

const parsed = new Map<string, Expr | HclExpressionError>();

/** The parsed form of one hcl2json string, cached (the same expression text is often evaluated per instance). */
export function toExpression(text: string, maxDepth: number): Expr | HclExpressionError {
  let expr = parsed.get(text);
  if (!expr) {
    try {
      expr = parseTemplateString(text, maxDepth);
    } catch (error) {
      expr = error instanceof HclExpressionError ? error : new HclExpressionError(String(error));
    }
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(text, expr);
  }
  return expr;
}

/**
 * Evaluate a piece of hcl2json's JSON: strings are expressions, objects are maps, arrays are lists (or repeated
 * blocks, which read the same way). Never throws: what cannot be computed is an unknown named by its text.
 */
export function evaluateRaw(raw: unknown, scope: Scope, depth = 0): TfValue {
  if (depth > scope.maxDepth) return unknown('(too deep)');
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const expr = toExpression(raw, scope.maxDepth);
    return expr instanceof HclExpressionError ? unknown(raw) : evaluate(expr, scope, depth + 1);
  }
  if (Array.isArray(raw)) return raw.map((item) => evaluateRaw(item, scope, depth + 1));
  if (typeof raw === 'object') {
    const map: TfMap = new Map();
    for (const [key, item] of Object.entries(raw)) {
      // Keys written as expressions (`(var.k) = 1`) come back as `${(var.k)}`.
      const name = key.includes('${') ? toText(evaluateRaw(key, scope, depth + 1)) : key;
      if (name !== undefined) map.set(name, evaluateRaw(item, scope, depth + 1));
    }
    return map;
  }
  return null;
}

export function evaluate(expr: Expr, scope: Scope, depth = 0): TfValue {
  if (depth > scope.maxDepth) return unknown(expr.text);
  const next = (inner: Expr, innerScope: Scope = scope) => evaluate(inner, innerScope, depth + 1);
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'template': {
      if (expr.directive) return unknown(expr.text);
      const parts = expr.parts.flatMap((part) => {
        if (typeof part === 'string') return [{ kind: 'literal' as const, value: part }];
        const value = next(part);
        return toStringParts(value, part.text);
      });
      return joinParts(parts);
    }
    case 'variable':
      return scope.lookup(expr.name) ?? unknown(expr.text);
    case 'getattr':
      return getAttribute(next(expr.target), expr.name, expr.text);
    case 'index': {
      const key = next(expr.key);
      return getIndex(next(expr.target), key, expr.text);
    }
    case 'splat': {
      const target = next(expr.target);
      if (target instanceof Sym) return unknown(expr.text);
      // A splat over a single value treats it as a one-element list; over null, as an empty one.
      const items = target === null ? [] : Array.isArray(target) ? target : [target];
      return items.map((item) => next(expr.each, withVariables(scope, { [SPLAT_ITEM]: item })));
    }
    case 'splat-item':
      return scope.lookup(SPLAT_ITEM) ?? null;
    case 'call': {
      const args = expr.args.map((arg) => next(arg));
      if (expr.expand && Array.isArray(args.at(-1))) args.push(...(args.pop() as TfValue[]));
      return callFunction(expr.name, args, { scope, text: expr.text });
    }
    case 'tuple':
      return expr.items.map((item) => next(item));
    case 'object': {
      const map: TfMap = new Map();
      for (const item of expr.items) {
        const key = toText(next(item.key));
        if (key === undefined) return unknown(expr.text);
        map.set(key, next(item.value));
      }
      return map;
    }
    case 'for':
      return evaluateFor(expr, scope, depth);
    case 'conditional': {
      const condition = next(expr.condition);
      if (condition === true) return next(expr.whenTrue);
      if (condition === false) return next(expr.whenFalse);
      return unknown(expr.text);
    }
    case 'unary': {
      const operand = next(expr.operand);
      if (expr.op === '!' && typeof operand === 'boolean') return !operand;
      const number = toNumber(operand);
      if (expr.op === '-' && number !== undefined) return -number;
      return unknown(expr.text);
    }
    case 'binary':
      return evaluateBinary(expr.op, next(expr.left), next(expr.right), expr.text);
  }
}

function evaluateFor(expr: Expr & { type: 'for' }, scope: Scope, depth: number): TfValue {
  const collection = evaluate(expr.collection, scope, depth + 1);
  let entries: [TfValue, TfValue][];
  if (Array.isArray(collection)) entries = collection.map((item, i) => [i, item]);
  else if (isMap(collection)) entries = [...collection.entries()];
  else return unknown(expr.text);
  const list: TfValue[] = [];
  const map: TfMap = new Map();
  for (const [key, value] of entries) {
    const vars: Record<string, TfValue> = { [expr.valueVar]: value };
    if (expr.keyVar) vars[expr.keyVar] = key;
    const inner = withVariables(scope, vars);
    if (expr.condition) {
      const keep = evaluate(expr.condition, inner, depth + 1);
      if (keep === false) continue;
      if (keep !== true) return unknown(expr.text);
    }
    const item = evaluate(expr.value, inner, depth + 1);
    if (!expr.key) {
      list.push(item);
      continue;
    }
    const name = toText(evaluate(expr.key, inner, depth + 1));
    if (name === undefined) return unknown(expr.text);
    if (expr.group) {
      const group = map.get(name);
      map.set(name, Array.isArray(group) ? [...group, item] : [item]);
    } else map.set(name, item);
  }
  return expr.key ? map : list;
}

function evaluateBinary(op: string, left: TfValue, right: TfValue, text: string): TfValue {
  if (op === '&&' || op === '||') {
    if (typeof left === 'boolean' && typeof right === 'boolean') return op === '&&' ? left && right : left || right;
    // `false && x` and `true || x` are known whatever x is.
    if (op === '&&' && (left === false || right === false)) return false;
    if (op === '||' && (left === true || right === true)) return true;
    return unknown(text);
  }
  if (op === '==' || op === '!=') {
    if (isUnknown(left) || isUnknown(right) || !isComparable(left) || !isComparable(right)) return unknown(text);
    const equal = left === right || (typeof left !== typeof right && String(left) === String(right) && left !== null && right !== null);
    return op === '==' ? equal : !equal;
  }
  const a = toNumber(left);
  const b = toNumber(right);
  if (a === undefined || b === undefined) return unknown(text);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? unknown(text) : a / b;
    case '%':
      return b === 0 ? unknown(text) : a % b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return unknown(text);
  }
}

function isComparable(value: TfValue): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function getAttribute(target: TfValue, name: string, text: string): TfValue {
  if (isMap(target)) return target.get(name) ?? unknown(text);
  if (target instanceof LazyObject) return target.get(name) ?? unknown(text);
  return unknown(text);
}

function getIndex(target: TfValue, key: TfValue, text: string): TfValue {
  if (Array.isArray(target)) {
    const index = toNumber(key);
    return index !== undefined && Number.isInteger(index) && index >= 0 && index < target.length ? target[index] : unknown(text);
  }
  const name = toText(key);
  if (name === undefined) return unknown(text);
  if (isMap(target)) return target.get(name) ?? unknown(text);
  if (target instanceof LazyObject) return target.get(name) ?? unknown(text);
  return unknown(text);
}

/** A scope where some names (for-expression variables, `each`, `count`) are bound. */
export function withVariables(scope: Scope, variables: Record<string, TfValue>): Scope {
  return {
    lookup: (name) => (Object.hasOwn(variables, name) ? variables[name] : scope.lookup(name)),
    readFile: (path) => scope.readFile(path),
    maxDepth: scope.maxDepth,
  };
}

