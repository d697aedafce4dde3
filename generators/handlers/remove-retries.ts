import { Node, ts, type CallExpression, type Statement } from 'ts-morph';
import { findTaggedCall, getTagIndexes } from './tags.js';
import { applyEdits, findImportBinding, getEnclosingFunction, getIndentAt, getReferences, getRelativeFile, getStatementText, parseSource, removeStatementEdit, skipParentheses, type TextEdit } from './source.js';
import type { Problem, Transformation } from './types.js';

/**
 * Step Functions retries the moved calls now (the plan's Retry rules), so the code that retried them goes:
 * a hand-written loop around a try/catch (`for (let attempt = 1; ...) { try { return await call } catch { sleep } }`)
 * becomes the call, and a retry library or helper (`pRetry(() => call, opts)`, `withRetry(() => call)`) becomes the
 * call it wrapped. Anything the loop did between attempts that is not retrying (logging aside) stops the removal:
 * the handler is kept with a marker.
 */
export function removeRetries(file: string, text: string): { text: string; applied: Transformation[]; problems: Problem[] } {
  const applied: Transformation[] = [];
  const problems: Problem[] = [];
  let current = text;
  for (const index of getTagIndexes(text)) {
    for (let round = 0; round < 4; round++) {
      const source = parseSource(file, current);
      const call = findTaggedCall(source, index);
      if (!call) break;
      const found = findRetryAround(call);
      if (!found) break;
      if ('problem' in found) {
        problems.push(found.problem);
        break;
      }
      current = applyEdits(current, found.edits);
      applied.push(found.transformation);
    }
  }
  return { text: current, applied, problems };
}

type RetryRemoval = { edits: TextEdit[]; transformation: Transformation } | { problem: Problem };

/** Packages whose default or named export retries a function it is given. */
const RETRY_PACKAGES = new Set(['p-retry', 'async-retry', 'exponential-backoff', 'promise-retry', 'retry-as-promised', '@lifeomic/attempt', 'ts-retry-promise', 'ts-retry', 'cockatiel', 'retry']);

function findRetryAround(call: CallExpression): RetryRemoval | undefined {
  const fn = getEnclosingFunction(call);
  for (const ancestor of call.getAncestors()) {
    if (ancestor === fn) {
      const wrapper = fn.getParent();
      if (Node.isCallExpression(wrapper) && isRetryWrapper(wrapper, fn)) return unwrapRetryCall(wrapper, fn, call);
      return undefined;
    }
    if (Node.isIterationStatement(ancestor)) return removeRetryLoop(ancestor, call);
  }
  return undefined;
}

/** `pRetry(fn, opts)`, `retry(async (bail) => ...)`, `backOff(fn)`, `policy.execute(fn)`, a project's `withRetry(fn)`. */
function isRetryWrapper(wrapper: CallExpression, fn: Node): boolean {
  if (!wrapper.getArguments().includes(fn as never)) return false;
  const callee = wrapper.getExpression();
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : '';
  const source = wrapper.getSourceFile();
  const imported = findImportBinding(source, Node.isPropertyAccessExpression(callee) ? callee.getExpression().getText() : name);
  if (imported && RETRY_PACKAGES.has(imported.specifier)) return true;
  if (name === 'execute' && Node.isPropertyAccessExpression(callee) && /retry|policy/i.test(callee.getExpression().getText())) return true;
  return /retry|backoff|withAttempts/i.test(name);
}

/** The wrapper call becomes the expression the callback returned (without its `await`). */
function unwrapRetryCall(wrapper: CallExpression, fn: Node, call: CallExpression): RetryRemoval {
  const location = { file: getRelativeFile(wrapper), line: wrapper.getStartLineNumber() };
  const problem = (reason: string): RetryRemoval => ({
    problem: { ...location, reason: `the retry wrapper ${wrapper.getExpression().getText()} around the call ${reason}`, hint: 'reduce the callback to `() => <the call>`; the workflow retries the call' },
  });
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return problem('is not given a function');
  const body = fn.getBody();
  let returned: Node | undefined;
  if (!Node.isBlock(body)) returned = body;
  else {
    const statements = body.getStatements().filter((statement) => !isLogging(statement));
    const only = statements[0];
    if (statements.length === 1 && Node.isReturnStatement(only)) returned = only.getExpression();
  }
  if (!returned) return problem('does more than return the call');
  let inner = skipParentheses(returned);
  if (Node.isAwaitExpression(inner)) inner = skipParentheses(inner.getExpression());
  // promise-retry: `(retry) => call.catch(retry)`
  if (Node.isCallExpression(inner) && Node.isPropertyAccessExpression(inner.getExpression()) && (inner.getExpression() as never as { getName(): string }).getName() === 'catch') {
    const target = (inner.getExpression() as never as { getExpression(): Node }).getExpression();
    inner = skipParentheses(target);
  }
  if (!inner.getDescendantsOfKind(ts.SyntaxKind.CallExpression).concat(Node.isCallExpression(inner) ? [inner] : []).includes(call)) return problem('does more than return the call');
  for (const parameter of (fn as never as { getParameters(): { getName(): string }[] }).getParameters()) {
    if (getReferences(inner, parameter.getName()).length > 0) return problem(`uses its parameter ${parameter.getName()}`);
  }
  return {
    edits: [{ start: wrapper.getStart(), end: wrapper.getEnd(), text: inner.getFullText().trimStart() }],
    transformation: { kind: 'retry-library', file: location.file, line: location.line, description: `retry wrapper ${wrapper.getExpression().getText()} removed: the workflow's Retry replaces it` },
  };
}

/** A statement that only logs (`logger.warn(...)`, `console.log(...)`, `log(...)`). */
export function isLogging(statement: Node): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const expression = skipParentheses(statement.getExpression());
  const call = Node.isAwaitExpression(expression) ? skipParentheses(expression.getExpression()) : expression;
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression().getText();
  return /^(console|logger|log|this\.logger|ctx\.logger|context\.logger)\.(log|info|warn|error|debug|trace)$/.test(callee) || /^(log|logWarn|logError|debug)$/.test(callee);
}

function isSleep(node: Node): boolean {
  const bare = skipParentheses(node);
  const expression = Node.isAwaitExpression(bare) ? skipParentheses(bare.getExpression()) : bare;
  if (Node.isCallExpression(expression) && /(sleep|delay|wait|pause|backoff|setTimeout)/i.test(expression.getExpression().getText())) return true;
  return Node.isNewExpression(expression) && expression.getText().includes('setTimeout');
}

/**
 * A loop is a retry loop when the call sits in a `try` whose `catch` only does retrying: remember the error, test
 * it, wait, log, count, rethrow. The loop becomes the statements of the `try` block.
 */
function removeRetryLoop(loop: Node, call: CallExpression): RetryRemoval | undefined {
  const location = { file: getRelativeFile(loop), line: loop.getStartLineNumber() };
  const attempt = call.getFirstAncestor((ancestor) => Node.isTryStatement(ancestor) && ancestor.getTryBlock().containsRange(call.getPos(), call.getEnd()));
  if (!attempt || !Node.isTryStatement(attempt) || !loop.containsRange(attempt.getPos(), attempt.getEnd())) return undefined;
  const body = (loop as never as { getStatement(): Node }).getStatement();
  const bodyStatements = Node.isBlock(body) ? body.getStatements() : [body];
  if (!bodyStatements.includes(attempt as Statement)) return undefined;
  const loopVariables = getLoopVariables(loop);
  const catchClause = attempt.getCatchClause();
  const others = [...bodyStatements.filter((statement) => statement !== attempt), ...(catchClause?.getBlock().getStatements() ?? [])];
  const notRetrying = others.find((statement) => !isRetryMachinery(statement, loop));
  if (!notRetrying) {
    const finallyBlock = attempt.getFinallyBlock();
    if (finallyBlock && finallyBlock.getStatements().length > 0) {
      return { problem: { ...location, reason: 'the retry loop around the call has a finally block that runs after every attempt', hint: 'move the finally block out of the loop, then run lambda2sfn again' } };
    }
  } else {
    return {
      problem: {
        ...location,
        reason: `the loop around the call also runs \`${notRetrying.getText().split('\n')[0]!.trim()}\` (line ${notRetrying.getStartLineNumber()}) between attempts`,
        hint: 'the workflow retries the call itself: move that work before or after the call, then run lambda2sfn again',
      },
    };
  }
  const kept = attempt.getTryBlock().getStatements().filter((statement) => !Node.isBreakStatement(statement) && !Node.isContinueStatement(statement));
  for (const statement of kept) {
    const used = loopVariables.find((name) => getReferences(statement, name).length > 0);
    if (used) return { problem: { ...location, reason: `the call reads the loop's ${used}`, hint: 'the workflow retries the call with the same input: do not vary it per attempt' } };
  }
  const source = loop.getSourceFile().getFullText();
  const indent = getIndentAt(source, loop.getStart());
  const replacement = kept.map((statement, index) => (index === 0 ? getStatementText(statement, indent).trimStart() : getStatementText(statement, indent))).join('\n');
  const edits: TextEdit[] = [{ start: loop.getStart(), end: loop.getEnd(), text: replacement }];
  const next = loop.getNextSibling();
  if (next && Node.isThrowStatement(next)) edits.push(removeStatementEdit(next));
  // Variables only the loop used (`let lastError`), declared just before it.
  const container = loop.getParent();
  if (Node.isBlock(container)) {
    for (const statement of container.getStatements()) {
      if (!Node.isVariableStatement(statement) || statement.getEnd() > loop.getStart()) continue;
      const names = statement.getDeclarations().map((declaration) => declaration.getName());
      const usedOutside = names.some((name) => container.getStatements().some((other) => other !== statement && other !== loop && other !== next && getReferences(other, name).length > 0) || kept.some((other) => getReferences(other, name).length > 0));
      const usedInLoop = names.some((name) => getReferences(loop, name).length > 0);
      if (usedInLoop && !usedOutside) edits.push(removeStatementEdit(statement));
    }
  }
  return { edits, transformation: { kind: 'retry-loop', file: location.file, line: location.line, description: 'retry loop removed: the workflow\'s Retry replaces it' } };
}

function getLoopVariables(loop: Node): string[] {
  if (Node.isForStatement(loop)) {
    const initializer = loop.getInitializer();
    if (initializer && Node.isVariableDeclarationList(initializer)) return initializer.getDeclarations().map((declaration) => declaration.getName());
  }
  return [];
}

/** Statements that only serve the retrying: throw, continue/break, logging, waiting, counting, remembering the error, tests of those. */
function isRetryMachinery(statement: Node, loop: Node): boolean {
  if (Node.isThrowStatement(statement) || Node.isContinueStatement(statement) || Node.isBreakStatement(statement) || Node.isEmptyStatement(statement)) return true;
  if (isLogging(statement)) return true;
  if (Node.isBlock(statement)) return statement.getStatements().every((inner) => isRetryMachinery(inner, loop));
  if (Node.isIfStatement(statement)) {
    const otherwise = statement.getElseStatement();
    return isRetryMachinery(statement.getThenStatement(), loop) && (!otherwise || isRetryMachinery(otherwise, loop));
  }
  if (Node.isExpressionStatement(statement)) {
    const expression = skipParentheses(statement.getExpression());
    if (isSleep(expression)) return true;
    if ((Node.isBinaryExpression(expression) && expression.getOperatorToken().getText().endsWith('=') && Node.isIdentifier(expression.getLeft())) || Node.isPostfixUnaryExpression(expression) || Node.isPrefixUnaryExpression(expression)) {
      const target = Node.isBinaryExpression(expression) ? expression.getLeft().getText() : expression.getOperand().getText();
      return isRetryOnlyVariable(target, loop);
    }
    return false;
  }
  if (Node.isVariableStatement(statement)) {
    return statement.getDeclarations().every((declaration) => {
      const init = declaration.getInitializer();
      return !init || !init.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((call) => !/^Math\.|sleep|delay|setTimeout|jitter|random/i.test(call.getExpression().getText()));
    });
  }
  return false;
}

/** A variable that nothing after the loop reads, except to throw it. */
function isRetryOnlyVariable(name: string, loop: Node): boolean {
  const container = loop.getParent();
  if (!Node.isBlock(container)) return true;
  const after = container.getStatements().filter((statement) => statement.getStart() > loop.getEnd());
  return after.every((statement) => Node.isThrowStatement(statement) || getReferences(statement, name).length === 0);
}
