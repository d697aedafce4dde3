import { Node, ts, type SourceFile, type Statement } from 'ts-morph';
import type { MovedCall } from '../../src/types/plan.js';
import { findHandler, getBody, getReturnTypeNode } from './handler-function.js';
import type { ModuleLoader } from './payload.js';
import { isLogging } from './remove-retries.js';
import { getSite, type Site } from './sites.js';
import { applyEdits, getIndentAt, getReferences, getRelativeFile, parseSource, removeStatementEdit, skipParentheses, type TextEdit } from './source.js';
import { getTagIndexes } from './tags.js';
import type { Problem, Transformation } from './types.js';

interface HandOnResult {
  text: string;
  applied: Transformation[];
  problems: Problem[];
}

/**
 * A `whole` function hands work on (an invoke in tail position, an SQS send, an SNS publish, an asynchronous
 * invoke): the call goes and the handler returns its payload, which the workflow passes to the next state. A call
 * made in a helper of the same file (`await fulfil(message)`) makes the helper return the payload, and the handler
 * return the helper's value. Several calls return an array of their payloads, in call order.
 */
export function removeHandOnCalls(file: string, text: string, exportName: string, calls: readonly MovedCall[], indexes: readonly number[], loadModule: ModuleLoader, typed: boolean): HandOnResult {
  const source = parseSource(file, text);
  const handler = findHandler(source, exportName);
  if (!handler) return { text, applied: [], problems: [] };
  const sites: Site[] = [];
  for (const index of getTagIndexes(text).filter((tag) => indexes.includes(tag))) {
    const site = getSite(source, index, loadModule);
    if (!site.ok) return { text, applied: [], problems: [site.problem] };
    if (!sites.some((known) => known.statement === site.site.statement)) sites.push(site.site);
  }
  if (sites.length === 0) return { text, applied: [], problems: [] };
  const edits: TextEdit[] = [];
  const applied: Transformation[] = [];
  const byFunction = new Map<Node, Site[]>();
  for (const site of sites) byFunction.set(site.fn, [...(byFunction.get(site.fn) ?? []), site]);
  const handlerSites: HandOnSite[] = (byFunction.get(handler.fn) ?? []).map((site) => toHandOnSite(site, calls));
  for (const [fn, fnSites] of byFunction) {
    if (fn === handler.fn) continue;
    // A helper of the same file, called once by the handler as a statement.
    const helperName = getFunctionName(fn);
    const use = helperName ? findSingleCall(handler.fn, helperName) : undefined;
    if (!helperName || !use) {
      const site = fnSites[0]!;
      return { text, applied: [], problems: [{ file: getRelativeFile(site.statement), line: site.statement.getStartLineNumber(), reason: `the call sits in ${helperName ?? 'a function'} that the handler does not call exactly once as a statement`, hint: 'make the call in the handler, or in a helper the handler calls once' }] };
    }
    const helper = rewriteReturn(fn, fnSites.map((site) => toHandOnSite(site, calls)), typed);
    if ('problem' in helper) return { text, applied: [], problems: [helper.problem] };
    edits.push(...helper.edits);
    applied.push(...helper.applied);
    const awaited = Node.isAwaitExpression(use.getParent()) ? use.getParent()! : use;
    handlerSites.push({ statement: use.getFirstAncestor((a): a is Statement => Node.isStatement(a) && Node.isBlock(a.getParent()))!, payload: awaited.getText(), label: `${helperName}Result`, type: helper.type, binding: 'value' });
  }
  handlerSites.sort((a, b) => a.statement.getStart() - b.statement.getStart());
  const main = rewriteReturn(handler.fn, handlerSites, typed);
  if ('problem' in main) return { text, applied: [], problems: [main.problem] };
  edits.push(...main.edits);
  applied.push(...main.applied);
  return { text: applyEdits(text, edits), applied, problems: [] };
}

interface HandOnSite {
  statement: Statement;
  payload: string;
  /** A name for the payload when it must be kept in a constant (`ordersQueuePayload`). */
  label: string;
  type?: string;
  /** `call`: a moved call (its result is not used); `value`: a helper call whose value is the payload. */
  binding: 'call' | 'value';
  site?: Site;
}

function toHandOnSite(site: Site, calls: readonly MovedCall[]): HandOnSite {
  const target = calls[site.tags[0]!]?.to ?? 'next';
  const type = getPayloadType(site);
  return { statement: site.statement, payload: site.payload, label: `${toCamel(target)}Payload`, ...(type ? { type } : {}), binding: 'call', site };
}

export function toCamel(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined || 'next';
}

/** The declared type of the payload: `const message: FulfilmentMessage = ...` or `x as T`, when the payload is one of those. */
function getPayloadType(site: Site): string | undefined {
  const source = site.statement.getSourceFile();
  const text = site.payload.trim();
  if (/^[A-Za-z_$][\w$]*$/.test(text)) {
    for (const declaration of source.getDescendantsOfKind(ts.SyntaxKind.VariableDeclaration)) {
      if (declaration.getName() !== text || declaration.getStart() > site.statement.getStart()) continue;
      if (!site.fn.containsRange(declaration.getPos(), declaration.getEnd()) && !Node.isSourceFile(declaration.getVariableStatement()?.getParent())) continue;
      const typeNode = declaration.getTypeNode();
      if (typeNode) return typeNode.getText();
      const init = declaration.getInitializer();
      if (init && Node.isAsExpression(init)) return init.getTypeNode()?.getText();
    }
    for (const parameter of site.fn.getDescendantsOfKind(ts.SyntaxKind.Parameter)) {
      if (parameter.getName() === text && parameter.getTypeNode()) return parameter.getTypeNode()!.getText();
    }
  }
  const asMatch = /\bas\s+([A-Za-z_$][\w$.<>[\]]*)$/.exec(text);
  return asMatch ? asMatch[1] : undefined;
}

function getFunctionName(fn: Node): string | undefined {
  if (Node.isFunctionDeclaration(fn)) return fn.getName();
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) && Node.isSourceFile(parent.getVariableStatement()?.getParent())) return parent.getName();
  return undefined;
}

/** The one call `name(...)` in `fn`, when it is the only reference and a statement of its own (awaited or not). */
function findSingleCall(fn: Node, name: string) {
  const references = getReferences(fn, name);
  if (references.length !== 1) return undefined;
  const call = references[0]!.getParent();
  if (!Node.isCallExpression(call) || call.getExpression() !== references[0]) return undefined;
  let holder: Node = call;
  while (Node.isAwaitExpression(holder.getParent()) || Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParent()!;
  const statement = holder.getParent();
  if (!statement || !(Node.isExpressionStatement(statement) || Node.isReturnStatement(statement))) return undefined;
  return call;
}

type Rewrite = { edits: TextEdit[]; applied: Transformation[]; type?: string } | { problem: Problem };

/** In one function: the hand-on statements go, and every return after them returns the payload(s). */
function rewriteReturn(fn: Node, sites: HandOnSite[], typed: boolean): Rewrite {
  const body = getBody(fn);
  if (!body || sites.length === 0) return { edits: [], applied: [] };
  const statements = body.getStatements();
  const first = sites[0]!.statement;
  for (const site of sites) {
    if (site.statement.getParent() !== body) {
      return { problem: { file: getRelativeFile(site.statement), line: site.statement.getStartLineNumber(), reason: 'the call is made only on some paths (inside a condition or a block)', hint: 'the plan runs the next step every time: make the call unconditional, or let lambda2sfn propose a Choice (guard the call with an if on the event)' } };
    }
    if (site.binding === 'call' && Node.isVariableStatement(site.statement)) {
      const names = site.statement.getDeclarations().map((declaration) => declaration.getName());
      const used = statements.some((other) => other !== site.statement && !isLogging(other) && names.some((name) => getReferences(other, name).length > 0));
      if (used) return { problem: { file: getRelativeFile(site.statement), line: site.statement.getStartLineNumber(), reason: `the handler uses the response of the call (${names.join(', ')})`, hint: 'the workflow makes the call after the handler returns: stop using its response, then run lambda2sfn again' } };
    }
  }
  const earlyReturn = fn.getDescendantsOfKind(ts.SyntaxKind.ReturnStatement).find((statement) => statement.getStart() < first.getStart() && statement.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn);
  if (earlyReturn) {
    return { problem: { file: getRelativeFile(earlyReturn), line: earlyReturn.getStartLineNumber(), reason: 'the handler can return before it hands the work on', hint: 'the workflow would still run the next step: let lambda2sfn propose a Choice for that case (test the event), or hand on in every case' } };
  }
  const edits: TextEdit[] = [];
  const values: string[] = [];
  const source = fn.getSourceFile().getFullText();
  const siteSet = new Set(sites.map((site) => site.statement));
  for (const site of sites) {
    const after = statements.filter((statement) => statement.getStart() > site.statement.getStart() && !siteSet.has(statement));
    const onlyLoggingAfter = after.every((statement) => isLogging(statement) || Node.isReturnStatement(statement));
    const stable = /^[A-Za-z_$][\w$]*$/.test(site.payload.trim()) && !after.some((statement) => isAssigned(statement, site.payload.trim()));
    const removal = removeStatementEdit(site.statement);
    const collectedLogs = site.binding === 'call' && Node.isVariableStatement(site.statement) ? site.statement.getDeclarations().map((declaration) => declaration.getName()) : [];
    for (const statement of after) {
      if (isLogging(statement) && collectedLogs.some((name) => getReferences(statement, name).length > 0)) edits.push(removeStatementEdit(statement));
    }
    if (onlyLoggingAfter || stable) {
      edits.push(removal);
      values.push(site.payload.trim());
    } else {
      const indent = getIndentAt(source, site.statement.getStart());
      edits.push({ start: removal.start, end: removal.end, text: `${indent}const ${site.label} = ${site.payload.trim()};\n` });
      values.push(site.label);
    }
  }
  const value = values.length === 1 ? values[0]! : `[${values.join(', ')}]`;
  const returns = fn.getDescendantsOfKind(ts.SyntaxKind.ReturnStatement).filter((statement) => statement.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn && !siteSet.has(statement));
  for (const statement of returns) {
    const returned = statement.getExpression();
    const keep = returned && returned.getDescendantsOfKind(ts.SyntaxKind.AwaitExpression).length + (Node.isAwaitExpression(skipParentheses(returned)) ? 1 : 0) > 0;
    const indent = getIndentAt(source, statement.getStart());
    edits.push({ start: statement.getStart(), end: statement.getEnd(), text: keep ? `${returned!.getText()};\n${indent}return ${value};` : `return ${value};` });
  }
  const last = statements.at(-1);
  if (!last || !Node.isReturnStatement(last) || siteSet.has(last)) {
    const closing = body.getEnd() - 1;
    const indent = getIndentAt(source, body.getStart()) + inferUnit(source, body);
    const lineStart = source.lastIndexOf('\n', closing - 1) + 1;
    edits.push({ start: lineStart, end: lineStart, text: `${indent}return ${value};\n` });
  }
  const types = sites.map((site) => site.type);
  const type = types.every((t) => t !== undefined) ? (types.length === 1 ? types[0] : `[${types.join(', ')}]`) : undefined;
  const returnType = getReturnTypeNode(fn);
  if (typed && returnType) {
    const isAsync = (fn as never as { isAsync(): boolean }).isAsync?.() ?? false;
    if (type) edits.push({ start: returnType.getStart(), end: returnType.getEnd(), text: isAsync ? `Promise<${type}>` : type });
    else {
      const colon = source.lastIndexOf(':', returnType.getStart());
      edits.push({ start: colon, end: returnType.getEnd(), text: '' });
    }
  }
  const applied: Transformation[] = sites.map((site) => ({
    kind: 'tail-call',
    file: getRelativeFile(site.statement),
    line: site.statement.getStartLineNumber(),
    description: site.binding === 'call' ? `call removed: ${site.site?.fanOut ? 'the payloads are returned for the Map' : 'its payload is returned'} (${site.payload.trim().split('\n')[0]})` : `returns what ${site.payload.trim()} returns: the payload for the next state`,
  }));
  return { edits, applied, ...(type ? { type } : {}) };
}

function isAssigned(statement: Node, name: string): boolean {
  return getReferences(statement, name).some((reference) => {
    const parent = reference.getParent();
    return (Node.isBinaryExpression(parent) && parent.getLeft() === reference && parent.getOperatorToken().getText().endsWith('=') && parent.getOperatorToken().getText() !== '==') || Node.isPostfixUnaryExpression(parent) || Node.isPrefixUnaryExpression(parent);
  });
}

function inferUnit(source: string, body: Node): string {
  const first = (body as never as { getStatements(): Node[] }).getStatements()[0];
  if (!first) return '  ';
  const outer = getIndentAt(source, body.getStart());
  const inner = getIndentAt(source, first.getStart());
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '  ';
}

export type { SourceFile };
