import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import type { ContextCollector } from '../../src/summarize/walk.js';
import type { ContextRecord } from '../../src/types/summary.js';
import { getExitKind, getHeaderText, unwrapTypes } from './ast-shapes.js';

/**
 * The parts of a try statement (or of a promise's `.catch` / `.finally`) a call can be in. A call in the `catch` or
 * `finally` runs after a failure of the calls in the `try` (the ones it `protects`); linking decides which earlier calls it undoes (`src/link/annotate/compensation.ts`).
 */
export interface TryPartData {
  part: 'try' | 'catch' | 'finally';
  /** The try statement's position (for a promise chain, that of the `catch` / `finally` name): its parts share it. */
  tryLine: number;
  tryColumn: number;
  column: number;
  /** `catch (err)`, `finally`, `try`. */
  text: string;
  fn: number;
  /** For a catch: the tests of the `if (test) throw ...;` statements it starts with (errors it rethrows at once). */
  rethrows?: string[];
  /** For a catch: it ends in a return or a throw, so the code after the try never runs after it. */
  exits?: boolean;
}

/**
 * Verbs that undo each other, for names of functions, queues and topics (`reserveInventory` / `releaseInventory`).
 * The first verb does the work, the second undoes it.
 */
export const UNDO_VERBS: readonly (readonly [string, string])[] = [
  ['reserve', 'release'],
  ['reserve', 'cancel'],
  ['hold', 'release'],
  ['acquire', 'release'],
  ['claim', 'release'],
  ['lock', 'unlock'],
  ['create', 'delete'],
  ['create', 'cancel'],
  ['create', 'remove'],
  ['add', 'remove'],
  ['put', 'delete'],
  ['insert', 'delete'],
  ['charge', 'refund'],
  ['pay', 'refund'],
  ['capture', 'refund'],
  ['authorize', 'void'],
  ['debit', 'credit'],
  ['withdraw', 'deposit'],
  ['book', 'cancel'],
  ['place', 'cancel'],
  ['submit', 'cancel'],
  ['schedule', 'cancel'],
  ['allocate', 'deallocate'],
  ['allocate', 'free'],
  ['provision', 'deprovision'],
  ['register', 'unregister'],
  ['register', 'deregister'],
  ['subscribe', 'unsubscribe'],
  ['assign', 'unassign'],
  ['attach', 'detach'],
  ['enable', 'disable'],
  ['start', 'stop'],
  ['open', 'close'],
  ['increment', 'decrement'],
  ['apply', 'revert'],
  ['commit', 'rollback'],
];

/** Verbs that undo whatever the rest of the name does: `undoReservation`, `compensate-payment`, `rollbackOrder`. */
export const UNDO_PREFIXES: readonly string[] = ['undo', 'revert', 'rollback', 'compensate', 'cancel'];

/**
 * The pattern analyzer for try/catch/finally around calls: records each part, so a call knows which one it is in.
 * A promise chain's `.catch(cb)` and `.finally(cb)` are the same parts: the whole call is the `try` (the callback's
 * own part, inside it, is the one that counts for its calls) and the callback is the `catch` or `finally`.
 */
export const compensation: ContextCollector = {
  id: 'compensation',
  nodeTypes: ['CatchClause', 'CallExpression', 'ArrowFunctionExpression', 'FunctionExpression'],
  parentTypes: ['TryStatement'],
  enter(entry, state) {
    const node = entry.node;
    const parent = entry.up?.node;
    if (node.type === 'CatchClause' && parent?.type === 'TryStatement') {
      const record = create('catch', parent, node, getHeaderText(state, node, node.body.start, 60), state.fn);
      const rethrows = getRethrowTests(node.body.body, state);
      if (rethrows.length > 0) (record.data as unknown as TryPartData).rethrows = rethrows;
      const exit = getExitKind(node.body);
      if (exit === 'return' || exit === 'throw') (record.data as unknown as TryPartData).exits = true;
      // Kept without calls inside: the workflow runs a catch that handles a failed call as a part of its own.
      record.standalone = true;
      return record;
    }
    if (node.type === 'CallExpression') {
      const handler = getPromiseHandler(node);
      return handler ? create('try', handler.property, node, 'try', state.fn) : undefined;
    }
    if ((node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') && entry.key === 'arguments' && parent?.type === 'CallExpression') {
      const handler = getPromiseHandler(parent);
      if (handler?.callback !== node) return undefined;
      const params = node.params.map((param) => (param.type === 'Identifier' ? param.name : state.textOf(param, 30))).join(', ');
      const record = create(handler.method, handler.property, node, `.${handler.method}(${params})`, state.fn);
      // A promise handler that throws fails the chain; one that returns hands the chain a value and it goes on.
      if (handler.method === 'catch' && node.body.type === 'BlockStatement' && getExitKind(node.body) === 'throw') {
        (record.data as unknown as TryPartData).exits = true;
      }
      return record;
    }
    if (node.type !== 'BlockStatement' || parent?.type !== 'TryStatement') return undefined;
    if (entry.key === 'block') return create('try', parent, parent, 'try', state.fn);
    if (entry.key === 'finalizer') return create('finally', parent, node, 'finally', state.fn);
    return undefined;
  },
};

/** `promise.catch((err) => ...)`, `promise.finally(() => ...)`: the method, where its name is, and the callback written inline. */
function getPromiseHandler(call: Node & { type: 'CallExpression' }): { method: 'catch' | 'finally'; property: Node; callback: Node } | undefined {
  const callee = unwrapTypes(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const method = callee.property.name;
  const callback = call.arguments[0];
  if ((method !== 'catch' && method !== 'finally') || (callback?.type !== 'ArrowFunctionExpression' && callback?.type !== 'FunctionExpression')) return undefined;
  return { method, property: callee.property, callback };
}

/** `if ((err as Error).name !== 'X') throw err;` at the start of a catch: the tests, as written. */
function getRethrowTests(statements: readonly Node[], state: SummaryState): string[] {
  const tests: string[] = [];
  for (const statement of statements) {
    if (statement.type !== 'IfStatement' || statement.alternate || getExitKind(statement.consequent) !== 'throw') break;
    tests.push(state.textOf(statement.test));
  }
  return tests;
}

function create(part: TryPartData['part'], tryNode: { loc?: { start: { line: number; column: number } } | null }, at: { loc?: { start: { line: number; column: number } } | null }, text: string, fn: number): ContextRecord {
  const data: TryPartData = {
    part,
    tryLine: tryNode.loc?.start.line ?? 0,
    tryColumn: (tryNode.loc?.start.column ?? 0) + 1,
    column: (at.loc?.start.column ?? 0) + 1,
    text,
    fn,
  };
  // A `finally` block is a statement of its own; its keyword sits just before it.
  return { kind: 'try-part', line: at.loc?.start.line ?? 0, data: data as unknown as Record<string, unknown> };
}
