import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { getChildKeys } from '../../src/summarize/walk.js';

// Small readers of AST shapes shared by the pattern collectors (retry loops, fan-outs, conditions, ...).

const TRANSPARENT = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'ParenthesizedExpression',
]);

/** Strip parentheses and type assertions (not `await`): `(err as Error).name` reads `err.name`. */
export function unwrapTypes(node: Node): Node {
  let current = node;
  while (TRANSPARENT.has(current.type)) current = (current as { expression: Node }).expression;
  return current;
}

/** Strip parentheses, type assertions and `await`. */
export function unwrapAwait(node: Node): Node {
  let current = unwrapTypes(node);
  while (current.type === 'AwaitExpression') current = unwrapTypes(current.argument);
  return current;
}

/** The call an expression amounts to, through `await`, casts and a v2 `.promise()`: `await lambda.invoke(p).promise()`. */
export function getAwaitedCall(node: Node | null | undefined): (Node & { type: 'CallExpression' | 'OptionalCallExpression' }) | undefined {
  if (!node) return undefined;
  const inner = unwrapAwait(node);
  return inner.type === 'CallExpression' || inner.type === 'OptionalCallExpression' ? inner : undefined;
}

/**
 * The calls whose result an expression amounts to: the awaited call, or each branch's of a ternary
 * (`await (express ? send(a) : send(b))`). Nested ternaries are followed a few levels deep.
 */
export function getAwaitedCalls(node: Node | null | undefined, depth = 0): (Node & { type: 'CallExpression' | 'OptionalCallExpression' })[] {
  if (!node) return [];
  const inner = unwrapAwait(node);
  if (inner.type === 'ConditionalExpression' && depth < 4) {
    return [...getAwaitedCalls(inner.consequent, depth + 1), ...getAwaitedCalls(inner.alternate, depth + 1)];
  }
  const call = getAwaitedCall(inner);
  return call ? [call] : [];
}

/** `a.b.c` as written without casts and optional marks (`(err as Error).name` → `err.name`); undefined for other shapes. */
export function getMemberPath(node: Node): string | undefined {
  const parts: string[] = [];
  let current = unwrapTypes(node);
  for (let i = 0; i < 12; i++) {
    if (current.type === 'Identifier') {
      parts.push(current.name);
      return parts.reverse().join('.');
    }
    if (current.type === 'ThisExpression') {
      parts.push('this');
      return parts.reverse().join('.');
    }
    if (current.type !== 'MemberExpression' && current.type !== 'OptionalMemberExpression') return undefined;
    const property = current.property;
    if (!current.computed && property.type === 'Identifier') parts.push(property.name);
    else if (property.type === 'StringLiteral') parts.push(property.value);
    else if (property.type === 'NumericLiteral') parts.push(String(property.value));
    else return undefined;
    current = unwrapTypes(current.object);
  }
  return undefined;
}

/** The name a callee is called by: `sleep` for `sleep(x)` and `utils.sleep(x)`. */
export function getCalleeName(callee: Node): string | undefined {
  const node = unwrapTypes(callee);
  if (node.type === 'Identifier') return node.name;
  if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && node.property.type === 'Identifier') {
    return node.property.name;
  }
  return undefined;
}

/** Whether a statement always leaves the block it is in: `return`, `throw`, `continue`, `break`, or a block ending so. */
export function getExitKind(statement: Node | null | undefined): 'return' | 'throw' | 'continue' | 'break' | undefined {
  let current = statement;
  for (let i = 0; current && i < 8; i++) {
    switch (current.type) {
      case 'ReturnStatement':
        return 'return';
      case 'ThrowStatement':
        return 'throw';
      case 'ContinueStatement':
        return 'continue';
      case 'BreakStatement':
        return 'break';
      case 'BlockStatement':
        current = current.body[current.body.length - 1];
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Source text from a node's start to another's (a loop's header up to its body), whitespace collapsed. */
export function getHeaderText(state: SummaryState, node: Node, bodyStart: number | null | undefined, max = 120): string {
  if (node.start == null) return '';
  const end = bodyStart ?? node.end ?? node.start;
  const text = state.source.slice(node.start, Math.min(end, node.start + max * 4)).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The operands of a chain of one logical operator, in order: `a || b || c` → a, b, c. Iterative and bounded (a long
 * chain in hostile input must not overflow the stack): past `max` operands the rest stays one operand.
 */
export function splitLogical(node: Node, operator: '&&' | '||', max = 32): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = unwrapTypes(stack.pop()!);
    if (n.type === 'LogicalExpression' && n.operator === operator && out.length + stack.length < max) {
      stack.push(n.right, n.left);
    } else {
      out.push(n);
    }
  }
  return out;
}

/** Statements of a block or the single statement of a loop/if body. */
export function getStatements(node: Node | null | undefined): Node[] {
  if (!node) return [];
  return node.type === 'BlockStatement' ? node.body : [node];
}

/** The milliseconds a sleep waits, when the node is one: `sleep(ms)`, `delay(ms)`, `setTimeout(ms)` from timers/promises, `new Promise((r) => setTimeout(r, ms))`. */
export function getSleepDuration(node: Node, state: SummaryState): Node | undefined {
  const inner = unwrapAwait(node);
  if (inner.type === 'NewExpression' && inner.callee.type === 'Identifier' && inner.callee.name === 'Promise') {
    const executor = inner.arguments[0];
    if (!executor || (executor.type !== 'ArrowFunctionExpression' && executor.type !== 'FunctionExpression')) return undefined;
    const body = executor.body.type === 'BlockStatement' ? executor.body.body[0] : executor.body;
    const call = body?.type === 'ExpressionStatement' ? body.expression : body;
    if (call?.type === 'CallExpression' && getCalleeName(call.callee) === 'setTimeout') return call.arguments[1] as Node | undefined;
    return undefined;
  }
  if (inner.type !== 'CallExpression') return undefined;
  const name = getCalleeName(inner.callee);
  if (!name) return undefined;
  const first = inner.arguments[0] as Node | undefined;
  if (name === 'setTimeout') {
    // `setTimeout(ms)` from timers/promises takes the delay first; the global one takes a callback first.
    const binding = inner.callee.type === 'Identifier' ? state.lookup(name, state.scope)?.value : undefined;
    return binding?.k === 'import' ? first : undefined;
  }
  return SLEEP_NAMES.has(name.toLowerCase()) ? first : undefined;
}

const SLEEP_NAMES = new Set(['sleep', 'delay', 'wait', 'pause', 'sleepms']);

/** Whether `test` holds for `root` or a node inside it (nested functions included); bounded to `max` nodes. */
export function containsNode(root: Node, test: (node: Node) => boolean, max = 400): boolean {
  const stack: Node[] = [root];
  for (let seen = 0; stack.length > 0 && seen < max; seen++) {
    const current = stack.pop()!;
    if (test(current)) return true;
    pushChildren(current, stack);
  }
  return false;
}

/** Push a node's children (the walked keys: no types, labels or declared ids) onto a search stack. */
export function pushChildren(node: Node, stack: Node[]): void {
  const fields = node as unknown as Record<string, unknown>;
  for (const key of getChildKeys(node.type)) {
    const value = fields[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
    } else if (value && typeof (value as Node).type === 'string') {
      stack.push(value as Node);
    }
  }
}
