import type { Node } from '@babel/types';
import type { SummaryState } from '../../src/summarize/state.js';
import { toSym } from '../../src/summarize/to-sym.js';
import type { ContextCollector, WalkEntry } from '../../src/summarize/walk.js';
import type { FanOutAnnotation } from '../../src/types/annotations.js';
import type { ContextRecord, Sym } from '../../src/types/summary.js';
import { getCalleeName, getHeaderText, getMemberPath, unwrapAwait, unwrapTypes } from './ast-shapes.js';
import { createFileState } from './file-state.js';

/**
 * What the walk keeps of a fan-out around calls. `map`, `parallel` and `sequential-map` become annotations;
 * `batch` (a loop over chunks) and `limit` (`p-limit`) refine the map they surround or sit in.
 */
export interface FanOutData {
  kind: 'map' | 'parallel' | 'sequential-map' | 'batch' | 'limit';
  combinator?: FanOutAnnotation['combinator'];
  column: number;
  text: string;
  /** Maps: the collection as written and its value; the element's name. */
  collection?: string;
  collectionSym?: Sym;
  element?: string;
  /** The callback whose first parameter is the element (index into `FileSummary.functions`). */
  elementFn?: number;
  /** The scope a `for...of` declares its element in. */
  elementScope?: number;
  /** Parallel lists: each branch as written, and where each starts (`[line, column]`), to tell which one a call is in. */
  branches?: string[];
  branchStarts?: [number, number][];
  /** Concurrency limits and batch sizes: the value, and where it is set as written. */
  concurrency?: Sym;
  limitText?: string;
  size?: Sym;
  toleratesFailures?: boolean;
  /** A sequential loop: whether the function awaits inside it (else its calls all start at once). */
  awaits?: boolean;
  /** The function the fan-out is written in. */
  fn: number;
  /** Not (yet) awaited with `Promise.all` (`const promises = items.map(...)` before `await Promise.all(promises)`). */
  pending?: boolean;
}

type Combinator = FanOutAnnotation['combinator'];

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
const TOLERANT = new Set(['allSettled', 'any']);

/** Library fan-outs, as data: where the collection, callback and limit are in the call. */
interface LibraryShape {
  kind: 'map' | 'sequential-map' | 'parallel';
  combinator: Combinator;
  collection?: number;
  callback?: number;
  /** Index of a numeric limit argument, or of an options object with `concurrency`. */
  limitArg?: number;
  optionsArg?: number;
}

const LIBRARIES: Record<string, Record<string, LibraryShape>> = {
  'p-map': { default: { kind: 'map', combinator: 'p-map', collection: 0, callback: 1, optionsArg: 2 } },
  bluebird: {
    map: { kind: 'map', combinator: 'bluebird', collection: 0, callback: 1, optionsArg: 2 },
    mapSeries: { kind: 'sequential-map', combinator: 'bluebird', collection: 0, callback: 1 },
    each: { kind: 'sequential-map', combinator: 'bluebird', collection: 0, callback: 1 },
    all: { kind: 'parallel', combinator: 'bluebird', collection: 0 },
  },
  async: {
    map: { kind: 'map', combinator: 'async', collection: 0, callback: 1 },
    each: { kind: 'map', combinator: 'async', collection: 0, callback: 1 },
    forEach: { kind: 'map', combinator: 'async', collection: 0, callback: 1 },
    mapLimit: { kind: 'map', combinator: 'async', collection: 0, callback: 2, limitArg: 1 },
    eachLimit: { kind: 'map', combinator: 'async', collection: 0, callback: 2, limitArg: 1 },
    forEachLimit: { kind: 'map', combinator: 'async', collection: 0, callback: 2, limitArg: 1 },
    mapSeries: { kind: 'sequential-map', combinator: 'async', collection: 0, callback: 1 },
    eachSeries: { kind: 'sequential-map', combinator: 'async', collection: 0, callback: 1 },
    forEachSeries: { kind: 'sequential-map', combinator: 'async', collection: 0, callback: 1 },
    parallel: { kind: 'parallel', combinator: 'async', collection: 0 },
    parallelLimit: { kind: 'parallel', combinator: 'async', collection: 0, limitArg: 1 },
  },
};

/** Names of helpers that split a collection into batches: `chunk(items, 10)`, `_.chunk`, `batches(items, n)`. */
const CHUNK_NAMES = /^(chunk|chunks|chunked|batch|batches|splitEvery|inChunks|toChunks|partition)$/i;

interface FileState {
  /** Maps assigned to a variable before being awaited, by `name@scope`. */
  pending: Map<string, ContextRecord>;
}

const getFileState = createFileState<FileState>(() => ({ pending: new Map() }));

/** The pattern analyzer for fan-outs: `Promise.all` over a map or a list, loops with `await`, p-map, p-limit, chunks. */
export const fanOut: ContextCollector = {
  id: 'fan-out',
  nodeTypes: ['CallExpression', 'AwaitExpression'],
  parentTypes: ['ForOfStatement', 'ForStatement'],
  enter(entry, state) {
    const node = entry.node;
    // A loop's record sits on its body: calls in its header (`for (const x of await list())`) run once.
    const loop = entry.key === 'body' ? entry.up?.node : undefined;
    if (loop?.type === 'ForOfStatement') return enterForOf(loop, getLoopScope(node, state), state);
    if (loop?.type === 'ForStatement') return enterIndexLoop(loop, state);
    switch (node.type) {
      case 'CallExpression':
        return enterCall(entry, node, state);
      case 'AwaitExpression':
        noteAwait(state);
        return undefined;
      default:
        return undefined;
    }
  },
};

function record(data: FanOutData, line: number): ContextRecord {
  return { kind: 'fan-out', line, data: data as unknown as Record<string, unknown> };
}

function position(node: Node): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1 };
}

function enterCall(entry: WalkEntry, node: Node & { type: 'CallExpression' }, state: SummaryState): ContextRecord | undefined {
  const callee = unwrapTypes(node.callee);
  const args = node.arguments as Node[];
  const promise = getPromiseCombinator(callee, state);
  if (promise) return enterPromiseCombinator(node, promise, args[0], state);
  const method = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
  if (method === 'map' && isFunction(args[0]) && isPendingTarget(entry)) return enterPendingMap(entry, node, state);
  if (method === 'forEach' && isFunction(args[0])) {
    const { line, column } = position(node);
    const object = (callee as Node & { object: Node }).object;
    return record({ kind: 'map', combinator: 'forEach', column, text: state.textOf(node), ...readMap(object, args[0], state), toleratesFailures: false, fn: state.fn }, line);
  }
  if (method === 'push' && args.length === 1 && isCallLike(args[0])) return enterPush(node, callee as Node & { object: Node }, state);
  const library = getLibraryShape(callee, state);
  if (library) return enterLibrary(node, library, state);
  const limit = getLimitOf(callee, state);
  if (limit) {
    const { line, column } = position(node);
    return record({ kind: 'limit', column, text: state.textOf(node), ...limit, fn: state.fn }, line);
  }
  return undefined;
}

/** `Promise.all` and friends, on the global Promise or on Bluebird. */
function getPromiseCombinator(callee: Node, state: SummaryState): { name: string; combinator: Combinator } | undefined {
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const name = callee.property.name;
  if (!PROMISE_COMBINATORS.has(name) || callee.object.type !== 'Identifier') return undefined;
  const binding = state.lookup(callee.object.name, state.scope)?.value;
  if (!binding) return callee.object.name === 'Promise' ? { name, combinator: name as Combinator } : undefined;
  return binding.k === 'import' && binding.source === 'bluebird' ? { name, combinator: 'bluebird' } : undefined;
}

function enterPromiseCombinator(node: Node, promise: { name: string; combinator: Combinator }, arg: Node | undefined, state: SummaryState): ContextRecord | undefined {
  if (!arg) return undefined;
  const { line, column } = position(node);
  const text = state.textOf(node);
  const toleratesFailures = TOLERANT.has(promise.name);
  const list = unwrapTypes(arg);
  if (list.type === 'ArrayExpression') {
    if (list.elements.length === 0 || list.elements.length > 40) return undefined;
    return record({ kind: 'parallel', combinator: promise.combinator, column, text, ...readBranches(list, state), toleratesFailures, fn: state.fn }, line);
  }
  const inner = unwrapAwait(list);
  if (inner.type === 'CallExpression' && isMapCall(inner)) {
    const callee = inner.callee as Node & { object: Node };
    return record({ kind: 'map', combinator: promise.combinator, column, text, ...readMap(callee.object, inner.arguments[0] as Node, state), toleratesFailures, fn: state.fn }, line);
  }
  if (list.type === 'Identifier') {
    // `await Promise.all(promises)`: the map (or the pushes) that filled `promises` earlier.
    const found = state.lookup(list.name, state.scope);
    const pending = found && getFileState(state).pending.get(`${list.name}@${found.scope}`);
    if (pending) {
      const data = pending.data as unknown as FanOutData;
      data.combinator = promise.combinator;
      data.toleratesFailures = toleratesFailures;
      data.column = column;
      data.text = text;
      data.pending = false;
      pending.line = line;
    }
  }
  return undefined;
}

/** `promises = items.map(...)` or `const promises = items.map(...)`: a map awaited later, maybe. */
function isPendingTarget(entry: WalkEntry): boolean {
  const parent = entry.up?.node;
  return (parent?.type === 'VariableDeclarator' && entry.key === 'init') || (parent?.type === 'AssignmentExpression' && entry.key === 'right');
}

function enterPendingMap(entry: WalkEntry, node: Node & { type: 'CallExpression' }, state: SummaryState): ContextRecord | undefined {
  const parent = entry.up!.node as Node & { id?: Node; left?: Node };
  const target = parent.type === 'VariableDeclarator' ? parent.id : parent.left;
  if (target?.type !== 'Identifier') return undefined;
  const found = state.lookup(target.name, state.scope);
  if (!found) return undefined;
  const { line, column } = position(node);
  const callee = node.callee as Node & { object: Node };
  const created = record(
    { kind: 'map', combinator: 'all', column, text: state.textOf(node), ...readMap(callee.object, node.arguments[0] as Node, state), toleratesFailures: false, fn: state.fn, pending: true },
    line,
  );
  getFileState(state).pending.set(`${target.name}@${found.scope}`, created);
  return created;
}

/** `promises.push(send(item))` inside a loop: one call per element, all started before they are awaited. */
function enterPush(node: Node, callee: Node & { object: Node }, state: SummaryState): ContextRecord | undefined {
  const target = unwrapTypes(callee.object);
  if (target.type !== 'Identifier') return undefined;
  const found = state.lookup(target.name, state.scope);
  const loop = findOpenLoop(state);
  if (!found || !loop) return undefined;
  const loopData = loop.data as unknown as FanOutData;
  const { line, column } = position(node);
  const created = record(
    {
      kind: 'map',
      combinator: 'all',
      column,
      text: state.textOf(node),
      ...pick(loopData, ['collection', 'collectionSym', 'element', 'elementScope']),
      toleratesFailures: false,
      fn: state.fn,
      pending: true,
    },
    line,
  );
  getFileState(state).pending.set(`${target.name}@${found.scope}`, created);
  return created;
}

function enterLibrary(node: Node & { arguments: Node[] }, shape: LibraryShape, state: SummaryState): ContextRecord | undefined {
  const args = node.arguments as Node[];
  const { line, column } = position(node);
  const text = state.textOf(node);
  const limit: Pick<FanOutData, 'concurrency' | 'limitText'> = {};
  if (shape.kind === 'sequential-map') limit.concurrency = { k: 'num', v: 1 };
  if (shape.limitArg !== undefined && args[shape.limitArg]) {
    limit.concurrency = toSym(args[shape.limitArg], state);
    limit.limitText = state.textOf(args[shape.limitArg]);
  }
  const options = shape.optionsArg !== undefined ? args[shape.optionsArg] : undefined;
  if (options) {
    limit.concurrency = { k: 'get', obj: toSym(options, state), prop: 'concurrency' };
    limit.limitText = state.textOf(options);
  }
  if (shape.kind === 'parallel') {
    const list = args[shape.collection ?? 0] ? unwrapTypes(args[shape.collection ?? 0]) : undefined;
    if (list?.type !== 'ArrayExpression' || list.elements.length === 0 || list.elements.length > 40) return undefined;
    return record({ kind: 'parallel', combinator: shape.combinator, column, text, ...readBranches(list, state), ...limit, toleratesFailures: false, fn: state.fn }, line);
  }
  const collection = args[shape.collection ?? 0];
  const callback = args[shape.callback ?? 1];
  if (!collection || !isFunction(callback)) return undefined;
  return record({ kind: shape.kind, combinator: shape.combinator, column, text, ...readMap(collection, callback, state), ...limit, toleratesFailures: false, fn: state.fn }, line);
}

/** A library call by its import: `pMap(...)`, `Bluebird.map(...)`, `async.mapLimit(...)`, `import { mapLimit } from 'async'`. */
function getLibraryShape(callee: Node, state: SummaryState): LibraryShape | undefined {
  if (callee.type === 'Identifier') {
    const binding = state.lookup(callee.name, state.scope)?.value;
    if (binding?.k !== 'import') return undefined;
    const library = LIBRARIES[binding.source];
    return library?.[binding.name === '*' ? 'default' : binding.name];
  }
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const object = unwrapTypes(callee.object);
  if (object.type !== 'Identifier') return undefined;
  const binding = state.lookup(object.name, state.scope)?.value;
  if (binding?.k !== 'import' || (binding.name !== 'default' && binding.name !== '*')) return undefined;
  return LIBRARIES[binding.source]?.[callee.property.name];
}

/** `limit(() => send(x))` where `const limit = pLimit(5)`: the concurrency and where it is set. */
function getLimitOf(callee: Node, state: SummaryState): Pick<FanOutData, 'concurrency' | 'limitText'> | undefined {
  if (callee.type !== 'Identifier') return undefined;
  const binding = state.lookup(callee.name, state.scope)?.value;
  if (binding?.k !== 'call' || binding.callee.k !== 'ref') return undefined;
  const maker = state.lookup(binding.callee.name, binding.callee.scope)?.value;
  if (maker?.k !== 'import' || maker.source !== 'p-limit') return undefined;
  const concurrency = binding.args[0] ?? { k: 'unknown', text: 'no limit given' };
  const shown = concurrency.k === 'num' ? String(concurrency.v) : concurrency.k === 'ref' ? concurrency.name : '…';
  return { concurrency, limitText: `${binding.callee.name}(${shown})` };
}

/** The scope the loop declares its variable in: the body block's parent scope (the block has just opened its own). */
function getLoopScope(body: Node, state: SummaryState): number {
  return body.type === 'BlockStatement' ? state.scopes[state.scope].parent : state.scope;
}

function enterForOf(node: Node & { type: 'ForOfStatement' }, elementScope: number, state: SummaryState): ContextRecord {
  const { line, column } = position(node);
  const text = getHeaderText(state, node, node.body.start);
  const right = unwrapAwait(node.right);
  const element = node.left.type === 'VariableDeclaration' ? state.textOf(node.left.declarations[0]?.id ?? node.left, 60) : state.textOf(node.left, 60);
  if (right.type === 'CallExpression' && CHUNK_NAMES.test(getCalleeName(right.callee) ?? '') && right.arguments.length >= 2) {
    const [collection, size] = right.arguments as Node[];
    return record({ kind: 'batch', combinator: 'for-of', column, text, collection: state.textOf(collection), collectionSym: toSym(collection, state), element, elementScope, size: toSym(size, state), fn: state.fn }, line);
  }
  return dropUnlessAwaited(
    record(
      { kind: 'sequential-map', combinator: 'for-of', column, text, collection: state.textOf(right), collectionSym: toSym(right, state), element, elementScope, toleratesFailures: false, awaits: Boolean(node.await), fn: state.fn },
      line,
    ),
    state,
  );
}

/** `for (let i = 0; i < items.length; i++)` (sequential over `items`) or `i += 10` with `items.slice(i, i + 10)` (batches). */
function enterIndexLoop(node: Node & { type: 'ForStatement' }, state: SummaryState): ContextRecord | undefined {
  const test = node.test ? unwrapTypes(node.test) : undefined;
  if (test?.type !== 'BinaryExpression' || (test.operator !== '<' && test.operator !== '<=')) return undefined;
  const bound = getMemberPath(test.right);
  if (!bound?.endsWith('.length')) return undefined;
  const index = unwrapTypes(test.left);
  if (index.type !== 'Identifier') return undefined;
  const { line, column } = position(node);
  const text = getHeaderText(state, node, node.body.start);
  const collectionNode = (unwrapTypes(test.right) as Node & { object: Node }).object;
  const collection = state.textOf(collectionNode);
  const update = node.update ? unwrapTypes(node.update) : undefined;
  if (update?.type === 'AssignmentExpression' && update.operator === '+=') {
    return record({ kind: 'batch', combinator: 'for', column, text, collection, collectionSym: toSym(collectionNode, state), element: `${collection}.slice(${index.name}, …)`, size: toSym(update.right, state), fn: state.fn }, line);
  }
  return dropUnlessAwaited(
    record(
      { kind: 'sequential-map', combinator: 'for', column, text, collection, collectionSym: toSym(collectionNode, state), element: `${collection}[${index.name}]`, toleratesFailures: false, awaits: false, fn: state.fn },
      line,
    ),
    state,
  );
}

/** A loop that never awaits starts its calls one after the other without waiting: not a sequential map, nothing to keep. */
function dropUnlessAwaited(created: ContextRecord, state: SummaryState): ContextRecord {
  state.contextFinishers.set(created, () => (created.data as unknown as FanOutData).awaits === true);
  return created;
}

function noteAwait(state: SummaryState): void {
  const open = findOpenLoop(state);
  if (open) (open.data as unknown as FanOutData).awaits = true;
}

/** The innermost sequential loop being walked (its record is on the context stack), if it is in this function. */
function findOpenLoop(state: SummaryState): ContextRecord | undefined {
  const stack = state.contextStack;
  for (let i = stack.length - 1; i >= 0; i--) {
    const open = state.contexts[stack[i]];
    if (open.kind !== 'fan-out') continue;
    const data = open.data as unknown as FanOutData;
    if (data.kind !== 'sequential-map' || (data.combinator !== 'for-of' && data.combinator !== 'for')) continue;
    return data.fn === state.fn ? open : undefined;
  }
  return undefined;
}

/** Each element of a parallel list as written, and where it starts. */
function readBranches(list: Node & { type: 'ArrayExpression' }, state: SummaryState): Pick<FanOutData, 'branches' | 'branchStarts'> {
  const elements = list.elements.filter((element): element is NonNullable<typeof element> => element !== null);
  return {
    branches: elements.map((element) => state.textOf(element, 80)),
    branchStarts: elements.map((element) => [element.loc?.start.line ?? 0, (element.loc?.start.column ?? 0) + 1]),
  };
}

/** The collection, the element's name and the callback that receives it. */
function readMap(collection: Node, callback: Node, state: SummaryState): Pick<FanOutData, 'collection' | 'collectionSym' | 'element' | 'elementFn'> {
  const fn = unwrapTypes(callback) as Node & { params: Node[] };
  const first = fn.params?.[0];
  return {
    collection: state.textOf(collection),
    collectionSym: toSym(collection, state),
    ...(first ? { element: state.textOf(first, 60) } : {}),
    elementFn: state.getFunctionId(fn),
  };
}

function isMapCall(node: Node & { type: 'CallExpression' }): boolean {
  const callee = unwrapTypes(node.callee);
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    (callee.property.name === 'map' || callee.property.name === 'flatMap') &&
    isFunction(node.arguments[0] as Node | undefined)
  );
}

function isFunction(node: Node | undefined): boolean {
  const n = node && unwrapTypes(node);
  return n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';
}

function isCallLike(node: Node | undefined): boolean {
  const n = node && unwrapAwait(node);
  return n?.type === 'CallExpression';
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
