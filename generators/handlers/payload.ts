import { posix } from 'node:path';
import { Node, ts, type CallExpression, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { asOperand, findImportBinding, parseSource, skipParentheses } from './source.js';

/**
 * What a moved call hands to its target, as code the refactored handler can return instead: the payload of an SDK
 * call (`Payload`, `MessageBody`, `Message`, `Detail`, `input`, decoded), or the argument a project wrapper
 * (`invokeFunction(name, payload)`) passes on as the payload. Also whether the target is static.
 */
export interface CallPayload {
  /** The payload as code at the call site (JSON encoding removed: the workflow passes JSON values). */
  text: string;
  /** The node of the call site the payload text comes from, when it is one node of the call site. */
  node?: Node;
  /** The expression the caller awaits: the call itself, or `.promise()` on it (SDK v2). */
  awaited: Node;
  /** The target as written, when it is not a literal, a constant or an environment variable: the call cannot move. */
  dynamicTarget?: string;
  /** The result type the caller declared (`invokeFunction<PaymentResult>`), when known. */
  resultType?: string;
  /** The SDK operation when the call is the SDK's own (its result is the raw response: `Payload` bytes to decode). */
  sdkOperation?: string;
}

export type PayloadResult = { ok: true; payload: CallPayload } | { ok: false; reason: string; hint: string };

/** Loads a module of the analysed project that a handler imports (read-only; undefined when it is not in the project). */
export type ModuleLoader = (fromFile: string, specifier: string) => { file: string; source: SourceFile } | undefined;

interface OperationShape {
  /** The request property that carries the payload, and for batches the entries property. */
  payload: string;
  entries?: string;
  target: string;
}

const OPERATIONS: Record<string, OperationShape> = {
  invoke: { payload: 'Payload', target: 'FunctionName' },
  invokeAsync: { payload: 'InvokeArgs', target: 'FunctionName' },
  invokeWithResponseStream: { payload: 'Payload', target: 'FunctionName' },
  sendMessage: { payload: 'MessageBody', target: 'QueueUrl' },
  sendMessageBatch: { payload: 'MessageBody', entries: 'Entries', target: 'QueueUrl' },
  publish: { payload: 'Message', target: 'TopicArn' },
  publishBatch: { payload: 'Message', entries: 'PublishBatchRequestEntries', target: 'TopicArn' },
  putEvents: { payload: 'Detail', entries: 'Entries', target: 'EventBusName' },
  startExecution: { payload: 'input', target: 'stateMachineArn' },
  startSyncExecution: { payload: 'input', target: 'stateMachineArn' },
};

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** `new InvokeCommand({...})` → `invoke` and the request; `lambda.invoke({...})` → the same. */
function getSdkRequest(call: CallExpression): { operation: string; request: Node | undefined } | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const first = call.getArguments()[0];
  if (method === 'send' && first) {
    const command = skipParentheses(resolveConst(first));
    if (Node.isNewExpression(command)) {
      const name = command.getExpression().getText().replace(/^.*\./, '');
      const operation = lowerFirst(name.replace(/Command$/, ''));
      if (OPERATIONS[operation]) return { operation, request: command.getArguments()[0] };
    }
    return undefined;
  }
  if (OPERATIONS[method]) return { operation: method, request: first };
  return undefined;
}

/** An identifier declared `const x = <init>` in an enclosing scope: its initializer; else the node itself. */
export function resolveConst(node: Node): Node {
  const bare = skipParentheses(node);
  if (!Node.isIdentifier(bare)) return bare;
  const declaration = findConstDeclaration(bare);
  const init = declaration?.getInitializer();
  return init ?? bare;
}

function findConstDeclaration(identifier: Node) {
  const name = identifier.getText();
  for (const scope of identifier.getAncestors()) {
    if (!Node.isBlock(scope) && !Node.isSourceFile(scope)) continue;
    for (const statement of scope.getStatements()) {
      if (!Node.isVariableStatement(statement) || statement.getDeclarationKind() !== 'const') continue;
      if (statement.getStart() > identifier.getStart()) continue;
      const declaration = statement.getDeclarations().find((candidate) => candidate.getName() === name);
      if (declaration) return declaration;
    }
  }
  return undefined;
}

function getProperty(object: ObjectLiteralExpression, name: string): Node | undefined {
  const property = object.getProperty(name);
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

/** Strips the encodings a payload goes through before the SDK: `JSON.stringify`, `Buffer.from`, `TextEncoder#encode`, `fromUtf8`. */
export function unwrapEncoding(node: Node): Node {
  let current = skipParentheses(node);
  for (;;) {
    const resolved = skipParentheses(resolveLocalConst(current));
    if (resolved !== current && Node.isCallExpression(resolved) && isEncodingCall(resolved)) {
      current = resolved;
      continue;
    }
    if (!Node.isCallExpression(current) || !isEncodingCall(current)) return current;
    const argument = current.getArguments()[0];
    if (!argument) return current;
    current = skipParentheses(argument);
  }
}

/** A constant of the same function (not of the module: those are configuration, kept as they are). */
function resolveLocalConst(node: Node): Node {
  if (!Node.isIdentifier(node)) return node;
  const declaration = findConstDeclaration(node);
  if (!declaration || Node.isSourceFile(declaration.getVariableStatement()?.getParent())) return node;
  return declaration.getInitializer() ?? node;
}

function isEncodingCall(call: CallExpression): boolean {
  const callee = call.getExpression().getText();
  if (callee === 'JSON.stringify' || callee === 'Buffer.from' || callee === 'fromUtf8' || callee === 'toUtf8') return true;
  if (callee.endsWith('.encode')) return /TextEncoder|encoder/i.test(callee) || /new TextEncoder\(\)/.test(callee);
  return false;
}

/** Whether a target expression names one thing: a literal, a constant, an environment variable, or a template of those. */
export function isStaticTarget(node: Node, depth = 0): boolean {
  if (depth > 8) return false;
  const bare = skipParentheses(node);
  if (Node.isStringLiteral(bare) || Node.isNoSubstitutionTemplateLiteral(bare)) return true;
  if (Node.isTemplateExpression(bare)) return bare.getTemplateSpans().every((span) => isStaticTarget(span.getExpression(), depth + 1));
  if (Node.isPropertyAccessExpression(bare) && /^process\.env\.\w+$/.test(bare.getText())) return true;
  if (Node.isElementAccessExpression(bare) && /^process\.env$/.test(bare.getExpression().getText())) {
    const argument = bare.getArgumentExpression();
    return argument !== undefined && (Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument));
  }
  if (Node.isBinaryExpression(bare) && ['??', '||', '+'].includes(bare.getOperatorToken().getText())) return isStaticTarget(bare.getLeft(), depth + 1) && isStaticTarget(bare.getRight(), depth + 1);
  if (Node.isIdentifier(bare)) {
    const declaration = findConstDeclaration(bare);
    const init = declaration?.getInitializer();
    return init !== undefined && isStaticTarget(init, depth + 1);
  }
  return false;
}

/** Reads the payload of the call: an SDK call of the client, or a call of a wrapper defined in the project. */
export function getCallPayload(call: CallExpression, file: string, loadModule: ModuleLoader): PayloadResult {
  const awaited = getAwaited(call);
  const sdk = getSdkRequest(call);
  if (sdk) return getSdkPayload(call, sdk.operation, sdk.request, awaited);
  return getWrapperPayload(call, file, loadModule, awaited);
}

/** SDK v2 calls are awaited through `.promise()`. */
function getAwaited(call: CallExpression): Node {
  const parent = call.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getName() === 'promise') {
    const outer = parent.getParent();
    if (Node.isCallExpression(outer)) return outer;
  }
  return call;
}

function getSdkPayload(call: CallExpression, operation: string, requestNode: Node | undefined, awaited: Node): PayloadResult {
  const shape = OPERATIONS[operation]!;
  const request = requestNode ? skipParentheses(resolveConst(requestNode)) : undefined;
  if (!request || !Node.isObjectLiteralExpression(request)) {
    return { ok: false, reason: `the request of the ${operation} call is not an object literal`, hint: 'write the request as an object literal at the call, then run lambda2sfn again' };
  }
  if (shape.entries) return getBatchPayload(request, shape, awaited, operation);
  const target = getProperty(request, shape.target);
  if (target && !isStaticTarget(target)) return dynamic(target, call);
  const payload = getProperty(request, shape.payload);
  if (!payload) return { ok: true, payload: { text: 'null', awaited } };
  const value = unwrapEncoding(payload);
  return { ok: true, payload: { text: value.getText(), node: value, awaited, sdkOperation: operation } };
}

function getBatchPayload(request: ObjectLiteralExpression, shape: OperationShape, awaited: Node, operation: string): PayloadResult {
  const top = getProperty(request, shape.target);
  if (top && !isStaticTarget(top)) return dynamic(top, request);
  const entries = getProperty(request, shape.entries!);
  const list = entries ? skipParentheses(resolveConst(entries)) : undefined;
  const entryPayload = (entry: Node): Node | undefined => {
    const object = skipParentheses(entry);
    if (!Node.isObjectLiteralExpression(object)) return undefined;
    const target = getProperty(object, shape.target);
    if (target && !isStaticTarget(target)) return undefined;
    const payload = getProperty(object, shape.payload);
    return payload ? unwrapEncoding(payload) : undefined;
  };
  if (list && Node.isArrayLiteralExpression(list)) {
    const items = list.getElements().map(entryPayload);
    if (items.every((item) => item !== undefined)) {
      const text = items.length === 1 ? items[0]!.getText() : `[${items.map((item) => item!.getText()).join(', ')}]`;
      return { ok: true, payload: { text, ...(items.length === 1 ? { node: items[0]! } : {}), awaited } };
    }
  }
  if (list && Node.isCallExpression(list)) {
    const callee = list.getExpression();
    const mapper = list.getArguments()[0];
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'map' && mapper && Node.isArrowFunction(mapper)) {
      const body = mapper.getBody();
      const value = Node.isBlock(body) ? undefined : entryPayload(body);
      if (value) {
        const params = mapper.getParameters().map((parameter) => parameter.getText()).join(', ');
        const text = value.getText() === mapper.getParameters()[0]?.getName() ? callee.getExpression().getText() : `${callee.getExpression().getText()}.map((${params}) => ${value.getText()})`;
        return { ok: true, payload: { text, awaited } };
      }
    }
  }
  return { ok: false, reason: `the entries of the ${operation} call are not written as a list or a map over an array`, hint: 'write the entries as an array literal or `items.map((item) => ({ ... }))`' };
}

function dynamic(target: Node, at: Node): PayloadResult {
  return {
    ok: false,
    reason: `the target ${target.getText()} is computed at run time (line ${at.getStartLineNumber()})`,
    hint: 'a workflow state needs a fixed target: call one function per case, or add a Choice by hand',
  };
}

interface WrapperShape {
  /** Index of the parameter carrying the payload, or the payload as code over the parameters. */
  payload: Node;
  params: string[];
  targetParam?: number;
  /** The wrapper's SDK call has a static target of its own (`invokeFunction` with a fixed name). */
}

function getWrapperPayload(call: CallExpression, file: string, loadModule: ModuleLoader, awaited: Node): PayloadResult {
  const callee = call.getExpression();
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
  if (!name) return { ok: false, reason: `the call ${callee.getText()} is not an SDK call nor a named wrapper`, hint: 'call the SDK or a named function of the project' };
  const wrapper = findWrapper(call, name, file, loadModule);
  if (!wrapper) {
    return { ok: false, reason: `the wrapper ${name} is not defined in the project, so its payload is not known`, hint: 'call the SDK directly, or keep the wrapper in the project' };
  }
  const shape = getWrapperShape(wrapper);
  if (!shape) return { ok: false, reason: `the wrapper ${name} does not pass one of its parameters as the payload of an SDK call`, hint: 'make the wrapper take the payload as a parameter' };
  const args = call.getArguments();
  if (shape.targetParam !== undefined) {
    const target = args[shape.targetParam];
    if (target && !isStaticTarget(target)) return dynamic(target, call);
  }
  const substitution = new Map<string, Node>();
  shape.params.forEach((param, index) => {
    const argument = args[index];
    if (argument) substitution.set(param, argument);
  });
  const text = substituteIdentifiers(shape.payload, substitution);
  if (text === undefined) return { ok: false, reason: `the payload of ${name} is built from values inside the wrapper`, hint: 'pass the payload to the wrapper as a parameter' };
  const typeArgument = call.getTypeArguments()[0];
  const direct = Node.isIdentifier(shape.payload) ? args[shape.params.indexOf(shape.payload.getText())] : undefined;
  return {
    ok: true,
    payload: {
      text: direct ? unwrapEncoding(direct).getText() : text,
      ...(direct ? { node: unwrapEncoding(direct) } : {}),
      awaited,
      ...(typeArgument ? { resultType: typeArgument.getText() } : {}),
    },
  };
}

/** Replaces each parameter name in `node` by the argument given for it; undefined when `node` reads another local of the wrapper. */
export function substituteIdentifiers(node: Node, substitution: ReadonlyMap<string, Node>): string | undefined {
  const text = node.getText();
  const base = node.getStart();
  const edits: { start: number; end: number; text: string }[] = [];
  const identifiers = Node.isIdentifier(node) ? [node] : node.getDescendantsOfKind(ts.SyntaxKind.Identifier);
  for (const identifier of identifiers) {
    const parent = identifier.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) continue;
    if (Node.isPropertyAssignment(parent) && parent.getNameNode() === identifier) continue;
    const replacement = substitution.get(identifier.getText());
    if (!replacement) {
      if (isWrapperLocal(identifier)) return undefined;
      continue;
    }
    const replacementText = replacement.getText();
    if (replacementText === identifier.getText()) continue;
    const start = identifier.getStart() - base;
    const end = identifier.getEnd() - base;
    if (Node.isShorthandPropertyAssignment(parent)) edits.push({ start, end, text: `${identifier.getText()}: ${replacementText}` });
    else edits.push({ start, end, text: Node.isPropertyAccessExpression(parent) ? asOperand(replacementText, skipParentheses(replacement)) : replacementText });
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** Whether an identifier names a variable declared inside the function around it (not a module-level name, not a global). */
function isWrapperLocal(identifier: Node): boolean {
  const fn = identifier.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor));
  if (!fn) return false;
  const name = identifier.getText();
  return fn.getDescendants().some((node) => (Node.isVariableDeclaration(node) || Node.isParameterDeclaration(node) || Node.isBindingElement(node)) && node.getName() === name);
}

/** The wrapper's function node: declared in the same file, or imported from a module of the project. */
function findWrapper(call: CallExpression, name: string, file: string, loadModule: ModuleLoader): Node | undefined {
  const source = call.getSourceFile();
  const local = findFunction(source, name);
  if (local) return local;
  const binding = findImportBinding(source, name);
  if (!binding) return undefined;
  const loaded = loadModule(file, binding.specifier);
  if (!loaded) return undefined;
  return findExportedFunction(loaded.source, binding.imported, loaded.file, loadModule, 0);
}

function findFunction(source: SourceFile, name: string): Node | undefined {
  const declaration = source.getFunction(name);
  if (declaration) return declaration;
  const variable = source.getVariableDeclaration(name);
  const init = variable?.getInitializer();
  if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
  for (const statement of source.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    const expression = statement.getExpression();
    if (!Node.isBinaryExpression(expression) || expression.getOperatorToken().getText() !== '=') continue;
    if (!/^(module\.)?exports\.\w+$/.test(expression.getLeft().getText()) || !expression.getLeft().getText().endsWith(`.${name}`)) continue;
    const right = expression.getRight();
    if (Node.isArrowFunction(right) || Node.isFunctionExpression(right)) return right;
  }
  return undefined;
}

function findExportedFunction(source: SourceFile, name: string, file: string, loadModule: ModuleLoader, depth: number): Node | undefined {
  const found = findFunction(source, name);
  if (found) return found;
  if (depth > 3) return undefined;
  for (const declaration of source.getExportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    if (!specifier) continue;
    const named = declaration.getNamedExports().find((exported) => (exported.getAliasNode()?.getText() ?? exported.getName()) === name);
    if (!named && declaration.getNamedExports().length > 0) continue;
    const loaded = loadModule(file, specifier);
    if (!loaded) continue;
    const result = findExportedFunction(loaded.source, named?.getName() ?? name, loaded.file, loadModule, depth + 1);
    if (result) return result;
  }
  return undefined;
}

/** In the wrapper: the SDK call it makes, which parameter (or expression over parameters) is the payload, and which names the target. */
function getWrapperShape(wrapper: Node): WrapperShape | undefined {
  if (!Node.isFunctionLikeDeclaration(wrapper)) return undefined;
  const params = wrapper.getParameters().map((parameter) => parameter.getName());
  for (const call of wrapper.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
    const sdk = getSdkRequest(call);
    if (!sdk) continue;
    const request = sdk.request ? skipParentheses(resolveConst(sdk.request)) : undefined;
    if (!request || !Node.isObjectLiteralExpression(request)) continue;
    const shape = OPERATIONS[sdk.operation]!;
    const payload = getProperty(request, shape.payload);
    if (!payload) continue;
    const target = getProperty(request, shape.target);
    const targetParam = target && Node.isIdentifier(skipParentheses(target)) ? params.indexOf(skipParentheses(target).getText()) : -1;
    return { payload: unwrapEncoding(payload), params, ...(targetParam >= 0 ? { targetParam } : {}) };
  }
  return undefined;
}

/** Candidate files for a relative import (`./x` → `./x.ts`, `./x.js`, `./x/index.ts`...; `./x.js` → `./x.ts` too). */
export function getModuleCandidates(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith('.')) return [];
  const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  const stem = base.replace(/\.(js|mjs|cjs|ts|mts|cts)$/, '');
  const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
  return [base, ...extensions.map((ext) => stem + ext), ...extensions.map((ext) => `${base}/index${ext}`)];
}

/** A loader over a function that reads project files (undefined when missing or outside the project). */
export function createModuleLoader(readText: (file: string) => string | undefined): ModuleLoader {
  const cache = new Map<string, { file: string; source: SourceFile } | undefined>();
  return (fromFile, specifier) => {
    for (const candidate of getModuleCandidates(fromFile, specifier)) {
      if (cache.has(candidate)) return cache.get(candidate);
      const text = readText(candidate);
      if (text === undefined) continue;
      const loaded = { file: candidate, source: parseSource(candidate, text) };
      cache.set(candidate, loaded);
      return loaded;
    }
    return undefined;
  };
}
