import { Node, ts, type Statement } from 'ts-morph';
import { findHandler, getBody, getParameters, getReturnTypeNode } from './handler-function.js';
import { applyEdits, getIndentAt, getReferences, getRelativeFile, getStatementText, parseSource, removeStatementEdit, skipParentheses, type TextEdit } from './source.js';
import type { Problem, Transformation } from './types.js';

/**
 * A queue or topic consumer that the workflow now invokes with the message itself: the loop over
 * `event.Records` (or `event.Records[0]`) gives way to the message, `JSON.parse(record.body)` /
 * `JSON.parse(record.Sns.Message)` becomes the event, and SQS partial-batch reporting (`batchItemFailures`) goes:
 * a failure now fails the Task, and the workflow's Retry and Catch apply.
 */
export function unpackRecords(file: string, text: string, exportName: string, typed: boolean): { text: string; applied: Transformation[]; problems: Problem[] } {
  const source = parseSource(file, text);
  const handler = findHandler(source, exportName);
  const none = { text, applied: [], problems: [] };
  if (!handler) return none;
  const body = getBody(handler.fn);
  const eventParam = getParameters(handler.fn)[0];
  if (!body || !eventParam || !Node.isIdentifier(eventParam.getNameNode())) return none;
  const eventName = eventParam.getName();
  const recordsUses = getReferences(body, eventName).filter((reference) => {
    const parent = reference.getParent();
    return Node.isPropertyAccessExpression(parent) && parent.getName() === 'Records';
  });
  if (recordsUses.length === 0) return none;
  const problem = (node: Node, reason: string, hint: string) => ({ text, applied: [], problems: [{ file: getRelativeFile(node), line: node.getStartLineNumber(), reason, hint }] });
  const loop = recordsUses[0]!.getFirstAncestor((ancestor): ancestor is Statement => Node.isForOfStatement(ancestor) && ancestor.getParent() === body);
  if (recordsUses.length > 1 || !loop || !Node.isForOfStatement(loop) || skipParentheses(loop.getExpression()).getText() !== `${eventName}.Records`) {
    return problem(recordsUses[0]!, `the handler reads ${eventName}.Records other than in one \`for (const record of ${eventName}.Records)\` loop`, 'the workflow passes one message as the event: read it directly, then run lambda2sfn again');
  }
  const initializer = loop.getInitializer();
  const recordName = Node.isVariableDeclarationList(initializer) ? initializer.getDeclarations()[0]?.getName() : undefined;
  if (!recordName) return none;
  const loopBody = loop.getStatement();
  const statements = Node.isBlock(loopBody) ? loopBody.getStatements() : [loopBody];

  const edits: TextEdit[] = [];
  const indent = getIndentAt(source.getFullText(), loop.getStart());
  // Partial-batch reporting: `try { work } catch (err) { ...; failures.push(...) }` keeps only the work.
  const failureLists = new Set<string>();
  for (const statement of statements) {
    const catchClause = Node.isTryStatement(statement) ? statement.getCatchClause() : undefined;
    const pushed = catchClause?.getDescendantsOfKind(ts.SyntaxKind.CallExpression).map((call) => /^(\w+)\.push$/.exec(call.getExpression().getText())?.[1]).find((name) => name !== undefined);
    if (Node.isTryStatement(statement) && pushed && !statement.getFinallyBlock()) failureLists.add(pushed);
  }

  // The message: `JSON.parse(record.body)` / `record.Sns.Message`, with the declared type when there is one.
  const messages = loop.getDescendantsOfKind(ts.SyntaxKind.PropertyAccessExpression).filter((access) => {
    const accessText = access.getText();
    return accessText === `${recordName}.body` || accessText === `${recordName}.Sns.Message`;
  });
  if (messages.length !== 1) {
    return problem(loop, `the loop over ${eventName}.Records reads the message ${messages.length === 0 ? 'in a way lambda2sfn does not follow' : 'more than once'}`, `read it once, as \`JSON.parse(${recordName}.body)\` or \`JSON.parse(${recordName}.Sns.Message)\``);
  }
  const access = messages[0]!;
  const kind = access.getText().endsWith('.body') ? 'sqs-consumer' : 'sns-consumer';
  let messageExpression: Node = access;
  let messageType = typed ? 'string' : undefined;
  const parsed = skipUpTo(access, (node) => Node.isCallExpression(node) && node.getExpression().getText() === 'JSON.parse');
  if (parsed) {
    messageExpression = parsed;
    messageType = typed ? 'any' : undefined;
    const cast = parsed.getParent();
    if (cast && Node.isAsExpression(cast)) {
      messageExpression = cast;
      messageType = cast.getTypeNode()?.getText();
    }
  }
  const declaration = messageExpression.getParent();
  let paramName = eventName;
  let removedDeclaration: Node | undefined;
  if (Node.isVariableDeclaration(declaration) && Node.isIdentifier(declaration.getNameNode()) && declaration.getInitializer() === messageExpression) {
    const declaredType = declaration.getTypeNode()?.getText();
    if (declaredType && typed) messageType = declaredType;
    const holder = declaration.getVariableStatement();
    if (holder && holder.getDeclarations().length === 1) {
      paramName = declaration.getName();
      removedDeclaration = holder;
    }
  }

  // Whatever else the loop reads of the record, the workflow does not pass.
  const otherRecordUses = getReferences(loop.getStatement(), recordName).filter((reference) => {
    if (access.containsRange(reference.getPos(), reference.getEnd())) return false;
    const inRemovedCatch = reference.getFirstAncestor((ancestor) => Node.isCatchClause(ancestor));
    return !(inRemovedCatch && failureLists.size > 0 && inRemovedCatch.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((call) => call.getExpression().getText().endsWith('.push')));
  });
  if (otherRecordUses.length > 0) {
    const use = otherRecordUses[0]!.getParent()!;
    return problem(use, `the handler reads ${use.getText()}, which the workflow does not pass`, 'the workflow passes only the message: take what you need from it, then run lambda2sfn again');
  }

  // Rebuild the loop's statements with the message in place, `continue` as `return`.
  const replaced = replaceInLoopText(loop, indent, statements, messageExpression, removedDeclaration, paramName);
  edits.push({ start: loop.getStart(), end: loop.getEnd(), text: replaced.trimStart() });

  // The batch response goes: its list, and `return { batchItemFailures }`.
  for (const statement of body.getStatements()) {
    if (statement === loop) continue;
    if (Node.isVariableStatement(statement) && statement.getDeclarations().every((d) => failureLists.has(d.getName()))) edits.push(removeStatementEdit(statement));
    if (Node.isReturnStatement(statement) && [...failureLists].some((name) => getReferences(statement, name).length > 0)) edits.push(removeStatementEdit(statement));
  }
  const returnType = getReturnTypeNode(handler.fn);
  if (returnType && failureLists.size > 0 && typed) edits.push({ start: returnType.getStart(), end: returnType.getEnd(), text: 'Promise<void>' });
  // The event parameter: the message, under the name the code gave it.
  const typeNode = eventParam.getTypeNode();
  const paramText = typed && messageType ? `${paramName}: ${messageType}` : paramName;
  edits.push({ start: eventParam.getStart(), end: typeNode ? typeNode.getEnd() : eventParam.getNameNode().getEnd(), text: paramText });
  const line = loop.getStartLineNumber();
  return {
    text: applyEdits(text, edits),
    applied: [{ kind, file: getRelativeFile(loop), line, description: `${kind === 'sqs-consumer' ? 'SQS' : 'SNS'} records unpacked: the workflow passes the message as the event${failureLists.size > 0 ? '; partial-batch failures removed (a failure now fails the Task)' : ''}` }],
    problems: [],
  };
}

function skipUpTo(node: Node, test: (node: Node) => boolean): Node | undefined {
  let current = node.getParent();
  while (current && (Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current))) current = current.getParent();
  return current && test(current) ? current : undefined;
}

/**
 * The loop's statements as they read once the message is the event. Works on the re-indented text of the
 * statements: positions are taken from the nodes, shifted by how each statement moved.
 */
function replaceInLoopText(loop: Node, indent: string, statements: Node[], message: Node, removedDeclaration: Node | undefined, paramName: string): string {
  const source = loop.getSourceFile().getFullText();
  const edits: TextEdit[] = [];
  if (removedDeclaration) edits.push(removeStatementEdit(removedDeclaration));
  else edits.push({ start: message.getStart(), end: message.getEnd(), text: paramName });
  for (const statement of statements) {
    for (const node of statement.getDescendantsOfKind(ts.SyntaxKind.ContinueStatement)) {
      const enclosingLoop = node.getFirstAncestor((ancestor) => Node.isIterationStatement(ancestor) || Node.isFunctionLikeDeclaration(ancestor));
      if (enclosingLoop === loop && !node.getLabel()) edits.push({ start: node.getStart(), end: node.getEnd(), text: 'return;' });
    }
    if (Node.isContinueStatement(statement)) edits.push({ start: statement.getStart(), end: statement.getEnd(), text: 'return;' });
  }
  // Keep only the statements (drop the try wrappers of partial-batch reporting) by rebuilding from edited text.
  const edited = applyEdits(source, edits);
  const reparsed = parseSource(loop.getSourceFile().getFilePath().replace(/^\/src\//, ''), edited);
  const shift = (pos: number) => pos + edits.filter((edit) => edit.end <= pos).reduce((sum, edit) => sum + edit.text.length - (edit.end - edit.start), 0);
  const newLoop = reparsed.getDescendantAtPos(shift(loop.getStart()))?.getFirstAncestor((ancestor) => Node.isForOfStatement(ancestor));
  if (!newLoop || !Node.isForOfStatement(newLoop)) throw new Error('the loop moved');
  const newBody = newLoop.getStatement();
  const newStatements = Node.isBlock(newBody) ? newBody.getStatements() : [newBody];
  const out: string[] = [];
  for (const statement of newStatements) {
    const catchClause = Node.isTryStatement(statement) ? statement.getCatchClause() : undefined;
    const pushes = catchClause?.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((call) => /^\w+\.push$/.test(call.getExpression().getText()));
    if (Node.isTryStatement(statement) && pushes && !statement.getFinallyBlock()) {
      for (const inner of statement.getTryBlock().getStatements()) out.push(getStatementText(inner, indent));
      continue;
    }
    out.push(getStatementText(statement, indent));
  }
  return out.join('\n');
}
