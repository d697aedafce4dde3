import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { isReference, type ContextCollector, type WalkEntry } from '../../src/summarize/walk.js';
import type { ContextRecord } from '../../src/types/summary.js';
import { getAwaitedCall, getAwaitedCalls, unwrapTypes } from './ast-shapes.js';
import { createFileState } from './file-state.js';

/**
 * Where the result of a call goes: assigned to a variable (and where that variable, or a value decoded from it,
 * is read afterwards), returned from the function, handed to a `.then` callback, or dropped by an
 * `await Promise.all(...)` statement (other calls record whether their result is used themselves).
 * The record is a context of the call; `callLine`/`callColumn` say which call inside it the result is of.
 */
export interface ResultData {
  use: 'assigned' | 'returned' | 'then' | 'discarded';
  callLine: number;
  callColumn: number;
  /** The other calls whose result lands in the same place (`await (c ? send(a) : send(b))`), as `[line, column]`. */
  otherCalls?: [number, number][];
  /** The variable (or destructuring pattern, or `.then` parameter) as written. */
  variable?: string;
  /** Each read after the call: its line and the path read (`''` for the whole value, `decision`, `Payload.status`). */
  reads: [number, string][];
  /** The variables holding the result (or a value decoded from it), each with the scope it is declared in. */
  bound?: [string, number][];
  /** The function the record is in. */
  fn: number;
}

interface Tracked {
  name: string;
  scope: number;
  record: ContextRecord;
  /** The path of the result this variable holds (`Payload` for `const body = JSON.parse(res.Payload)`). */
  prefix: string;
  /** Reads before this line are not of this result (`let x; ... x = await f()`). */
  fromLine: number;
}

interface FileState {
  tracked: Map<string, Tracked[]>;
  /** `.then` calls whose callback's parameter receives the result. */
  thens: WeakMap<Node, ContextRecord>;
}

const getFileState = createFileState<FileState>(() => ({ tracked: new Map(), thens: new WeakMap() }));

/** The call whose result a variable holds at the current position of the walk (for conditions that test it). */
export function getResultCall(state: SummaryState, name: string): { line: number; column: number } | undefined {
  const tracked = findTracked(state, name);
  if (!tracked) return undefined;
  const data = tracked.record.data as unknown as ResultData;
  return { line: data.callLine, column: data.callColumn };
}

function findTracked(state: SummaryState, name: string): Tracked | undefined {
  const candidates = getFileState(state).tracked.get(name);
  if (!candidates) return undefined;
  const found = state.lookup(name, state.scope);
  if (!found) return undefined;
  for (let i = candidates.length - 1; i >= 0; i--) if (candidates[i].scope === found.scope) return candidates[i];
  return undefined;
}

/** The pattern analyzer for the use of call results; it runs before `condition`, which asks it what a variable holds. */
export const resultUse: ContextCollector = {
  id: 'result-use',
  nodeTypes: ['VariableDeclarator', 'AssignmentExpression', 'ReturnStatement', 'ExpressionStatement', 'CallExpression', 'Identifier', 'ArrowFunctionExpression', 'FunctionExpression'],
  enter(entry, state) {
    const node = entry.node;
    // `(item) => send(item)`: the arrow returns its body. (A record applies to the calls inside the node it is made
    // at, so it is made at the arrow, which holds the call.)
    if (node.type === 'ArrowFunctionExpression' && node.body.type !== 'BlockStatement') {
      const record = createReturn(node.body, node.body, state);
      if (entry.key === 'arguments') enterThenCallback(entry, node, state);
      return record;
    }
    switch (node.type) {
      case 'VariableDeclarator':
        return enterDeclarator(node, state);
      case 'AssignmentExpression':
        return enterAssignment(node, state);
      case 'ReturnStatement':
        return node.argument ? createReturn(node, node.argument, state) : undefined;
      case 'ExpressionStatement': {
        // `await Promise.all(...)` as a statement: the map's results are dropped (other calls say so themselves).
        const inner = unwrapTypes(node.expression);
        const call = inner.type === 'AwaitExpression' ? getAwaitedCall(inner) : undefined;
        return call && isPromiseCombinator(call.callee) ? create('discarded', node, [call], state) : undefined;
      }
      case 'CallExpression':
        return enterThen(node, state);
      case 'Identifier':
        noteRead(entry, node.name, state);
        return undefined;
      default:
        if (entry.key === 'arguments' && (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression')) {
          enterThenCallback(entry, node, state);
        }
        return undefined;
    }
  },
};

function isPromiseCombinator(callee: Node): boolean {
  const n = unwrapTypes(callee);
  return n.type === 'MemberExpression' && n.object.type === 'Identifier' && /^(Promise|Bluebird|P)$/.test(n.object.name);
}

/** A record of the result of `calls` (the first, and the others of a ternary's branches) landing at `at`. */
function create(use: ResultData['use'], at: Node, calls: readonly Node[], state: SummaryState, variable?: string): ContextRecord {
  const [call, ...others] = calls;
  const data: ResultData = {
    use,
    callLine: call.loc?.start.line ?? 0,
    callColumn: (call.loc?.start.column ?? 0) + 1,
    ...(others.length ? { otherCalls: others.map((other): [number, number] => [other.loc?.start.line ?? 0, (other.loc?.start.column ?? 0) + 1]) } : {}),
    ...(variable !== undefined ? { variable } : {}),
    reads: [],
    fn: state.fn,
  };
  return { kind: 'result', line: at.loc?.start.line ?? 0, data: data as unknown as Record<string, unknown> };
}

function createReturn(at: Node, argument: Node, state: SummaryState): ContextRecord | undefined {
  const calls = getAwaitedCalls(argument);
  return calls.length ? create('returned', at, calls, state) : undefined;
}

/** `const x = await call()`, `const { a, b } = await call()`, `const [a, b] = await Promise.all([...])`. */
function enterDeclarator(node: Node & { type: 'VariableDeclarator' }, state: SummaryState): ContextRecord | undefined {
  const init = node.init ? unwrapTypes(node.init) : undefined;
  if (!init) return undefined;
  if (init.type !== 'AwaitExpression') {
    // `const body = JSON.parse(res.Payload)`: noted when the read of `res` inside is met (see noteRead).
    return undefined;
  }
  const calls = getAwaitedCalls(init);
  if (!calls.length) return undefined;
  const record = create('assigned', node, calls, state, state.textOf(node.id, 60));
  trackPattern(node.id, '', record, node.loc?.start.line ?? 0, state);
  return record;
}

/** `x = await call()` for a variable declared earlier. */
function enterAssignment(node: Node & { type: 'AssignmentExpression' }, state: SummaryState): ContextRecord | undefined {
  if (node.operator !== '=' || node.left.type !== 'Identifier') return undefined;
  const right = unwrapTypes(node.right);
  if (right.type !== 'AwaitExpression') return undefined;
  const calls = getAwaitedCalls(right);
  if (!calls.length) return undefined;
  const record = create('assigned', node, calls, state, node.left.name);
  track(node.left.name, '', record, node.loc?.start.line ?? 0, state);
  return record;
}

/** `call().then((result) => ...)`: the callback's parameter holds the result. */
function enterThen(node: Node & { type: 'CallExpression' }, state: SummaryState): ContextRecord | undefined {
  const callee = unwrapTypes(node.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'then') return undefined;
  const call = getAwaitedCall(callee.object);
  if (!call) return undefined;
  const record = create('then', node, [call], state);
  getFileState(state).thens.set(node, record);
  return record;
}

function enterThenCallback(entry: WalkEntry, node: Node & { params: Node[] }, state: SummaryState): void {
  const call = entry.up?.node;
  const record = call && getFileState(state).thens.get(call);
  if (!record || (call as Node & { arguments: Node[] }).arguments[0] !== node) return;
  const param = node.params[0];
  if (!param) return;
  (record.data as unknown as ResultData).variable = state.textOf(param, 60);
  trackPattern(param, '', record, node.loc?.start.line ?? 0, state);
}

function trackPattern(pattern: Node, prefix: string, record: ContextRecord, line: number, state: SummaryState): void {
  const reads = (record.data as unknown as ResultData).reads;
  switch (pattern.type) {
    case 'Identifier':
      track(pattern.name, prefix, record, line, state);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        if (property.type === 'RestElement') {
          trackPattern(property.argument, prefix, record, line, state);
          continue;
        }
        const key = property.key.type === 'Identifier' && !property.computed ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined;
        if (key === undefined) continue;
        const path = join(prefix, key);
        // Destructuring reads the field where it is written.
        reads.push([line, path]);
        trackPattern(property.value as Node, path, record, line, state);
      }
      return;
    case 'ArrayPattern':
      pattern.elements.forEach((element, i) => {
        if (element) trackPattern(element, join(prefix, `[${i}]`), record, line, state);
      });
      return;
    case 'AssignmentPattern':
      trackPattern(pattern.left, prefix, record, line, state);
      return;
    default:
      return;
  }
}

function track(name: string, prefix: string, record: ContextRecord, fromLine: number, state: SummaryState): void {
  const found = state.lookup(name, state.scope);
  if (!found) return;
  const tracked = getFileState(state).tracked;
  const list = tracked.get(name);
  const entry: Tracked = { name, scope: found.scope, record, prefix, fromLine };
  const data = record.data as unknown as ResultData;
  (data.bound ??= []).push([name, found.scope]);
  if (list) list.push(entry);
  else tracked.set(name, [entry]);
}

/**
 * A read of a tracked variable: its line and the field read (`verdict.decision`), unless it is a method called
 * on it (`reservations.map(...)` reads no field). A read inside the initialiser of another variable
 * (`const body = JSON.parse(res.Payload)`) makes that variable a decoded form of the result.
 */
function noteRead(entry: WalkEntry, name: string, state: SummaryState): void {
  if (!getFileState(state).tracked.has(name)) return;
  const parent = entry.up?.node;
  if (!parent || !isReference(entry)) return;
  if (parent.type === 'AssignmentExpression' && entry.key === 'left') return;
  const tracked = findTracked(state, name);
  const line = entry.node.loc?.start.line ?? 0;
  if (!tracked || line < tracked.fromLine) return;
  const data = tracked.record.data as unknown as ResultData;
  let path = tracked.prefix;
  let top: WalkEntry = entry;
  // One field read from the variable: `verdict.decision`, `res.Payload` (a method called on it reads no field).
  const member = entry.up?.node;
  if (member && (member.type === 'MemberExpression' || member.type === 'OptionalMemberExpression') && entry.key === 'object') {
    const calledAsMethod = entry.up!.up?.node.type === 'CallExpression' && entry.up!.key === 'callee';
    const property = member.property;
    const prop =
      !member.computed && property.type === 'Identifier'
        ? property.name
        : property.type === 'StringLiteral'
          ? property.value
          : property.type === 'NumericLiteral'
            ? `[${property.value}]`
            : undefined;
    if (prop !== undefined && !calledAsMethod) {
      path = join(path, prop);
      top = entry.up!;
    }
  }
  if (data.reads.length < 64) data.reads.push([line, path]);
  const declarator = findDeclaratorAround(top);
  if (declarator && declarator.id.type === 'Identifier' && declarator.id.name !== name) {
    track(declarator.id.name, path, tracked.record, line, state);
  }
}

/** Expressions a decoded value passes through: `JSON.parse(Buffer.from(res.Payload).toString())`, `await`, casts. */
const DECODING = new Set(['CallExpression', 'NewExpression', 'MemberExpression', 'OptionalMemberExpression', 'AwaitExpression', 'ParenthesizedExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression']);

/** The declarator whose initialiser decodes the node (not one that builds a new object or string from it). */
function findDeclaratorAround(entry: WalkEntry): (Node & { type: 'VariableDeclarator'; id: Node & { name?: string } }) | undefined {
  let current: WalkEntry | null = entry;
  for (let i = 0; current && i < 8; i++) {
    const parent: WalkEntry | null = current.up;
    if (!parent) return undefined;
    if (parent.node.type === 'VariableDeclarator') return current.key === 'init' ? (parent.node as never) : undefined;
    if (!DECODING.has(parent.node.type)) return undefined;
    current = parent;
  }
  return undefined;
}

function join(prefix: string, key: string): string {
  if (!prefix) return key;
  return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
}

