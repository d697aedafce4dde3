import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { isFunctionNode } from '../../src/summarize/to-sym.js';
import type { ContextCollector, WalkEntry } from '../../src/summarize/walk.js';
import type { ContextRecord } from '../../src/types/summary.js';
import { containsNode, getAwaitedCall, getExitKind, getHeaderText, getMemberPath, getStatements, splitLogical, unwrapTypes } from './ast-shapes.js';
import { StepReader, type Cond, type ErrorCheckData, type Expr, type Jitter, type Step } from './retry-steps.js';

/**
 * What the walk keeps of a hand-written retry: a loop (`for`/`while`/`do`) whose body tries the call and leaves on
 * success, or a function that calls itself again from its `catch`. The numbers stay symbolic (`Expr`) until
 * linking evaluates constants, imported values and a helper's options; `src/link/annotate/retries.ts` then runs the
 * counter through `beforeCall`, `onFailure` and `update` to count the attempts and list the delays.
 */
export interface RetryLoopData {
  form: 'loop' | 'recursion';
  column: number;
  /** The loop's header (`for (let attempt = 1; attempt <= MAX; attempt++)`) or the recursive function's. */
  text: string;
  /** The function the retry is in (index into `FileSummary.functions`). */
  fn: number;
  counter?: string;
  init?: Expr;
  /** Before each attempt (a `while` test is an exit here), and after a failure: the catch, the rest of the body. */
  beforeCall: Step[];
  onFailure: Step[];
  /** A `for` loop's update, run after every failed attempt (also after `continue`); a do...while test comes last. */
  update: Step[];
  /** What the code after the loop does once it gives up by leaving the loop. */
  afterLoop: 'throw' | 'return' | 'continue' | 'unknown';
  checks: ErrorCheckData[];
  jitter: Jitter;
  sources: { attempts?: string; delay?: string; maxDelay?: string };
  /** A helper's loop retrying its own parameter (`withRetry(fn)` calls `fn()` in the try): that parameter. */
  retriesParam?: number;
}

const LOOPS = new Set(['ForStatement', 'WhileStatement', 'DoWhileStatement']);

/** The pattern analyzer for hand-written retries; its records sit on the try block, so only the retried calls get them. */
export const retryLoop: ContextCollector = {
  id: 'retry-loop',
  parentTypes: ['TryStatement'],
  enter(entry, state) {
    if (entry.key !== 'block' || entry.node.type !== 'BlockStatement') return undefined;
    const tryEntry = entry.up;
    if (!tryEntry || tryEntry.node.type !== 'TryStatement' || !tryEntry.node.handler) return undefined;
    const found = readLoopRetry(tryEntry, state) ?? readRecursiveRetry(tryEntry, state);
    if (!found) return undefined;
    const record: ContextRecord = { kind: 'retry-loop', line: found.line, data: found.data as unknown as Record<string, unknown> };
    if (found.data.retriesParam !== undefined) record.standalone = true;
    return record;
  },
};

type TryNode = Node & { type: 'TryStatement' };

function readLoopRetry(tryEntry: WalkEntry, state: SummaryState): { line: number; data: RetryLoopData } | undefined {
  const tryNode = tryEntry.node as TryNode;
  let loopEntry = tryEntry.up;
  let body: Node[] = [tryNode];
  if (loopEntry?.node.type === 'BlockStatement' && loopEntry.key === 'body') {
    body = loopEntry.node.body;
    loopEntry = loopEntry.up;
  }
  const loop = loopEntry?.node;
  if (!loopEntry || !loop || !LOOPS.has(loop.type)) return undefined;
  const loopNode = loop as Node & { type: 'ForStatement' | 'WhileStatement' | 'DoWhileStatement' };
  // `for (let i = 0; i < items.length; i++)` walks a collection: a failure moves on to the next item.
  if (loopNode.test && readsLength(loopNode.test)) return undefined;
  const index = body.indexOf(tryNode);
  const before = body.slice(0, index);
  const after = body.slice(index + 1);
  const flags = getFlagNames(loopNode.test);
  const succeeds = hasSuccessExit(tryNode.block, flags) || after.some((s) => s.type === 'BreakStatement' || s.type === 'ReturnStatement');
  if (!succeeds) return undefined;

  const counter = findCounter(loopNode, [...before, ...getStatements(tryNode.handler!.body), ...after]);
  const reader = new StepReader(state, counter?.name);
  const beforeCall: Step[] = [];
  reader.read(before, undefined, beforeCall);
  const onFailure: Step[] = [];
  const ends = reader.read(tryNode.handler!.body.body, undefined, onFailure);
  if (!ends) reader.read(after, undefined, onFailure);
  if (!retriesAfterFailure(onFailure)) return undefined;
  const update: Step[] = [];
  if (loopNode.type === 'ForStatement' && loopNode.update) {
    for (const expression of splitSequence(loopNode.update)) {
      const delta = reader.getCounterChange(expression);
      if (delta !== undefined) update.push({ t: 'inc', value: delta });
    }
  }
  // The loop's own test is one more way to give up: before each attempt, or after it in a do...while.
  let attemptsText: string | undefined;
  if (loopNode.test) {
    const parts = splitLogical(loopNode.test, '&&').filter((part) => reader.mentionsCounter(part));
    let test: Cond | undefined;
    if (parts.length) {
      test = parts.length === 1 ? reader.toCond(parts[0]) : { all: parts.map((part) => reader.toCond(part)) };
      attemptsText = parts.map((part) => state.textOf(part)).join(' && ');
    } else if (!isAlwaysTrue(loopNode.test) && flags.length === 0) {
      test = '?';
      attemptsText = state.textOf(loopNode.test);
    }
    if (test !== undefined) {
      // `while (attempt++ < max)` moves the counter as it tests it: the move follows the test.
      const testSteps: Step[] = [{ t: 'exit', how: 'break', when: { not: test } }, ...reader.takeIncs().map((inc): Step => ({ t: 'inc', value: inc }))];
      if (loopNode.type === 'DoWhileStatement') update.push(...testSteps);
      else beforeCall.unshift(...testSteps);
    }
  }
  attemptsText ??= findExitText(tryNode.handler!.body.body, reader, state);
  const init = counter ? readInit(counter, reader, state) : undefined;
  const line = loop.loc?.start.line ?? 0;
  const text =
    loopNode.type === 'DoWhileStatement'
      ? `do { … } while (${state.textOf(loopNode.test, 80)})`
      : getHeaderText(state, loop, loopNode.body.start);
  const data: RetryLoopData = {
    form: 'loop',
    column: (loop.loc?.start.column ?? 0) + 1,
    text,
    fn: state.fn,
    ...(counter ? { counter: counter.name } : {}),
    ...(init !== undefined ? { init } : {}),
    beforeCall,
    onFailure,
    update,
    afterLoop: getAfterLoop(loopEntry),
    checks: reader.checks,
    jitter: reader.jitter,
    sources: toSources(attemptsText, reader),
  };
  const param = findRetriedParam(tryNode.block, state);
  if (param !== undefined) data.retriesParam = param;
  return { line, data };
}

/**
 * A function that calls itself from its catch: `catch (err) { if (attempt >= MAX) throw err; await sleep(d);
 * return send(payload, attempt + 1); }`. The counter is the parameter the recursive call moves.
 */
function readRecursiveRetry(tryEntry: WalkEntry, state: SummaryState): { line: number; data: RetryLoopData } | undefined {
  const fnId = state.fn;
  if (fnId < 0) return undefined;
  const tryNode = tryEntry.node as TryNode;
  let fnEntry = tryEntry.up;
  while (fnEntry && !isFunctionNode(fnEntry.node)) fnEntry = fnEntry.up;
  if (!fnEntry) return undefined;
  const fnNode = fnEntry.node as Node & { params: Node[]; body: Node; start?: number | null };
  const fullName = state.functions[fnId].name;
  const name = fullName.slice(fullName.lastIndexOf('.') + 1);
  const call = findRecursiveCall(tryNode.handler!.body.body, name);
  if (!call) return undefined;
  if (!hasSuccessExit(tryNode.block, []) && !endsAfterTry(tryEntry, fnEntry, name)) return undefined;
  const counterIndex = call.arguments.findIndex((arg, i) => isCounterArgument(arg as Node, getParamIdentifier(fnNode.params[i])));
  const counterParam = counterIndex >= 0 ? fnNode.params[counterIndex] : undefined;
  const counterName = counterParam ? getParamIdentifier(counterParam) : undefined;
  const reader = new StepReader(state, counterName, { name, counterIndex: counterIndex >= 0 ? counterIndex : call.arguments.length + 8 });
  const onFailure: Step[] = [];
  reader.read(tryNode.handler!.body.body, undefined, onFailure);
  if (!retriesAfterFailure(onFailure)) return undefined;
  const init = counterParam?.type === 'AssignmentPattern' ? reader.toExpr(counterParam.right) : undefined;
  const data: RetryLoopData = {
    form: 'recursion',
    column: (fnNode.loc?.start.column ?? 0) + 1,
    text: getHeaderText(state, fnNode, fnNode.body.start),
    fn: fnId,
    ...(counterName ? { counter: counterName } : {}),
    ...(init !== undefined ? { init } : {}),
    beforeCall: [],
    onFailure,
    update: [],
    afterLoop: 'unknown',
    checks: reader.checks,
    jitter: reader.jitter,
    sources: toSources(findExitText(tryNode.handler!.body.body, reader, state), reader),
  };
  return { line: fnNode.loc?.start.line ?? 0, data };
}

/**
 * Whether a try block that runs to its end (`try { await send(x); } catch { ... await retry(n - 1); }`, no
 * `return`) ends the function's work: no loop around the try and no call of the function itself after it. A
 * function that calls itself after the try as well moves on (the next record) whether the call failed or not.
 */
function endsAfterTry(tryEntry: WalkEntry, fnEntry: WalkEntry, name: string): boolean {
  for (let entry = tryEntry; entry.up && entry.up !== fnEntry; entry = entry.up) {
    const parent = entry.up.node;
    if (LOOPS.has(parent.type) || parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') return false;
    if (parent.type !== 'BlockStatement') continue;
    const rest = parent.body.slice(parent.body.indexOf(entry.node as (typeof parent.body)[number]) + 1);
    if (rest.some((statement) => containsNode(statement, (n) => isCallOf(n, name)))) return false;
  }
  return true;
}

function isCallOf(node: Node, name: string): boolean {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
  const callee = getMemberPath(node.callee);
  return callee === name || callee === `this.${name}`;
}

function toSources(attempts: string | undefined, reader: StepReader): RetryLoopData['sources'] {
  return {
    ...(attempts ? { attempts } : {}),
    ...(reader.delayText ? { delay: reader.delayText } : {}),
    ...(reader.maxDelayText ? { maxDelay: reader.maxDelayText } : {}),
  };
}

/** Whether some failure goes on to another attempt: the failure path does not always give up at once. */
function retriesAfterFailure(steps: readonly Step[]): boolean {
  for (const step of steps) {
    if (step.t === 'next') return true;
    if (step.t === 'exit' && step.when === undefined) return false;
  }
  return true;
}

/** A `return` or `break` (leaving the loop) in the try block, or an assignment to the loop's `!done` flag. */
function hasSuccessExit(block: Node, flags: readonly string[]): boolean {
  const stack: { node: Node; inLoop: boolean }[] = [{ node: block, inLoop: false }];
  for (let seen = 0; stack.length > 0 && seen < 400; seen++) {
    const { node, inLoop } = stack.pop()!;
    switch (node.type) {
      case 'ReturnStatement':
        return true;
      case 'BreakStatement':
        if (!inLoop || node.label) return true;
        break;
      case 'ExpressionStatement': {
        const expression = unwrapTypes(node.expression);
        if (expression.type === 'AssignmentExpression' && expression.left.type === 'Identifier' && flags.includes(expression.left.name)) return true;
        break;
      }
      case 'BlockStatement':
        for (const statement of node.body) stack.push({ node: statement, inLoop });
        break;
      case 'IfStatement':
        stack.push({ node: node.consequent, inLoop });
        if (node.alternate) stack.push({ node: node.alternate, inLoop });
        break;
      case 'TryStatement':
        stack.push({ node: node.block, inLoop });
        break;
      case 'LabeledStatement':
        stack.push({ node: node.body, inLoop });
        break;
      case 'ForStatement':
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'SwitchStatement':
        // A `break` in an inner loop or switch leaves that, not ours; a `return` still counts.
        for (const child of node.type === 'SwitchStatement' ? node.cases.flatMap((c) => c.consequent) : [node.body]) {
          stack.push({ node: child, inLoop: true });
        }
        break;
      default:
        break;
    }
  }
  return false;
}

/** `!done`, `!result`, `done === false` in a loop test: flags the try block sets on success. */
function getFlagNames(test: Node | null | undefined): string[] {
  if (!test) return [];
  const names: string[] = [];
  for (const part of splitLogical(test, '&&')) {
    const n = unwrapTypes(part);
    if (n.type === 'UnaryExpression' && n.operator === '!' && unwrapTypes(n.argument).type === 'Identifier') {
      names.push((unwrapTypes(n.argument) as Node & { name: string }).name);
    } else if (n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '==') && n.left.type === 'Identifier') {
      const right = unwrapTypes(n.right);
      if (right.type === 'BooleanLiteral' || right.type === 'NullLiteral' || (right.type === 'Identifier' && right.name === 'undefined')) names.push(n.left.name);
    }
  }
  return names;
}

/** The variable that counts attempts: the `for` loop's, the one the test compares, or the one the catch moves. */
function findCounter(loop: Node & { test?: Node | null }, statements: readonly Node[]): { name: string; init?: Node } | undefined {
  if (loop.type === 'ForStatement') {
    const init = loop.init;
    if (init?.type === 'VariableDeclaration' && init.declarations[0]?.id.type === 'Identifier') {
      return { name: init.declarations[0].id.name, init: init.declarations[0].init ?? undefined };
    }
    if (init?.type === 'AssignmentExpression' && init.left.type === 'Identifier') return { name: init.left.name, init: init.right };
    for (const expression of loop.update ? splitSequence(loop.update) : []) {
      const name = getMovedName(expression);
      if (name) return { name };
    }
  }
  const moved = new Set<string>();
  collectMovedNames(statements, moved, 0);
  if (loop.test) {
    for (const part of splitLogical(loop.test, '&&')) {
      const n = unwrapTypes(part);
      if (n.type !== 'BinaryExpression') continue;
      for (const side of [n.left, n.right]) {
        const inner = unwrapTypes(side);
        const name = inner.type === 'Identifier' ? inner.name : inner.type === 'UpdateExpression' ? getMovedName(inner) : undefined;
        if (name && (moved.has(name) || inner.type === 'UpdateExpression')) return { name };
      }
    }
  }
  const first = moved.values().next();
  return first.done ? undefined : { name: first.value };
}

/** Names moved by `x++`, `x += n` (statements, or tests such as `if (++x >= max)`) on the failure path. */
function collectMovedNames(statements: readonly Node[], out: Set<string>, depth: number): void {
  if (depth > 4) return;
  for (const statement of statements) {
    if (statement.type === 'ExpressionStatement') {
      const name = getMovedName(statement.expression);
      if (name) out.add(name);
    } else if (statement.type === 'IfStatement') {
      const test = unwrapTypes(statement.test);
      if (test.type === 'BinaryExpression') {
        for (const side of [test.left, test.right]) {
          const name = getMovedName(side);
          if (name) out.add(name);
        }
      }
      collectMovedNames(getStatements(statement.consequent), out, depth + 1);
      collectMovedNames(getStatements(statement.alternate), out, depth + 1);
    } else if (statement.type === 'BlockStatement') {
      collectMovedNames(statement.body, out, depth + 1);
    }
  }
}

function getMovedName(node: Node): string | undefined {
  const n = unwrapTypes(node);
  if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') return n.argument.name;
  if (n.type === 'AssignmentExpression' && (n.operator === '+=' || n.operator === '-=') && n.left.type === 'Identifier') return n.left.name;
  return undefined;
}

/** The counter's first value: the `for` initialiser, or the variable's declared value. */
function readInit(counter: { name: string; init?: Node }, reader: StepReader, state: SummaryState): Expr | undefined {
  if (counter.init) return reader.toExpr(counter.init);
  const found = state.lookup(counter.name, state.scope);
  if (!found) return undefined;
  return found.value.k === 'num' ? found.value.v : { s: found.value };
}

/** The text of the test that ends the retry in the catch (`attempt >= MAX_ATTEMPTS`), for the annotation's sources. */
function findExitText(statements: readonly Node[], reader: StepReader, state: SummaryState): string | undefined {
  for (const statement of statements) {
    if (statement.type !== 'IfStatement') continue;
    const parts = splitLogical(statement.test, '||').filter((part) => reader.mentionsCounter(part));
    if (parts.length) return parts.map((part) => state.textOf(part)).join(' || ');
  }
  return undefined;
}

/** What follows the loop in its block: a `throw` or a `return` there decides how the retry gives up. */
function getAfterLoop(loopEntry: WalkEntry): RetryLoopData['afterLoop'] {
  const parent = loopEntry.up;
  if (!parent || (parent.node.type !== 'BlockStatement' && parent.node.type !== 'Program')) return 'unknown';
  const statements = parent.node.body as Node[];
  const next = statements[statements.indexOf(loopEntry.node) + 1];
  if (!next) return parent.up && isFunctionNode(parent.up.node) ? 'return' : 'continue';
  if (next.type === 'ThrowStatement') return 'throw';
  if (next.type === 'ReturnStatement') return 'return';
  if (next.type === 'IfStatement' && getExitKind(next.consequent) === 'throw') return 'throw';
  return 'continue';
}

/** `await fn()` / `return fn(attempt)` in the try block, where `fn` is a parameter of the function around the loop. */
function findRetriedParam(block: Node & { body: Node[] }, state: SummaryState): number | undefined {
  const stack: Node[] = [...block.body];
  for (let seen = 0; stack.length > 0 && seen < 100; seen++) {
    const statement = stack.pop()!;
    let expression: Node | null | undefined;
    if (statement.type === 'ReturnStatement') expression = statement.argument;
    else if (statement.type === 'ExpressionStatement') expression = statement.expression;
    else if (statement.type === 'VariableDeclaration') expression = statement.declarations[0]?.init;
    else if (statement.type === 'BlockStatement') stack.push(...statement.body);
    if (expression && expression.type === 'AssignmentExpression') expression = expression.right;
    const call = getAwaitedCall(expression);
    if (!call || call.callee.type !== 'Identifier') continue;
    const binding = state.lookup(call.callee.name, state.scope)?.value;
    if (binding?.k === 'param' && binding.fn === state.fn) return binding.index;
  }
  return undefined;
}

function findRecursiveCall(statements: readonly Node[], name: string): (Node & { arguments: Node[] }) | undefined {
  const stack: Node[] = [...statements];
  for (let seen = 0; stack.length > 0 && seen < 100; seen++) {
    const statement = stack.pop()!;
    let expression: Node | null | undefined;
    if (statement.type === 'ReturnStatement') expression = statement.argument;
    else if (statement.type === 'ExpressionStatement') expression = statement.expression;
    else if (statement.type === 'BlockStatement') stack.push(...statement.body);
    else if (statement.type === 'IfStatement') stack.push(statement.consequent, ...(statement.alternate ? [statement.alternate] : []));
    const call = getAwaitedCall(expression);
    if (!call) continue;
    const callee = getMemberPath(call.callee);
    if (callee === name || callee === `this.${name}`) return call as Node & { arguments: Node[] };
  }
  return undefined;
}

function getParamIdentifier(param: Node | undefined): string | undefined {
  if (!param) return undefined;
  if (param.type === 'Identifier') return param.name;
  if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left.name;
  return undefined;
}

/** `attempt + 1`, `retries - 1`, `++attempt`: an argument moving the parameter of the same position. */
function isCounterArgument(arg: Node, param: string | undefined): boolean {
  if (!param) return false;
  const n = unwrapTypes(arg);
  if (n.type === 'BinaryExpression' && (n.operator === '+' || n.operator === '-')) {
    const left = unwrapTypes(n.left);
    return left.type === 'Identifier' && left.name === param;
  }
  return n.type === 'UpdateExpression' && n.argument.type === 'Identifier' && n.argument.name === param;
}

function readsLength(test: Node): boolean {
  for (const part of splitLogical(test, '&&')) {
    const n = unwrapTypes(part);
    if (n.type !== 'BinaryExpression') continue;
    for (const side of [n.left, n.right]) {
      const path = getMemberPath(side);
      if (path?.endsWith('.length') || path?.endsWith('.size')) return true;
    }
  }
  return false;
}

function isAlwaysTrue(test: Node): boolean {
  const n = unwrapTypes(test);
  return (n.type === 'BooleanLiteral' && n.value) || (n.type === 'NumericLiteral' && n.value !== 0);
}

function splitSequence(node: Node): Node[] {
  const n = unwrapTypes(node);
  return n.type === 'SequenceExpression' ? n.expressions : [n];
}
