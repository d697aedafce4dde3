import { VISITOR_KEYS } from './visitor-keys.js';
import type { Node } from '@babel/types';
import type { CallRecord, ContextRecord, Sym } from '../types/summary.js';
import type { SummaryState } from './state.js';
import { bindPattern, getClassSym, getParamName, getPropertyName, isFunctionNode, toSym, unwrapExpression } from './to-sym.js';

/** A position in the walk: the node, the entry of its parent, and the parent's key holding it. */
export interface WalkEntry {
  node: Node;
  up: WalkEntry | null;
  key: string;
}

/**
 * A pattern analyzer's hook into the single walk: called on the nodes of the types it names (or whose parent is
 * of those types); a record it returns is pushed as a context of every call made inside that node (retry loops,
 * fan-outs, try/catch, conditions). Naming the types keeps the walk from calling every collector on every node.
 */
export interface ContextCollector {
  id: string;
  /** Node types to be called on. */
  nodeTypes?: readonly string[];
  /** Node types whose children to be called on (`IfStatement`: its test, consequent and alternate). */
  parentTypes?: readonly string[];
  enter(entry: WalkEntry, state: SummaryState): ContextRecord | undefined;
}

/** What the walk does with a node type, worked out once per type and set of collectors. */
interface TypeInfo {
  /** Nodes that hold only types: nothing in them runs. */
  skip: boolean;
  /** Collectors called on nodes of this type. */
  own: readonly ContextCollector[] | undefined;
  /** Collectors called on the children of nodes of this type. */
  forChildren: readonly ContextCollector[] | undefined;
  /** Keys that hold child nodes worth walking. */
  childKeys: readonly string[];
}

const dispatchCache = new WeakMap<readonly ContextCollector[], Map<string, TypeInfo>>();

function getTypeInfo(types: Map<string, TypeInfo>, collectors: readonly ContextCollector[], type: string): TypeInfo {
  let info = types.get(type);
  if (info) return info;
  const own = collectors.filter((collector) => collector.nodeTypes?.includes(type));
  const forChildren = collectors.filter((collector) => collector.parentTypes?.includes(type));
  info = { skip: TYPE_ONLY.has(type), own: own.length ? own : undefined, forChildren: forChildren.length ? forChildren : undefined, childKeys: getChildKeys(type) };
  types.set(type, info);
  return info;
}

/** Nodes that hold only types: nothing in them runs. */
const TYPE_ONLY = new Set([
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSDeclareMethod',
  'TSEnumDeclaration',
  'TSIndexSignature',
  'InterfaceDeclaration',
  'TypeAlias',
  'TypeAnnotation',
]);

const SCOPE_NODES = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'SwitchStatement',
  'CatchClause',
  'StaticBlock',
]);

/** Work to undo when the walk leaves a node (pop a scope, a function, a context); functions of the state, not closures. */
type Exit = (state: SummaryState) => void;

const popScope: Exit = (state) => state.popScope();
const popContext: Exit = (state) => state.contextStack.pop();
const popOwner: Exit = (state) => state.ownerStack.pop();

/** A node to enter, or (with `exits`) one to leave. */
interface WalkFrame extends WalkEntry {
  up: WalkFrame | null;
  info: TypeInfo | undefined;
  exits: Exit[] | undefined;
}

/**
 * Walk a program once, iteratively (no recursion, so deeply nested files cannot overflow the stack), filling the
 * state: bindings per scope, functions, calls, imports and exports, and the contexts collectors report.
 */
export function walkProgram(program: Node, state: SummaryState, collectors: readonly ContextCollector[]): void {
  let types = dispatchCache.get(collectors);
  if (!types) dispatchCache.set(collectors, (types = new Map()));
  const stack: WalkFrame[] = [{ node: program, up: null, key: 'program', info: undefined, exits: undefined }];
  // One list reused for every node: almost no node needs an exit, and a new list per node costs a tenth of the walk.
  const exits: Exit[] = [];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.exits) {
      for (let i = frame.exits.length - 1; i >= 0; i--) frame.exits[i](state);
      continue;
    }
    const node = frame.node;
    const info = getTypeInfo(types, collectors, node.type);
    if (info.skip) continue;
    frame.info = info;
    const callCount = state.calls.length;
    const skipChildren = enterNode(frame, state, exits);
    const own = info.own;
    const byParent = frame.up?.info?.forChildren;
    if (own) enterCollectors(own, frame, state, exits);
    // A collector named for both the node's type and its parent's is called once.
    if (byParent) {
      const depth = state.contextStack.length;
      enterCollectors(own ? byParent.filter((c) => !own.includes(c)) : byParent, frame, state, exits);
      // A record for a position (a branch of `c ? send(a) : send(b)`, the right of `c && send()`) holds the call that
      // stands in that position itself, recorded just before by enterNode.
      if (state.contextStack.length > depth) addPositionContexts(state, callCount, depth);
    }
    if (exits.length > 0) {
      stack.push({ node, up: frame.up, key: frame.key, info: undefined, exits: exits.slice() });
      exits.length = 0;
    }
    if (skipChildren) continue;
    pushChildren(frame, info.childKeys, stack);
  }
}

function addPositionContexts(state: SummaryState, firstCall: number, depth: number): void {
  const added = state.contextStack.slice(depth);
  for (let i = firstCall; i < state.calls.length; i++) {
    const call = state.calls[i];
    call.contexts = [...(call.contexts ?? []), ...added];
  }
}

function enterCollectors(collectors: readonly ContextCollector[], frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  for (const collector of collectors) {
    const record = collector.enter(frame, state);
    if (!record) continue;
    state.contexts.push(record);
    state.contextStack.push(state.contexts.length - 1);
    exits.push(popContext);
  }
}

/** Child keys per node type, without the ones that never hold code we walk (types, labels, declared ids). */
const CHILD_KEYS = new Map<string, readonly string[]>();
const NEVER_WALKED = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'id', 'label', 'decorators']);

/** The keys of a node type that hold child nodes worth walking (no types, labels or declared ids). */
export function getChildKeys(type: string): readonly string[] {
  let keys = CHILD_KEYS.get(type);
  if (!keys) {
    keys = (VISITOR_KEYS[type] ?? []).filter((key) => !NEVER_WALKED.has(key));
    CHILD_KEYS.set(type, keys);
  }
  return keys;
}

function pushChildren(frame: WalkFrame, keys: readonly string[], stack: WalkFrame[]): void {
  const node = frame.node as unknown as Record<string, unknown>;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if ((key === 'params' || key === 'param' || key === 'left' || key === 'key') && isBindingKey(frame.node, key)) continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (let j = child.length - 1; j >= 0; j--) {
        const item = child[j] as Node | null;
        if (item && typeof item.type === 'string') stack.push({ node: item, up: frame, key, info: undefined, exits: undefined });
      }
    } else if (child && typeof (child as Node).type === 'string') {
      stack.push({ node: child as Node, up: frame, key, info: undefined, exits: undefined });
    }
  }
}

/** Binding patterns (declared names, parameters) are handled by `bindPattern`; walking them would count declarations as references. */
function isBindingKey(node: Node, key: string): boolean {
  if (key === 'typeAnnotation' || key === 'returnType' || key === 'typeParameters' || key === 'typeArguments') return true;
  if (key === 'id') return true;
  if (key === 'params') return isFunctionNode(node);
  if (key === 'param') return node.type === 'CatchClause';
  if (key === 'left') return (node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type === 'VariableDeclaration';
  if (key === 'key') return !(node as { computed?: boolean }).computed;
  if (key === 'label') return true;
  return false;
}

/** Returns true when the node's children must not be walked. */
function enterNode(frame: WalkEntry, state: SummaryState, exits: Exit[]): boolean {
  const node = frame.node;
  const parent = frame.up?.node;
  switch (node.type) {
    case 'ImportDeclaration':
      enterImport(node, state);
      return true;
    case 'ExportNamedDeclaration':
      return enterExportNamed(node, state);
    case 'ExportAllDeclaration':
      if (node.exportKind === 'type') return true;
      state.imports.push({ local: '', source: node.source.value, imported: '*', line: node.loc?.start.line ?? 0 });
      state.reexportAll.push(node.source.value);
      return true;
    case 'ExportDefaultDeclaration':
      enterExportDefault(node, state, exits);
      return false;
    case 'TSExportAssignment':
      state.exports['module.exports'] = toSym(node.expression, state);
      return false;
    case 'TSImportEqualsDeclaration':
      if (node.moduleReference.type === 'TSExternalModuleReference') {
        const source = node.moduleReference.expression.value;
        state.imports.push({ local: node.id.name, source, imported: '*', line: node.loc?.start.line ?? 0 });
        state.declare(node.id.name, { k: 'import', source, name: '*' }, 0);
      }
      return true;
    case 'VariableDeclarator':
      enterDeclarator(frame, state, exits);
      return false;
    case 'FunctionDeclaration':
      if (node.id) state.declare(node.id.name, { k: 'fn', id: state.getFunctionId(node) });
      enterFunction(frame, state, exits);
      return false;
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      enterFunction(frame, state, exits);
      return false;
    case 'ClassDeclaration':
    case 'ClassExpression':
      enterClass(frame, state, exits);
      return false;
    case 'AssignmentExpression':
      enterAssignment(frame, state, exits);
      return false;
    case 'CallExpression':
    case 'OptionalCallExpression':
      enterCall(frame, state);
      return false;
    case 'NewExpression':
      enterNew(frame, state);
      return false;
    case 'ImportExpression':
      if (node.source.type === 'StringLiteral') {
        state.imports.push({ local: '', source: node.source.value, imported: '*', line: node.loc?.start.line ?? 0 });
      }
      return false;
    case 'ReturnStatement':
      if (state.fn >= 0 && node.argument) addReturn(state, toSym(node.argument, state));
      return false;
    case 'BlockStatement':
      if (parent && isFunctionNode(parent)) return false;
      state.pushScope();
      exits.push(popScope);
      return false;
    case 'Identifier':
      if (isReference(frame)) state.addRef(node.name);
      return false;
    default:
      if (SCOPE_NODES.has(node.type)) enterScopeNode(frame, state, exits);
      return false;
  }
}

function enterImport(node: Node & { type: 'ImportDeclaration' }, state: SummaryState): void {
  if (node.importKind === 'type') return;
  const source = node.source.value;
  const line = node.loc?.start.line ?? 0;
  if (node.specifiers.length === 0) state.imports.push({ local: '', source, imported: '*', line });
  for (const specifier of node.specifiers) {
    let imported: string;
    if (specifier.type === 'ImportDefaultSpecifier') imported = 'default';
    else if (specifier.type === 'ImportNamespaceSpecifier') imported = '*';
    else {
      if (specifier.importKind === 'type') continue;
      imported = getPropertyName(specifier.imported, false) ?? specifier.local.name;
    }
    state.imports.push({ local: specifier.local.name, source, imported, line });
    state.declare(specifier.local.name, { k: 'import', source, name: imported }, 0);
  }
}

function enterExportNamed(node: Node & { type: 'ExportNamedDeclaration' }, state: SummaryState): boolean {
  if (node.exportKind === 'type') return true;
  const line = node.loc?.start.line ?? 0;
  if (node.source) {
    const source = node.source.value;
    state.imports.push({ local: '', source, imported: '*', line });
    for (const specifier of node.specifiers) {
      const exported = getPropertyName(specifier.exported, false);
      if (!exported) continue;
      if (specifier.type === 'ExportNamespaceSpecifier') state.exports[exported] = { k: 'import', source, name: '*' };
      else if (specifier.type === 'ExportDefaultSpecifier') state.exports[exported] = { k: 'import', source, name: 'default' };
      else state.exports[exported] = { k: 'import', source, name: specifier.local.name };
    }
    return true;
  }
  for (const specifier of node.specifiers) {
    if (specifier.type !== 'ExportSpecifier' || specifier.exportKind === 'type') continue;
    const exported = getPropertyName(specifier.exported, false);
    if (exported) state.exports[exported] = { k: 'ref', name: specifier.local.name, scope: 0 };
  }
  const declaration = node.declaration;
  if (declaration) {
    for (const name of getDeclaredNames(declaration)) state.exports[name] = { k: 'ref', name, scope: 0 };
  }
  return false;
}

function getDeclaredNames(declaration: Node): string[] {
  if (declaration.type === 'VariableDeclaration') {
    return declaration.declarations.flatMap((declarator) => getPatternNames(declarator.id));
  }
  if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
    return [declaration.id.name];
  }
  return [];
}

function getPatternNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => getPatternNames(p.type === 'RestElement' ? p.argument : (p.value as Node)));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? getPatternNames(e) : []));
    case 'AssignmentPattern':
      return getPatternNames(pattern.left);
    case 'RestElement':
      return getPatternNames(pattern.argument);
    default:
      return [];
  }
}

function enterExportDefault(
  node: Node & { type: 'ExportDefaultDeclaration' },
  state: SummaryState,
  exits: Exit[],
): void {
  const declaration = node.declaration;
  if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
    state.exports.default = { k: 'ref', name: declaration.id.name, scope: 0 };
  } else if (declaration.type === 'FunctionDeclaration') {
    state.exports.default = { k: 'fn', id: state.getFunctionId(declaration) };
  } else if (declaration.type === 'ClassDeclaration') {
    state.exports.default = getClassSym(declaration, state);
  } else {
    state.exports.default = toSym(declaration, state);
  }
  state.ownerStack.push('default');
  exits.push(popOwner);
}

function enterDeclarator(frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  const node = frame.node as Node & { type: 'VariableDeclarator' };
  const declaration = frame.up?.node;
  const loop = frame.up?.up?.node;
  // `for (const x of xs)`: bound by the loop itself.
  if ((loop?.type === 'ForOfStatement' || loop?.type === 'ForInStatement') && loop.left === declaration) return;
  const isVar = declaration?.type === 'VariableDeclaration' && declaration.kind === 'var';
  const scope = isVar ? state.varScopeStack[state.varScopeStack.length - 1] : state.scope;
  const value = toSym(node.init, state);
  bindPattern(node.id, value, (name, v) => state.declare(name, v, scope), state);
  if (state.fn === -1 && node.id.type === 'Identifier' && node.init) {
    state.ownerStack.push(node.id.name);
    exits.push(popOwner);
  }
}

function enterScopeNode(frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  const node = frame.node;
  state.pushScope();
  exits.push(popScope);
  if ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type === 'VariableDeclaration') {
    const element: Sym = node.type === 'ForOfStatement' ? { k: 'elem', of: toSym(node.right, state) } : { k: 'unknown', text: 'for-in key' };
    for (const declarator of node.left.declarations) {
      bindPattern(declarator.id, element, (name, v) => state.declare(name, v), state);
    }
  }
  if (node.type === 'CatchClause' && node.param) {
    bindPattern(node.param, { k: 'unknown', text: 'caught error' }, (name, v) => state.declare(name, v), state);
  }
}

function enterFunction(frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  const node = frame.node as Node & { params: Node[]; body: Node };
  const id = state.getFunctionId(node);
  const record = state.functions[id];
  record.name = inferFunctionName(frame, state);
  record.parent = state.fn;
  record.params = node.params.map((param) => getParamName(param));
  if (state.fn === -1 && state.ownerStack.length > 0) record.owner = state.ownerStack[state.ownerStack.length - 1];
  state.fnStack.push(id);
  const scope = state.pushScope();
  state.varScopeStack.push(scope);
  exits.push(exitFunction);
  if (node.type === 'FunctionExpression' && node.id) state.declare(node.id.name, { k: 'fn', id });
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') {
    const classThis = state.classThisStack[state.classThisStack.length - 1];
    if (classThis) state.declare('this', classThis);
  }
  node.params.forEach((param, index) => {
    bindPattern(param, { k: 'param', fn: id, index }, (name, v) => state.declare(name, v), state);
  });
  if (node.type === 'ArrowFunctionExpression' && node.body.type !== 'BlockStatement') {
    addReturn(state, toSym(node.body, state));
  }
}

const exitFunction: Exit = (state) => {
  state.varScopeStack.pop();
  state.popScope();
  state.fnStack.pop();
};

/** A readable name for a function: its own, or what it is assigned to. */
function inferFunctionName(frame: WalkEntry, state: SummaryState): string {
  const node = frame.node as Node & { id?: { name: string } | null; key?: Node; computed?: boolean };
  if (node.id?.name) return node.id.name;
  if ((node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') && node.key) {
    const name = getPropertyName(node.key, Boolean(node.computed)) ?? '<computed>';
    const className = state.classNameStack[state.classNameStack.length - 1];
    return node.type === 'ObjectMethod' || !className ? name : `${className}.${name}`;
  }
  let up = frame.up;
  while (up && (up.node.type === 'TSAsExpression' || up.node.type === 'TSSatisfiesExpression' || up.node.type === 'ParenthesizedExpression')) {
    up = up.up;
  }
  const parent = up?.node;
  if (!parent) return '<anonymous>';
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent.type === 'ObjectProperty') return getPropertyName(parent.key, parent.computed) ?? '<anonymous>';
  if (parent.type === 'ClassProperty' || parent.type === 'ClassPrivateProperty') {
    return getPropertyName(parent.key, Boolean((parent as { computed?: boolean }).computed)) ?? '<anonymous>';
  }
  if (parent.type === 'AssignmentExpression' && parent.left.type === 'MemberExpression') {
    return getPropertyName(parent.left.property, parent.left.computed) ?? '<anonymous>';
  }
  if (parent.type === 'ExportDefaultDeclaration') return 'default';
  if ((parent.type === 'CallExpression' || parent.type === 'OptionalCallExpression') && up?.key === 'arguments') {
    const callee = state.textOf(parent.callee, 40);
    return `<callback of ${callee}>`;
  }
  return '<anonymous>';
}

function enterClass(frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  const node = frame.node as Node & { type: 'ClassDeclaration' | 'ClassExpression' };
  const classSym = getClassSym(node, state);
  const name = node.id?.name ?? inferClassName(frame);
  if (node.type === 'ClassDeclaration' && node.id) state.declare(node.id.name, classSym);
  state.classStack.push(classSym);
  // `this` in its methods: the class by name (one shared value, small in the summary), else the class itself.
  state.classThisStack.push(node.type === 'ClassDeclaration' && node.id ? { k: 'ref', name: node.id.name, scope: state.scope } : classSym);
  state.classNameStack.push(name);
  const owner = state.fn === -1 && node.type === 'ClassDeclaration' && node.id;
  if (owner) state.ownerStack.push(node.id!.name);
  exits.push(exitClass);
  if (owner) exits.push(popOwner);
}

const exitClass: Exit = (state) => {
  state.classStack.pop();
  state.classThisStack.pop();
  state.classNameStack.pop();
};

function inferClassName(frame: WalkEntry): string {
  const parent = frame.up?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return '<class>';
}

function enterAssignment(frame: WalkEntry, state: SummaryState, exits: Exit[]): void {
  const node = frame.node as Node & { type: 'AssignmentExpression' };
  if (node.operator !== '=' && node.operator !== '??=' && node.operator !== '||=') return;
  const left = node.left;
  if (left.type === 'Identifier') {
    state.writes.push({ name: left.name, scope: state.scope, value: toSym(node.right, state) });
    return;
  }
  if (left.type !== 'MemberExpression') return;
  const prop = getPropertyName(left.property, left.computed);
  if (prop === undefined) return;
  const object = unwrapExpression(left.object);
  const isModule = object.type === 'Identifier' && object.name === 'module' && prop === 'exports';
  if (isModule) {
    state.exports['module.exports'] = toSym(node.right, state);
    if (state.fn === -1) {
      state.ownerStack.push('module.exports');
      exits.push(popOwner);
    }
    return;
  }
  const isExportsObject =
    (object.type === 'Identifier' && object.name === 'exports') ||
    (object.type === 'MemberExpression' &&
      object.object.type === 'Identifier' &&
      object.object.name === 'module' &&
      getPropertyName(object.property, object.computed) === 'exports');
  if (isExportsObject) {
    state.exports[prop] = toSym(node.right, state);
    if (state.fn === -1) {
      state.ownerStack.push(`exports.${prop}`);
      exits.push(popOwner);
    }
    return;
  }
  if (object.type === 'ThisExpression') {
    const classSym = state.classStack[state.classStack.length - 1];
    if (classSym && classSym.props.length < 80) classSym.props.push({ key: prop, value: toSym(node.right, state) });
  }
}

function enterCall(frame: WalkEntry, state: SummaryState): void {
  const node = frame.node as Node & { type: 'CallExpression' | 'OptionalCallExpression' };
  const callee = node.callee;
  if (callee.type === 'Identifier' && callee.name === 'require') {
    const arg = node.arguments[0];
    if (arg?.type === 'StringLiteral') {
      state.imports.push({ local: '', source: arg.value, imported: '*', line: node.loc?.start.line ?? 0 });
    }
    return;
  }
  if (callee.type === 'Import') {
    const arg = node.arguments[0];
    if (arg?.type === 'StringLiteral') {
      state.imports.push({ local: '', source: arg.value, imported: '*', line: node.loc?.start.line ?? 0 });
    }
    return;
  }
  if (state.calls.length >= 20_000 || isGlobalCall(callee, state)) return;
  state.calls.push(toCallRecord(frame, node, toSym(callee, state), state, true));
}

/** A call (or a constructor call) with its arguments and, for calls, the contexts around it. */
function toCallRecord(frame: WalkEntry, node: Node & { arguments: Node[] }, callee: Sym, state: SummaryState, withContexts: boolean): CallRecord {
  const call: CallRecord = {
    callee,
    args: node.arguments.slice(0, 8).map((arg) => toSym(arg, state)),
    argText: [],
    fn: state.fn,
    line: node.loc?.start.line ?? 0,
    column: (node.loc?.start.column ?? 0) + 1,
    text: '',
    ...(withContexts && state.contextStack.length > 0 ? { contexts: [...state.contextStack] } : {}),
    resultUsed: isResultUsed(frame),
  };
  // Source texts are cut only for the calls the summary keeps (see summarize-file.ts).
  state.callNodes.set(call, node);
  return call;
}

/**
 * `new Publisher(sqs, process.env.QUEUE_URL)` of a class of the project: recorded as a call of its constructor
 * (`Publisher.constructor(...)`), so that a target injected through a constructor parameter and kept in a field
 * (`this.queueUrl`) is followed to the code that creates the instance. SDK clients and commands, and globals, are not.
 */
function enterNew(frame: WalkEntry, state: SummaryState): void {
  const node = frame.node as Node & { type: 'NewExpression' };
  const callee = node.callee;
  if (callee.type !== 'Identifier' || state.constructions.length >= 2_000) return;
  const found = state.lookup(callee.name, state.scope);
  if (!found) return;
  const value = found.value;
  if (value.k === 'import' && /^(@aws-sdk\/|aws-sdk|node:)/.test(value.source)) return;
  if (value.k !== 'obj' && value.k !== 'import') return;
  state.constructions.push(toCallRecord(frame, node, { k: 'get', obj: toSym(callee, state), prop: 'constructor' }, state, false));
}

/** A call whose value is dropped (`await send(x);`) versus one whose result flows somewhere. */
function isResultUsed(frame: WalkEntry): boolean {
  let up = frame.up;
  let key = frame.key;
  let node = frame.node;
  for (;;) {
    if (up && (up.node.type === 'AwaitExpression' || up.node.type === 'ParenthesizedExpression' || up.node.type === 'TSNonNullExpression')) {
      key = up.key;
      node = up.node;
      up = up.up;
      continue;
    }
    // SDK v2: `lambda.invoke(params).promise()` hands on the same result.
    const member = up?.node;
    const call = up?.up;
    if (member?.type === 'MemberExpression' && !member.computed && member.property.type === 'Identifier' && member.property.name === 'promise' && call?.node.type === 'CallExpression' && up?.key === 'callee') {
      key = call.key;
      node = call.node;
      up = call.up;
      continue;
    }
    break;
  }
  if (!up) return false;
  if (up.node.type === 'ExpressionStatement') return false;
  if (up.node.type === 'UnaryExpression' && up.node.operator === 'void') return false;
  if (up.node.type === 'SequenceExpression') return key === 'expressions' && up.node.expressions[up.node.expressions.length - 1] === node;
  return true;
}

/** Whether an Identifier is read as a value here (not a property name, key, label or declaration). */
export function isReference(frame: WalkEntry): boolean {
  const parent = frame.up?.node;
  if (!parent) return false;
  const key = frame.key;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return key !== 'property' || parent.computed;
    case 'ObjectProperty':
      return key === 'value' || parent.computed;
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassMethod':
    case 'ObjectMethod':
      return key !== 'key' || Boolean((parent as { computed?: boolean }).computed);
    case 'ExportSpecifier':
      return key === 'local';
    case 'MetaProperty':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    default:
      return true;
  }
}

/** Values a return can usefully carry for linking: clients, names, functions, objects of them. */
function addReturn(state: SummaryState, value: Sym): void {
  const returns = state.functions[state.fn].returns;
  if (returns.length >= 4) return;
  if (value.k === 'unknown' || value.k === 'bool' || value.k === 'num' || value.k === 'nil' || value.k === 'arr') return;
  if (value.k === 'obj' && value.props.length > 12) return;
  returns.push(value);
}

/** Built-ins whose calls never lead to an SDK call or to project code (unless the name is rebound locally). */
const GLOBAL_CALLEES = new Set([
  'console', 'JSON', 'Math', 'Object', 'Array', 'Promise', 'Number', 'String', 'Boolean', 'Date', 'Reflect',
  'Symbol', 'BigInt', 'Buffer', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'setImmediate',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI',
  'decodeURI', 'structuredClone', 'crypto', 'URL', 'URLSearchParams', 'Error', 'TypeError', 'RangeError',
  'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Intl', 'TextEncoder', 'TextDecoder', 'queueMicrotask',
]);

function isGlobalCall(callee: Node, state: SummaryState): boolean {
  let root: Node = callee;
  while (root.type === 'MemberExpression' || root.type === 'OptionalMemberExpression' || root.type === 'CallExpression') {
    root = root.type === 'CallExpression' ? root.callee : root.object;
  }
  return root.type === 'Identifier' && GLOBAL_CALLEES.has(root.name) && state.lookup(root.name, state.scope) === undefined;
}
