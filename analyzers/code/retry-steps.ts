import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { toSym } from '../../src/summarize/to-sym.js';
import type { Sym } from '../../src/types/summary.js';
import { getCalleeName, getExitKind, getMemberPath, getSleepDuration, pushChildren, getStatements, splitLogical, unwrapAwait, unwrapTypes } from './ast-shapes.js';

/**
 * Arithmetic over the attempt counter (`'c'`) and values evaluated when linking (`{ s }`: constants, options),
 * as read from a retry loop's bounds and delays. `'rand'` is `Math.random()` where it could not be separated out.
 */
export type Expr =
  | number
  | 'c'
  | 'inf'
  | 'rand'
  | { s: Sym }
  | { op: '+' | '-' | '*' | '/' | '%' | '**'; a: Expr; b: Expr }
  | { f: 'min' | 'max' | 'floor' | 'ceil' | 'round'; args: Expr[] };

/** A test over the counter; `'?'` when it cannot be read. */
export type Cond =
  | boolean
  | '?'
  | { cmp: '<' | '<=' | '>' | '>=' | '==' | '!='; a: Expr; b: Expr }
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond };

/**
 * One thing that happens on the failure path of a retry, in order: the counter moves (`inc` by `value`), a sleep
 * of `value` ms, the retry gives up (`exit`: throw, return, or break out of the loop), or the next attempt starts
 * (`next`: `continue`, or the recursive call). Each only when `when` holds.
 */
export interface Step {
  t: 'inc' | 'sleep' | 'exit' | 'next';
  when?: Cond;
  value?: Expr;
  how?: 'throw' | 'return' | 'break';
}

/** A test of the caught error that decides whether it is retried, with the error names it mentions. */
export interface ErrorCheckData {
  /** What errors that pass the test, as written, get. */
  effect: 'not-retried' | 'only-retried';
  line: number;
  text: string;
  /** Names, codes and classes written in the test, and what they get (the opposite of `effect` for `!==`, `!(a instanceof B)`). */
  names: string[];
  namesEffect: 'not-retried' | 'only-retried';
  /** Values holding more names (`NON_RETRYABLE.has(err.code)`), evaluated when linking. */
  nameSyms?: Sym[];
}

export type Jitter = 'none' | 'full' | 'partial' | 'unknown';

const COMPARISONS: Record<string, '<' | '<=' | '>' | '>=' | '==' | '!='> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '===': '==',
  '==': '==',
  '!==': '!=',
  '!=': '!=',
};
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);
const MATH_FUNCTIONS = new Set(['min', 'max', 'floor', 'ceil', 'round']);
/** Error properties whose compared value names the error. */
const ERROR_NAME_PROPS = new Set(['name', 'code', 'errorType', '__type', 'Code', 'type']);

/**
 * Reads the failure path of a retry (a catch body, the statements after the try, a recursive retry's catch) into
 * steps, and the tests of the caught error into checks. Expressions are kept symbolic: the counter, constants
 * and options are evaluated when linking, where imported constants and a helper's arguments are known.
 */
export class StepReader {
  readonly checks: ErrorCheckData[] = [];
  jitter: Jitter = 'none';
  delayText?: string;
  maxDelayText?: string;
  /** Declarations met on the failure path (`const delay = base * 2 ** attempt`), substituted into expressions. */
  private readonly locals = new Map<string, Node>();
  /** Counter changes made inside a test (`if (++attempt >= max)`), placed after the test's step. */
  private pendingIncs: Expr[] = [];

  constructor(
    private readonly state: SummaryState,
    readonly counter: string | undefined,
    /** A recursive retry: the function's name, and how its call moves the counter (the argument at `counterIndex`). */
    private readonly recursion?: { name: string; counterIndex: number },
  ) {}

  /** Appends the steps of `statements`; true when they always end the failure path (an exit or the next attempt). */
  read(statements: readonly Node[], when: Cond | undefined, out: Step[], depth = 0): boolean {
    if (depth > 6) return false;
    for (const statement of statements) {
      if (this.readStatement(statement, when, out, depth)) return true;
    }
    return false;
  }

  private readStatement(statement: Node, when: Cond | undefined, out: Step[], depth: number): boolean {
    switch (statement.type) {
      case 'ExpressionStatement': {
        const expression = unwrapTypes(statement.expression);
        const recursive = this.getRecursiveStep(expression);
        if (recursive) {
          out.push(withWhen({ t: 'inc', value: recursive }, when), withWhen({ t: 'next' }, when));
          return true;
        }
        const delta = this.getCounterChange(expression);
        if (delta !== undefined) {
          out.push(withWhen({ t: 'inc', value: delta }, when));
          return false;
        }
        const duration = getSleepDuration(expression, this.state);
        if (duration) out.push(withWhen({ t: 'sleep', value: this.readDelay(duration) }, when));
        return false;
      }
      case 'VariableDeclaration':
        for (const declarator of statement.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.init) this.locals.set(declarator.id.name, declarator.init);
        }
        return false;
      case 'IfStatement':
        return this.readIf(statement, when, out, depth);
      case 'ReturnStatement': {
        const recursive = statement.argument ? this.getRecursiveStep(unwrapTypes(statement.argument)) : undefined;
        if (recursive) {
          out.push(withWhen({ t: 'inc', value: recursive }, when), withWhen({ t: 'next' }, when));
          return true;
        }
        out.push(withWhen({ t: 'exit', how: 'return' }, when));
        return true;
      }
      case 'ThrowStatement':
        out.push(withWhen({ t: 'exit', how: 'throw' }, when));
        return true;
      case 'BreakStatement':
        out.push(withWhen({ t: 'exit', how: 'break' }, when));
        return true;
      case 'ContinueStatement':
        out.push(withWhen({ t: 'next' }, when));
        return true;
      case 'BlockStatement':
        return this.read(statement.body, when, out, depth + 1);
      default:
        return false;
    }
  }

  /**
   * `if (attempt >= max) throw err` ends the retry when the counter says so; `if (err.name === 'X') throw err`
   * is a check of the error (not retried); `if (retryable(err)) { await sleep(d); continue; }` retries only what
   * passes the check. Tests of the error are taken to let the retry go on: the steps describe a retried error.
   */
  private readIf(statement: Node & { type: 'IfStatement' }, when: Cond | undefined, out: Step[], depth: number): boolean {
    const line = statement.loc?.start.line ?? 0;
    const consequent = getStatements(statement.consequent);
    const ending = this.getEnding(statement.consequent);
    if (ending === 'exit') {
      const how = getExitKind(statement.consequent) as 'return' | 'throw' | 'break';
      const counterParts: Cond[] = [];
      const parts = splitLogical(statement.test, '||');
      const errorParts = parts.filter((part) => !this.mentionsCounter(part));
      // One check for a test of the error alone (`a instanceof X || a.name === 'Y'`); one per part when mixed with the counter.
      if (errorParts.length === parts.length) this.addCheck(statement.test, 'not-retried', line);
      else for (const part of errorParts) this.addCheck(part, 'not-retried', line);
      for (const part of parts) {
        if (!this.mentionsCounter(part)) continue;
        counterParts.push(this.toCond(part));
        out.push(withWhen({ t: 'exit', how }, and(when, counterParts[counterParts.length - 1])));
        this.flushIncs(when, out);
      }
      if (statement.alternate) {
        const otherwise = counterParts.length ? and(when, { not: counterParts.length === 1 ? counterParts[0] : { any: counterParts } }) : when;
        return this.read(getStatements(statement.alternate), otherwise, out, depth + 1) && counterParts.length > 0;
      }
      return false;
    }
    const counterParts: Cond[] = [];
    let checked = false;
    for (const part of splitLogical(statement.test, '&&')) {
      if (this.mentionsCounter(part)) counterParts.push(this.toCond(part));
      else if (ending === 'next') {
        this.addCheck(part, 'only-retried', line);
        checked = true;
      }
    }
    const test = counterParts.length === 0 ? undefined : counterParts.length === 1 ? counterParts[0] : { all: counterParts };
    const incs = this.takeIncs();
    for (const inc of incs) out.push(withWhen({ t: 'inc', value: inc }, when));
    const ends = this.read(consequent, and(when, test), out, depth + 1);
    // An error that fails the check takes the other branch: it is not retried, so that branch is not followed.
    if (checked && !test) return ends;
    if (!statement.alternate) return false;
    const otherwise = test ? and(when, { not: test }) : when;
    const alternateEnds = this.read(getStatements(statement.alternate), otherwise, out, depth + 1);
    return ends && alternateEnds;
  }

  /** How a branch ends the failure path: giving up, going on to the next attempt, or neither. */
  private getEnding(branch: Node): 'exit' | 'next' | undefined {
    const kind = getExitKind(branch);
    if (kind === 'continue') return 'next';
    if (kind === 'return') {
      const statements = getStatements(branch);
      const last = statements[statements.length - 1] as Node & { argument?: Node | null };
      if (last?.argument && this.getRecursiveStep(unwrapTypes(last.argument))) return 'next';
      return 'exit';
    }
    if (kind) return 'exit';
    const statements = getStatements(branch);
    const last = statements[statements.length - 1];
    if (last?.type === 'ExpressionStatement' && this.getRecursiveStep(unwrapTypes(last.expression))) return 'next';
    return undefined;
  }

  /** For a recursive retry, the counter change its recursive call makes; undefined when the node is not that call. */
  private getRecursiveStep(node: Node): Expr | undefined {
    if (!this.recursion) return undefined;
    const call = unwrapAwait(node);
    if (call.type !== 'CallExpression') return undefined;
    const name = getCalleeName(call.callee);
    const callee = unwrapTypes(call.callee);
    const direct = callee.type === 'Identifier' || (callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression');
    if (!direct || name !== this.recursion.name) return undefined;
    const arg = call.arguments[this.recursion.counterIndex] as Node | undefined;
    if (!arg) return 0;
    const expr = this.toExpr(arg);
    return subtract(expr, 'c');
  }

  /** `attempt++`, `attempt += 1`, `attempt = attempt + 1`: the change of the counter, when the node is one. */
  getCounterChange(node: Node): Expr | undefined {
    const counter = this.counter;
    if (!counter) return undefined;
    const n = unwrapTypes(node);
    if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier' && n.argument.name === counter) {
      return n.operator === '++' ? 1 : -1;
    }
    if (n.type !== 'AssignmentExpression' || n.left.type !== 'Identifier' || n.left.name !== counter) return undefined;
    if (n.operator === '+=') return this.toExpr(n.right);
    if (n.operator === '-=') return { op: '-', a: 0, b: this.toExpr(n.right) };
    if (n.operator === '=') return subtract(this.toExpr(n.right), 'c');
    return undefined;
  }

  mentionsCounter(node: Node): boolean {
    const counter = this.counter;
    if (!counter) return false;
    const stack: Node[] = [node];
    for (let seen = 0; stack.length > 0 && seen < 200; seen++) {
      const current = stack.pop()!;
      if (current.type === 'Identifier') {
        if (current.name === counter) return true;
        const local = this.locals.get(current.name);
        if (local) stack.push(local);
        continue;
      }
      if (current.type.includes('Function')) continue;
      pushChildren(current, stack);
    }
    return false;
  }

  toCond(node: Node): Cond {
    const n = unwrapTypes(node);
    if (n.type === 'BinaryExpression' && COMPARISONS[n.operator]) {
      return { cmp: COMPARISONS[n.operator], a: this.toExpr(n.left), b: this.toExpr(n.right) };
    }
    if (n.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||')) {
      const parts = [this.toCond(n.left), this.toCond(n.right)];
      return n.operator === '&&' ? { all: parts } : { any: parts };
    }
    if (n.type === 'UnaryExpression' && n.operator === '!') return { not: this.toCond(n.argument) };
    if (n.type === 'BooleanLiteral') return n.value;
    return '?';
  }

  toExpr(node: Node, depth = 0): Expr {
    if (depth > 12) return { s: { k: 'unknown', text: this.state.textOf(node, 40) } };
    const n = unwrapAwait(node);
    const next = depth + 1;
    switch (n.type) {
      case 'NumericLiteral':
        return n.value;
      case 'Identifier': {
        if (n.name === 'Infinity') return 'inf';
        if (n.name === this.counter) return 'c';
        const local = this.locals.get(n.name);
        if (local) return this.toExpr(local, next);
        return { s: toSym(n, this.state) };
      }
      case 'UpdateExpression':
        if (n.argument.type === 'Identifier' && n.argument.name === this.counter) {
          const delta = n.operator === '++' ? 1 : -1;
          this.pendingIncs.push(delta);
          return n.prefix ? { op: '+', a: 'c', b: delta } : 'c';
        }
        return { s: toSym(n, this.state) };
      case 'BinaryExpression':
        if (ARITHMETIC.has(n.operator)) {
          return { op: n.operator as '+', a: this.toExpr(n.left, next), b: this.toExpr(n.right, next) };
        }
        return { s: toSym(n, this.state) };
      case 'UnaryExpression':
        if (n.operator === '-') return { op: '-', a: 0, b: this.toExpr(n.argument, next) };
        if (n.operator === '+') return this.toExpr(n.argument, next);
        return { s: toSym(n, this.state) };
      case 'CallExpression': {
        const math = this.getMathFunction(n.callee);
        const args = n.arguments as Node[];
        if (math === 'random') return 'rand';
        if (math === 'pow' && args.length === 2) return { op: '**', a: this.toExpr(args[0], next), b: this.toExpr(args[1], next) };
        if (math && MATH_FUNCTIONS.has(math)) return { f: math as 'min', args: args.slice(0, 4).map((arg) => this.toExpr(arg, next)) };
        const name = n.callee.type === 'Identifier' ? n.callee.name : undefined;
        if ((name === 'Number' || name === 'parseInt' || name === 'parseFloat') && args[0]) return this.toExpr(args[0], next);
        return { s: toSym(n, this.state) };
      }
      default:
        return { s: toSym(n, this.state) };
    }
  }

  /** The delay of a sleep, with its jitter taken apart and its texts kept for the annotation's sources. */
  readDelay(node: Node): Expr {
    let resolved = unwrapAwait(node);
    for (let i = 0; i < 4 && resolved.type === 'Identifier' && this.locals.has(resolved.name); i++) {
      resolved = unwrapAwait(this.locals.get(resolved.name)!);
    }
    this.delayText ??= this.state.textOf(resolved);
    const cap = this.findCap(resolved);
    if (cap) this.maxDelayText ??= this.state.textOf(cap);
    const { expr, jitter } = stripJitter(this.toExpr(resolved));
    this.takeIncs();
    if (jitter !== 'none' && this.jitter === 'none') this.jitter = jitter;
    return expr;
  }

  /** The constant side of a `Math.min(cap, delay)` (possibly inside `Math.floor`/`round`). */
  private findCap(node: Node): Node | undefined {
    let current = unwrapTypes(node);
    for (let i = 0; i < 4 && current.type === 'CallExpression'; i++) {
      const math = this.getMathFunction(current.callee);
      const args = current.arguments as Node[];
      if (math === 'min' && args.length === 2) return args.find((arg) => !this.mentionsCounter(arg) && !containsRandom(arg));
      if (math !== 'floor' && math !== 'round' && math !== 'ceil') return undefined;
      current = unwrapTypes(args[0]);
    }
    return undefined;
  }

  private getMathFunction(callee: Node): string | undefined {
    const n = unwrapTypes(callee);
    if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return undefined;
    if (n.object.type !== 'Identifier' || n.object.name !== 'Math' || this.state.lookup('Math', this.state.scope)) return undefined;
    return n.property.name;
  }

  /** A test of the caught error, with the names it compares against. `!x`, `!==` and `!(a instanceof B)` invert it. */
  addCheck(node: Node, effect: ErrorCheckData['effect'], line: number): void {
    if (this.checks.length >= 12) return;
    const text = this.state.textOf(node);
    let test = unwrapTypes(node);
    let inverted = false;
    while (test.type === 'UnaryExpression' && test.operator === '!') {
      inverted = !inverted;
      test = unwrapTypes(test.argument);
    }
    const names: string[] = [];
    const nameSyms: Sym[] = [];
    // `a || b` names errors either way; `x.code !== 'A' && x.code !== 'B'` is `!(x.code === 'A' || x.code === 'B')`.
    const ors = splitLogical(test, '||');
    const ands = ors.length === 1 ? splitLogical(test, '&&') : [];
    const parts = ands.length > 1 ? ands : ors;
    const found = parts.map((part) => this.readErrorNames(part));
    if (ands.length > 1 && found.every((f) => f?.inverted)) inverted = !inverted;
    else if (parts.length === 1 && found[0]?.inverted) inverted = !inverted;
    if (ands.length <= 1 || found.every((f) => f?.inverted)) {
      for (const f of found) {
        if (!f) continue;
        names.push(...f.names);
        nameSyms.push(...f.syms);
      }
    }
    const namesEffect = inverted ? (effect === 'not-retried' ? 'only-retried' : 'not-retried') : effect;
    this.checks.push({ effect, line, text, names, namesEffect, ...(nameSyms.length ? { nameSyms } : {}) });
  }

  /** `err.name === 'X'`, `err instanceof X`, `['A', 'B'].includes(err.code)`, `NAMES.has(err.name)`. */
  private readErrorNames(node: Node): { names: string[]; syms: Sym[]; inverted: boolean } | undefined {
    const n = unwrapTypes(node);
    if (n.type === 'UnaryExpression' && n.operator === '!') {
      const inner = this.readErrorNames(n.argument);
      return inner && { ...inner, inverted: !inner.inverted };
    }
    if (n.type === 'BinaryExpression' && n.operator === 'instanceof') {
      const name = getMemberPath(n.right);
      return name ? { names: [name.split('.').pop()!], syms: [], inverted: false } : undefined;
    }
    if (n.type === 'BinaryExpression' && COMPARISONS[n.operator] && (COMPARISONS[n.operator] === '==' || COMPARISONS[n.operator] === '!=')) {
      const [path, value] = isErrorField(n.left) ? [n.left, n.right] : isErrorField(n.right) ? [n.right, n.left] : [];
      if (!path || !value) return undefined;
      const literal = unwrapTypes(value);
      const inverted = COMPARISONS[n.operator] === '!=';
      if (literal.type === 'StringLiteral') return { names: [literal.value], syms: [], inverted };
      if (literal.type === 'NumericLiteral') return { names: [String(literal.value)], syms: [], inverted };
      return { names: [], syms: [toSym(literal, this.state)], inverted };
    }
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && !n.callee.computed && n.callee.property.type === 'Identifier') {
      const method = n.callee.property.name;
      const arg = n.arguments[0] as Node | undefined;
      if ((method !== 'includes' && method !== 'has') || !arg || !isErrorField(arg)) return undefined;
      const list = unwrapTypes(n.callee.object);
      if (list.type === 'ArrayExpression') {
        const names = list.elements.flatMap((element) => (element?.type === 'StringLiteral' ? [element.value] : []));
        return { names, syms: [], inverted: false };
      }
      return { names: [], syms: [toSym(list, this.state)], inverted: false };
    }
    return undefined;
  }

  private flushIncs(when: Cond | undefined, out: Step[]): void {
    for (const inc of this.takeIncs()) out.push(withWhen({ t: 'inc', value: inc }, when));
  }

  /** Counter moves made inside the tests read since the last call (`++attempt < max`). */
  takeIncs(): Expr[] {
    const incs = this.pendingIncs;
    this.pendingIncs = [];
    return incs;
  }
}

/** `err.name`, `error.code`, `(e as Error).name`, `e.$metadata.httpStatusCode`: a property of the caught error. */
function isErrorField(node: Node): boolean {
  const path = getMemberPath(node);
  if (!path || !path.includes('.')) return false;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return ERROR_NAME_PROPS.has(last);
}

function withWhen(step: Step, when: Cond | undefined): Step {
  return when === undefined ? step : { ...step, when };
}

function and(a: Cond | undefined, b: Cond | undefined): Cond | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { all: [a, b] };
}

/** `x - c` simplified for the common `attempt + 1` (gives 1). */
function subtract(expr: Expr, counter: 'c'): Expr {
  if (typeof expr === 'object' && 'op' in expr && (expr.op === '+' || expr.op === '-') && expr.a === counter) {
    return expr.op === '+' ? expr.b : { op: '-', a: 0, b: expr.b };
  }
  return { op: '-', a: expr, b: counter };
}

function containsRandom(node: Node): boolean {
  const n = unwrapTypes(node);
  if (n.type === 'CallExpression') {
    const callee = unwrapTypes(n.callee);
    if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'random') return true;
    return (n.arguments as Node[]).some(containsRandom);
  }
  if (n.type === 'BinaryExpression') return containsRandom(n.left) || containsRandom(n.right);
  return false;
}

function hasRand(expr: Expr): boolean {
  if (expr === 'rand') return true;
  if (typeof expr !== 'object' || 's' in expr) return false;
  if ('op' in expr) return hasRand(expr.a) || hasRand(expr.b);
  return expr.args.some(hasRand);
}

/**
 * Separate jitter from a delay: `Math.random() * d` is full jitter on `d`; `d + Math.random() * j` and
 * `d * (1 + Math.random())` add a random part to `d`. The delay without its random part is what is reported.
 */
export function stripJitter(expr: Expr): { expr: Expr; jitter: Jitter } {
  if (!hasRand(expr)) return { expr, jitter: 'none' };
  if (expr === 'rand' || typeof expr !== 'object' || 's' in expr) return { expr, jitter: 'unknown' };
  if ('f' in expr) {
    const parts = expr.args.map(stripJitter);
    const jitter = parts.some((p) => p.jitter === 'full') ? 'full' : parts.some((p) => p.jitter === 'unknown') ? 'unknown' : 'partial';
    return { expr: { f: expr.f, args: parts.map((p) => p.expr) }, jitter };
  }
  if (expr.op === '*') {
    if (expr.a === 'rand') return { expr: stripJitter(expr.b).expr, jitter: 'full' };
    if (expr.b === 'rand') return { expr: stripJitter(expr.a).expr, jitter: 'full' };
    const a = stripJitter(expr.a);
    const b = stripJitter(expr.b);
    const jitter = a.jitter === 'full' || b.jitter === 'full' ? 'full' : 'partial';
    return { expr: { op: '*', a: a.expr, b: b.expr }, jitter };
  }
  if (expr.op === '+' || expr.op === '-') {
    if (hasRand(expr.a) && !hasRand(expr.b)) return { expr: expr.op === '+' ? expr.b : { op: '-', a: 0, b: expr.b }, jitter: 'partial' };
    if (hasRand(expr.b) && !hasRand(expr.a)) return { expr: expr.a, jitter: 'partial' };
  }
  return { expr, jitter: 'unknown' };
}
