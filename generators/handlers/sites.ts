import { Node, ts, type CallExpression, type SourceFile, type Statement } from 'ts-morph';
import { getCallPayload, type ModuleLoader } from './payload.js';
import { isLogging } from './remove-retries.js';
import { getEnclosingFunction, getEnclosingStatement, getIndentAt, getRelativeFile, reindent, skipParentheses } from './source.js';
import { findTaggedCall } from './tags.js';
import type { Problem } from './types.js';

/**
 * Where a moved call sits in the code, as the refactoring sees it: the statement that makes it (alone, or as the
 * fan-out of a `Promise.all` over `items.map(...)`, a `Promise.all([...])` or a `for...of`), how that statement
 * uses the result, and the code of the payload the workflow now passes to the target instead.
 */
export interface Site {
  /** The statement, directly in a block of `fn`. */
  statement: Statement;
  fn: Node;
  /** The expression of the statement whose value was awaited: the call, or the fan-out around it. */
  expression: Node;
  /** The payload of the whole site as code: one call's payload, or the array of the fan-out's payloads. */
  payload: string;
  /** The moved calls (plan indexes) this site makes. */
  tags: number[];
  binding: Binding;
  fanOut?: 'map' | 'parallel';
  /** The type of the result the caller declared (`invokeFunction<PaymentResult>`; `T[]` for a map), when known. */
  resultType?: string;
  /** An SDK Lambda invoke: the code decoded the raw response (`JSON.parse(...res.Payload...)`); the workflow passes the decoded result. */
  rawInvoke?: boolean;
}

export type Binding =
  | { kind: 'none' }
  /** `const x = await call` (the declaration's text up to `=`, e.g. `const verdict: Verdict`). */
  | { kind: 'declare'; head: string; names: string[] }
  | { kind: 'assign'; target: string }
  | { kind: 'return' };

export type SiteResult = { ok: true; site: Site } | { ok: false; problem: Problem };

function fail(node: Node, reason: string, hint: string): SiteResult {
  return { ok: false, problem: { file: getRelativeFile(node), line: node.getStartLineNumber(), reason, hint } };
}

/** The site of the tagged call `index`. */
export function getSite(source: SourceFile, index: number, loadModule: ModuleLoader): SiteResult {
  const call = findTaggedCall(source, index);
  if (!call) throw new Error(`tagged call ${index} not found`);
  const file = getRelativeFile(call);
  const payload = getCallPayload(call, file, loadModule);
  if (!payload.ok) return fail(call, payload.reason, payload.hint);
  const own = { text: payload.payload.text, awaited: payload.payload.awaited, resultType: payload.payload.resultType, rawInvoke: payload.payload.sdkOperation === 'invoke' };
  const fn = getEnclosingFunction(call);
  if (!fn) return fail(call, 'the call is not inside a function', 'move the call into the handler');

  // A fan-out: the call is made by a callback of `.map`, `pMap`, or is one element of `Promise.all([...])`.
  const payloadOf = (element: Node): string | undefined => {
    const inner = unwrapAwait(element);
    if (!Node.isCallExpression(inner)) return undefined;
    const callPayload = getCallPayload(inner.getExpression().getText().endsWith('.promise') && Node.isPropertyAccessExpression(inner.getExpression()) ? (inner.getExpression() as never as { getExpression(): CallExpression }).getExpression() : inner, file, loadModule);
    return callPayload.ok ? callPayload.payload.text : undefined;
  };
  const fanOut = getFanOut(own.awaited, own.text, payloadOf);
  if (fanOut) {
    if (!fanOut.ok) return fanOut;
    return finish(fanOut.site.expression, fanOut.site.payload, [index], fanOut.site.kind, own.resultType ? `${own.resultType}[]` : undefined);
  }
  const loop = own.awaited.getFirstAncestor((ancestor) => Node.isIterationStatement(ancestor) && fn.containsRange(ancestor.getPos(), ancestor.getEnd()) && !Node.isFunctionLikeDeclaration(ancestor));
  if (loop) return getLoopSite(loop, own, index);
  return finish(own.awaited, own.text, [index], undefined, own.resultType);

  function finish(expression: Node, text: string, tags: number[], kind: 'map' | 'parallel' | undefined, resultType: string | undefined): SiteResult {
    const statement = getEnclosingStatement(expression);
    if (!statement) return fail(expression, 'the call is not part of a statement', 'write the call as its own statement');
    const owner = getEnclosingFunction(expression);
    if (owner !== fn && !kind) return fail(expression, 'the call is made inside a callback', 'make the call in the handler itself');
    const binding = getBinding(statement as Statement, expression);
    if (!binding) return fail(statement, `the result of the call is used inside an expression (\`${statement.getText().split('\n')[0]!.trim()}\`)`, 'assign the result to a variable first (`const result = await ...`), then run lambda2sfn again');
    return { ok: true, site: { statement: statement as Statement, fn: owner!, expression, payload: text, tags, binding, ...(kind ? { fanOut: kind } : {}), ...(resultType ? { resultType } : {}), ...(own.rawInvoke && !kind ? { rawInvoke: true } : {}) } };
  }

  function getLoopSite(loopNode: Node, callPayload: typeof own, tag: number): SiteResult {
    const reason = `the call sits in a loop (line ${loopNode.getStartLineNumber()}) with other work between iterations`;
    const hint = 'make the loop only build the items, then fan out with `Promise.all(items.map(...))`, or keep the orchestration in code';
    if (!Node.isForOfStatement(loopNode)) return fail(loopNode, reason, hint);
    const body = loopNode.getStatement();
    const statements = (Node.isBlock(body) ? body.getStatements() : [body]).filter((statement) => !isLogging(statement));
    const only = statements[0];
    if (statements.length !== 1 || !only || getEnclosingStatement(callPayload.awaited) !== only || !Node.isExpressionStatement(only)) return fail(loopNode, reason, hint);
    const initializer = loopNode.getInitializer();
    const element = Node.isVariableDeclarationList(initializer) ? initializer.getDeclarations()[0]?.getNameNode().getText() : undefined;
    if (!element) return fail(loopNode, reason, hint);
    const collection = loopNode.getExpression().getText();
    const itemPayload = callPayload.text === element ? '' : callPayload.text;
    const text = itemPayload === '' ? collection : `${collection}.map((${element}) => ${wrapObject(itemPayload)})`;
    const statement = loopNode as Statement;
    return { ok: true, site: { statement, fn: getEnclosingFunction(loopNode)!, expression: loopNode, payload: text, tags: [tag], binding: { kind: 'none' }, fanOut: 'map' } };
  }
}

/** `{ a: 1 }` as an arrow function's expression body needs parentheses. */
export function wrapObject(text: string): string {
  return text.trimStart().startsWith('{') ? `(${text})` : text;
}

type FanOutResult = { ok: true; site: { expression: Node; payload: string; kind: 'map' | 'parallel' } } | { ok: false; problem: Problem };

function getFanOut(awaited: Node, payload: string, payloadOf: (element: Node) => string | undefined): FanOutResult | undefined {
  const parent = skipUp(awaited);
  // Promise.all([call, call]) with this call as one element: the array of the calls' payloads.
  if (Node.isArrayLiteralExpression(parent)) {
    const all = skipUp(parent);
    if (!Node.isCallExpression(all) || !/^Promise\.(all|allSettled)$/.test(all.getExpression().getText())) return undefined;
    const payloads = parent.getElements().map(payloadOf);
    const missing = parent.getElements().find((_element, index) => payloads[index] === undefined);
    if (missing) {
      return { ok: false, problem: { file: getRelativeFile(missing), line: missing.getStartLineNumber(), reason: `\`${missing.getText().split('\n')[0]}\` runs in the same Promise.all as the moved calls but is not one`, hint: 'run it before or after the Promise.all, then run lambda2sfn again' } };
    }
    const full = parent.getSourceFile().getFullText();
    const elementIndent = getIndentAt(full, parent.getElements()[0]!.getStart());
    const closingIndent = getIndentAt(full, parent.getEnd() - 1);
    const multiline = parent.getText().includes('\n');
    const text = multiline ? `[\n${payloads.map((item) => `${elementIndent}${item},`).join('\n')}\n${closingIndent}]` : `[${payloads.join(', ')}]`;
    return { ok: true, site: { expression: all, payload: text, kind: 'parallel' } };
  }
  // A callback that makes the call: `items.map((item) => call)`, `pMap(items, (item) => call)`, `limit(() => call)` inside those.
  const callback = getEnclosingFunction(awaited);
  if (!callback) return undefined;
  let mapper: Node = callback;
  let holder = mapper.getParent();
  if (Node.isCallExpression(holder) && /^(limit|limiter|throttle|queue\.add)$/.test(holder.getExpression().getText()) && holder.getArguments()[0] === mapper) {
    const inner = getEnclosingFunction(holder);
    if (!inner) return undefined;
    mapper = inner;
    holder = inner.getParent();
  }
  if (!Node.isCallExpression(holder)) return undefined;
  const callee = holder.getExpression();
  let collection: string | undefined;
  let outer: Node | undefined;
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'map' && holder.getArguments()[0] === mapper) {
    collection = callee.getExpression().getText();
    const all = skipUp(holder);
    if (Node.isCallExpression(all) && /^Promise\.(all|allSettled)$/.test(all.getExpression().getText())) outer = all;
  } else if (Node.isIdentifier(callee) && /^(pMap|map|mapLimit)$/.test(callee.getText()) && holder.getArguments()[1] === mapper) {
    collection = holder.getArguments()[0]!.getText();
    outer = holder;
  }
  if (!collection || !outer) return undefined;
  if (!Node.isArrowFunction(mapper) && !Node.isFunctionExpression(mapper)) return undefined;
  const replaced = mapper === callback ? awaited : (callback.getParent() as Node);
  return { ok: true, site: { expression: outer, payload: buildItemsPayload(collection, mapper, replaced, payload), kind: 'map' } };
}

/**
 * The payloads of a map fan-out: the callback with the call replaced by its payload. A callback that awaits
 * nothing else becomes a plain `items.map(...)`; one that still awaits keeps `await Promise.all(...)`.
 */
function buildItemsPayload(collection: string, mapper: Node, call: Node, payload: string): string {
  const awaitedCall = Node.isAwaitExpression(call.getParent()) ? (call.getParent() as Node) : call;
  const base = mapper.getStart();
  const text = mapper.getText();
  const isBody = Node.isArrowFunction(mapper) && mapper.getBody() === awaitedCall;
  const full = mapper.getSourceFile().getFullText();
  const statementIndent = getIndentAt(full, (getEnclosingStatement(mapper) ?? mapper).getStart());
  const callIndent = getIndentAt(full, awaitedCall.getStart());
  let result: string;
  if (isBody) {
    const head = text.slice(0, (mapper as never as { getEqualsGreaterThan(): Node }).getEqualsGreaterThan().getEnd() - base);
    result = `${head} ${wrapObject(reindent(payload, callIndent, statementIndent))}`;
  } else {
    result = reindent(text.slice(0, awaitedCall.getStart() - base) + payload + text.slice(awaitedCall.getEnd() - base), getIndentAt(full, mapper.getStart()), statementIndent);
  }
  const stillAwaits = mapper.getDescendantsOfKind(ts.SyntaxKind.AwaitExpression).some((expression) => expression !== awaitedCall && getEnclosingFunction(expression) === mapper);
  if (!stillAwaits) result = result.replace(/^async\s+/, '');
  const parameters = (mapper as never as { getParameters(): { getName(): string }[] }).getParameters();
  const identity = isBody && parameters.length === 1 && payload.trim() === parameters[0]!.getName();
  if (identity) return collection;
  return stillAwaits ? `await Promise.all(${collection}.map(${result}))` : `${collection}.map(${result})`;
}

/** Parent of an expression, past parentheses, `await`, type assertions and SDK v2's `.promise()`. */
function skipUp(node: Node): Node {
  let current = node.getParent();
  while (current && (Node.isParenthesizedExpression(current) || Node.isAwaitExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current))) current = current.getParent();
  return current!;
}

/** How the statement uses the value of `expression`. */
function getBinding(statement: Statement, expression: Node): Binding | undefined {
  const value = (node: Node | undefined) => node !== undefined && unwrapAwait(node) === expression;
  if (Node.isExpressionStatement(statement)) {
    const inner = statement.getExpression();
    if (value(inner)) return { kind: 'none' };
    if (Node.isBinaryExpression(inner) && inner.getOperatorToken().getText() === '=' && value(inner.getRight())) return { kind: 'assign', target: inner.getLeft().getText() };
    return undefined;
  }
  if (Node.isReturnStatement(statement)) return value(statement.getExpression()) ? { kind: 'return' } : undefined;
  if (Node.isVariableStatement(statement)) {
    const declarations = statement.getDeclarations();
    const only = declarations[0];
    if (declarations.length !== 1 || !only || !value(only.getInitializer())) return undefined;
    const keyword = statement.getDeclarationKind();
    const type = only.getTypeNode();
    const names = Node.isIdentifier(only.getNameNode()) ? [only.getName()] : only.getNameNode().getDescendantsOfKind(ts.SyntaxKind.BindingElement).map((element) => element.getName());
    return { kind: 'declare', head: `${keyword} ${only.getNameNode().getText()}${type ? `: ${type.getText()}` : ''}`, names };
  }
  return undefined;
}

function unwrapAwait(node: Node): Node {
  let current = skipParentheses(node);
  while (Node.isAwaitExpression(current)) current = skipParentheses(current.getExpression());
  return current;
}

export { unwrapAwait };
export type { CallExpression };
