import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { toSym } from '../../src/summarize/to-sym.js';
import type { ContextCollector, WalkEntry } from '../../src/summarize/walk.js';
import type { ConditionAnnotation, ConditionComparison } from '../../src/types/annotations.js';
import type { ContextRecord, Sym } from '../../src/types/summary.js';
import { getExitKind, getMemberPath, splitLogical, unwrapTypes } from './ast-shapes.js';
import { createFileState } from './file-state.js';
import { getResultCall } from './result-use.js';

/** What the walk keeps of a condition a call depends on; text, comparisons and operands are read once the call is kept. */
export interface ConditionData {
  form: ConditionAnnotation['form'];
  branch: ConditionAnnotation['branch'];
  text: string;
  comparisons: ComparisonData[];
  join?: 'and' | 'or';
  /** What a test that is not a simple comparison reads, each with the call it is the result of, when it is one. */
  operands?: OperandData[];
  /** An early exit before the call: every `if (...) return;` met earlier in the block (this record is the first). */
  more?: ConditionData[];
  line: number;
}

export interface ComparisonData {
  operator: ConditionComparison['operator'];
  /** The field as written, without casts (`order.total`), and its value. */
  path: string;
  pathSym: Sym;
  value?: Sym;
  valueText?: string;
  /** The call whose (awaited) result the field's variable holds. */
  resultOf?: { line: number; column: number };
}

export interface OperandData {
  sym: Sym;
  /** The call whose (awaited) result the operand's variable holds. */
  resultOf?: { line: number; column: number };
}

const OPERATORS: Record<string, ConditionComparison['operator']> = {
  '===': '==',
  '==': '==',
  '!==': '!=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};
const MIRRORED: Record<string, ConditionComparison['operator']> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

interface FileState {
  /** For each block with early exits, the exits before each later statement. */
  exits: WeakMap<Node, Map<Node, Node[]> | null>;
}

const getFileState = createFileState<FileState>(() => ({ exits: new WeakMap() }));

/** The pattern analyzer for conditions: `if`/`else`, ternaries, `&&`/`||`, `switch` cases, and early exits before a call. */
export const condition: ContextCollector = {
  id: 'condition',
  parentTypes: ['IfStatement', 'ConditionalExpression', 'LogicalExpression', 'SwitchStatement', 'BlockStatement', 'Program', 'StaticBlock'],
  enter(entry, state) {
    const parent = entry.up?.node;
    if (!parent) return undefined;
    const key = entry.key;
    switch (parent.type) {
      case 'IfStatement':
        if (key === 'consequent' || key === 'alternate') return create('if', key === 'consequent' ? 'then' : 'else', parent.test, state);
        return undefined;
      case 'ConditionalExpression':
        if (key === 'consequent' || key === 'alternate') return create('ternary', key === 'consequent' ? 'then' : 'else', parent.test, state);
        return undefined;
      case 'LogicalExpression':
        if (key === 'right' && (parent.operator === '&&' || parent.operator === '||')) {
          return create('logical', parent.operator === '&&' ? 'then' : 'else', parent.left, state);
        }
        return undefined;
      case 'SwitchStatement':
        if (key === 'cases' && entry.node.type === 'SwitchCase') return createCase(entry.node, parent, state);
        return undefined;
      case 'BlockStatement':
      case 'Program':
      case 'StaticBlock':
        return key === 'body' ? createEarlyExit(entry, parent, state) : undefined;
      default:
        return undefined;
    }
  },
};

function create(form: ConditionData['form'], branch: ConditionData['branch'], test: Node, state: SummaryState): ContextRecord {
  const data = newData(form, branch, test);
  const record: ContextRecord = { kind: 'condition', line: data.line, data: data as unknown as Record<string, unknown> };
  const scope = state.scope;
  state.contextFinishers.set(record, () => state.atScope(scope, () => readTest(data, test, state)));
  return record;
}

function newData(form: ConditionData['form'], branch: ConditionData['branch'], test: Node): ConditionData {
  return { form, branch, line: test.loc?.start.line ?? 0, text: '', comparisons: [] };
}

function createCase(node: Node & { type: 'SwitchCase' }, parent: Node & { type: 'SwitchStatement' }, state: SummaryState): ContextRecord {
  const data = newData('switch', node.test ? 'case' : 'default', node);
  const record: ContextRecord = { kind: 'condition', line: data.line, data: data as unknown as Record<string, unknown> };
  const scope = state.scope;
  state.contextFinishers.set(record, () =>
    state.atScope(scope, () => {
      const discriminant = state.textOf(parent.discriminant, 80);
      if (!node.test) {
        data.text = `${discriminant}: default`;
        data.operands = readOperands([parent.discriminant], state);
        return;
      }
      data.text = `${discriminant} === ${state.textOf(node.test, 60)}`;
      const path = getMemberPath(parent.discriminant);
      if (!path) {
        data.operands = readOperands([parent.discriminant], state);
        return;
      }
      const comparison: ComparisonData = { operator: '==', path, pathSym: toSym(parent.discriminant, state), value: toSym(node.test, state), valueText: state.textOf(node.test, 60) };
      const resultOf = getResultOf(parent.discriminant, state);
      data.comparisons = [resultOf ? { ...comparison, resultOf } : comparison];
    }),
  );
  return record;
}

/** `if (!order) return;` before a statement: the statement runs only when the test fails. */
function createEarlyExit(entry: WalkEntry, block: Node & { body: Node[] }, state: SummaryState): ContextRecord | undefined {
  const fileState = getFileState(state);
  let byStatement = fileState.exits.get(block);
  if (byStatement === undefined) {
    byStatement = findEarlyExits(block.body);
    fileState.exits.set(block, byStatement);
  }
  const exits = byStatement?.get(entry.node);
  if (!exits) return undefined;
  const all = exits.map((exit) => newData('early-exit', 'else', (exit as Node & { test: Node }).test));
  const [first, ...more] = all;
  if (more.length) first.more = more;
  const record: ContextRecord = { kind: 'condition', line: first.line, data: first as unknown as Record<string, unknown> };
  const scope = state.scope;
  state.contextFinishers.set(record, () =>
    state.atScope(scope, () => {
      exits.forEach((exit, i) => readTest(all[i], (exit as Node & { test: Node }).test, state));
    }),
  );
  return record;
}

/** Each statement after an `if (...) return/throw/continue/break;` (without else), with the exits before it. */
function findEarlyExits(statements: readonly Node[]): Map<Node, Node[]> | null {
  let found: Map<Node, Node[]> | null = null;
  let exits: Node[] = [];
  for (const statement of statements) {
    if (exits.length) (found ??= new Map()).set(statement, exits);
    if (statement.type === 'IfStatement' && !statement.alternate && getExitKind(statement.consequent)) exits = [...exits, statement];
  }
  return found;
}

/** The test's text, its comparisons when it is simple (one, or several joined by one operator), and its operands. */
function readTest(data: ConditionData, test: Node, state: SummaryState): void {
  data.text = state.textOf(test);
  const operator = getJoin(test);
  const parts = operator ? splitLogical(test, operator) : [test];
  const comparisons: ComparisonData[] = [];
  for (const part of parts) {
    const comparison = readComparison(part, state);
    if (!comparison) {
      comparisons.length = 0;
      break;
    }
    comparisons.push(comparison);
  }
  data.comparisons = comparisons.slice(0, 8);
  if (comparisons.length > 1 && operator) data.join = operator === '&&' ? 'and' : 'or';
  if (comparisons.length === 0) data.operands = readOperands(collectOperandNodes(test), state);
}

function getJoin(test: Node): '&&' | '||' | undefined {
  const n = unwrapTypes(test);
  return n.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||') ? n.operator : undefined;
}

/** `order.total > 1000`, `1000 < order.total`, `!order.paid`, `order.id`, `x != null`, `x === undefined`. */
function readComparison(node: Node, state: SummaryState): ComparisonData | undefined {
  const comparison = readComparisonShape(node, state);
  const field = comparison && getComparedNode(node);
  const resultOf = field ? getResultOf(field, state) : undefined;
  return comparison && resultOf ? { ...comparison, resultOf } : comparison;
}

function readComparisonShape(node: Node, state: SummaryState): ComparisonData | undefined {
  const n = unwrapTypes(node);
  if (n.type === 'UnaryExpression' && n.operator === '!') {
    const path = getMemberPath(n.argument);
    return path ? { operator: 'falsy', path, pathSym: toSym(n.argument, state) } : undefined;
  }
  const path = getMemberPath(n);
  if (path) return { operator: 'truthy', path, pathSym: toSym(n, state) };
  if (n.type !== 'BinaryExpression' || !OPERATORS[n.operator]) return undefined;
  let operator = OPERATORS[n.operator];
  let field = n.left as Node;
  let value: Node = n.right;
  // The field is the side that is not a literal or a constant (`LIMIT < order.total` compares `order.total`).
  if (!isField(field) && (isField(value) || !getMemberPath(field))) {
    [field, value] = [value, field];
    operator = MIRRORED[operator] ?? operator;
  }
  const fieldPath = getMemberPath(field);
  if (!fieldPath || !isValue(value)) return undefined;
  const literal = unwrapTypes(value);
  const isNil = literal.type === 'NullLiteral' || (literal.type === 'Identifier' && literal.name === 'undefined');
  if (isNil && (operator === '==' || operator === '!=')) {
    // `x == null` and `x === undefined` ask whether the field is there.
    return { operator: operator === '==' ? 'not-exists' : 'exists', path: fieldPath, pathSym: toSym(field, state) };
  }
  return { operator, path: fieldPath, pathSym: toSym(field, state), value: toSym(value, state), valueText: state.textOf(value, 60) };
}

function isField(side: Node): boolean {
  return getMemberPath(side) !== undefined && !isConstantName(side);
}

/** A compared value: a literal, a constant's name (`LIMIT`, `Status.Failed`), a negative number. */
function isValue(node: Node): boolean {
  const n = unwrapTypes(node);
  switch (n.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
      return true;
    case 'TemplateLiteral':
      return n.expressions.length === 0;
    case 'UnaryExpression':
      return n.operator === '-' && unwrapTypes(n.argument).type === 'NumericLiteral';
    default:
      return getMemberPath(n) !== undefined;
  }
}

/** An upper-case name or member (`MAX_TOTAL`, `Status.FAILED`): a constant, so the other side is the field. */
function isConstantName(node: Node): boolean {
  const path = getMemberPath(node);
  if (!path || path.startsWith('process.env.')) return false;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return path === 'undefined' || /^[A-Z][A-Z0-9_]*$/.test(last);
}

function getComparedNode(node: Node): Node | undefined {
  const n = unwrapTypes(node);
  if (n.type === 'UnaryExpression' && n.operator === '!') return n.argument;
  if (n.type === 'BinaryExpression') return getMemberPath(n.left) && !isConstantName(n.left) ? n.left : n.right;
  return n;
}

/** Fields read by a test that is not a simple comparison: its member paths and identifiers, outermost first (at most four). */
function collectOperandNodes(test: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [test];
  for (let seen = 0; stack.length > 0 && seen < 100 && out.length < 4; seen++) {
    const node = unwrapTypes(stack.shift()!);
    if (getMemberPath(node) && node.type !== 'ThisExpression') {
      out.push(node);
      continue;
    }
    if (node.type.includes('Function')) continue;
    for (const key of ['left', 'right', 'argument', 'arguments', 'callee', 'object', 'test', 'expressions']) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) stack.push(...(child as Node[]).filter(Boolean));
      else if (child && typeof (child as Node).type === 'string') stack.push(child as Node);
    }
  }
  return out;
}

function readOperands(nodes: readonly Node[], state: SummaryState): OperandData[] {
  return nodes.slice(0, 4).map((node) => {
    const sym = toSym(node, state);
    const resultOf = getResultOf(node, state);
    return resultOf ? { sym, resultOf } : { sym };
  });
}

/** The call whose awaited result the variable a field is read from holds (`verdict` in `verdict.decision`). */
function getResultOf(node: Node, state: SummaryState): { line: number; column: number } | undefined {
  let root = unwrapTypes(node);
  while (root.type === 'MemberExpression' || root.type === 'OptionalMemberExpression') root = unwrapTypes(root.object);
  return root.type === 'Identifier' ? getResultCall(state, root.name) : undefined;
}
