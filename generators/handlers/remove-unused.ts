import { Node, ts, type SourceFile } from 'ts-morph';
import { applyEdits, parseSource, removeStatementEdit, skipParentheses, type TextEdit } from './source.js';

/**
 * Imports, clients, constants and helpers that only the removed orchestration used: whatever the original file
 * used and the refactored one no longer does. Code the original did not use either stays (it is not ours to
 * delete), and so does anything exported or built with side effects. Repeats until nothing more goes (a removed
 * helper can leave its own constants unused).
 */
export function removeUnused(file: string, text: string, original: string): { text: string; removed: string[] } {
  const originalUses = countIdentifiers(parseSource(file, original));
  const removed: string[] = [];
  let current = text;
  for (let round = 0; round < 8; round++) {
    const source = parseSource(file, current);
    const uses = countIdentifiers(source);
    const edits: TextEdit[] = [];
    const orphaned = (name: string, declarations = 1) => (uses.get(name) ?? 0) <= declarations && (originalUses.get(name) ?? 0) > declarations;
    collectImportEdits(source, orphaned, edits, removed);
    collectDeclarationEdits(source, orphaned, edits, removed);
    if (edits.length === 0) break;
    current = applyEdits(current, edits);
  }
  // Removed declarations leave no run of blank lines the original did not have.
  if (!/\n[ \t]*\n[ \t]*\n/.test(original)) current = current.replace(/\n([ \t]*\n){2,}/g, '\n\n');
  if (!/^\s*\n/.test(original)) current = current.replace(/^(?:[ \t]*\n)+/, '');
  return { text: current, removed };
}

/** How many identifiers of each name the file has (declarations included). */
function countIdentifiers(source: SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  for (const identifier of source.getDescendantsOfKind(ts.SyntaxKind.Identifier)) {
    const parent = identifier.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) continue;
    if (Node.isPropertyAssignment(parent) && parent.getNameNode() === identifier) continue;
    if ((Node.isPropertySignature(parent) || Node.isMethodDeclaration(parent) || Node.isPropertyDeclaration(parent)) && parent.getNameNode() === identifier) continue;
    if (Node.isBindingElement(parent) && parent.getPropertyNameNode() === identifier) continue;
    if (Node.isImportSpecifier(parent) && parent.getAliasNode() !== undefined && parent.getNameNode() === identifier) continue;
    counts.set(identifier.getText(), (counts.get(identifier.getText()) ?? 0) + 1);
  }
  return counts;
}

function collectImportEdits(source: SourceFile, orphaned: (name: string) => boolean, edits: TextEdit[], removed: string[]): void {
  for (const declaration of source.getImportDeclarations()) {
    const names: { name: string; node: Node }[] = [];
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport) names.push({ name: defaultImport.getText(), node: defaultImport });
    const namespace = declaration.getNamespaceImport();
    if (namespace) names.push({ name: namespace.getText(), node: namespace });
    for (const specifier of declaration.getNamedImports()) names.push({ name: specifier.getAliasNode()?.getText() ?? specifier.getName(), node: specifier });
    if (names.length === 0) continue;
    const gone = names.filter(({ name }) => orphaned(name));
    if (gone.length === 0) continue;
    removed.push(...gone.map(({ name }) => name));
    if (gone.length === names.length) {
      edits.push(removeStatementEdit(declaration));
      continue;
    }
    const keptNamed = declaration.getNamedImports().filter((specifier) => !gone.some(({ node }) => node === specifier));
    const keptDefault = defaultImport && !gone.some(({ node }) => node === defaultImport) ? defaultImport.getText() : undefined;
    const keptNamespace = namespace && !gone.some(({ node }) => node === namespace) ? `* as ${namespace.getText()}` : undefined;
    const clause = declaration.getImportClause()!;
    const named = keptNamed.length > 0 ? formatNamed(declaration.getText(), keptNamed.map((specifier) => specifier.getText())) : undefined;
    const parts = [keptDefault, keptNamespace, named].filter((part) => part !== undefined);
    const typeOnly = clause.isTypeOnly() ? 'type ' : '';
    edits.push({ start: clause.getStart(), end: clause.getEnd(), text: typeOnly + parts.join(', ') });
  }
}

/** Keeps the braces' layout: `{ a, b }` on one line, or one specifier per line when the import was written so. */
function formatNamed(importText: string, specifiers: string[]): string {
  const multiline = /\{\s*\n/.test(importText);
  if (!multiline) return `{ ${specifiers.join(', ')} }`;
  const indent = /\n([ \t]+)\S/.exec(importText)?.[1] ?? '  ';
  return `{\n${specifiers.map((specifier) => `${indent}${specifier},`).join('\n')}\n}`;
}

function collectDeclarationEdits(source: SourceFile, orphaned: (name: string) => boolean, edits: TextEdit[], removed: string[]): void {
  for (const statement of source.getDescendantsOfKind(ts.SyntaxKind.VariableStatement)) {
    if (statement.isExported() || statement.getFirstAncestor((ancestor) => Node.isForStatement(ancestor) || Node.isForOfStatement(ancestor) || Node.isForInStatement(ancestor)) === statement.getParent()) continue;
    const declarations = statement.getDeclarations();
    const nameNode = declarations.length === 1 ? declarations[0]!.getNameNode() : undefined;
    // `const { a, b } = require('x')`: only the unused names go.
    if (nameNode && Node.isObjectBindingPattern(nameNode) && isRequire(declarations[0]!.getInitializer())) {
      const elements = nameNode.getElements();
      const gone = elements.filter((element) => orphaned(element.getName()));
      if (gone.length === 0) continue;
      removed.push(...gone.map((element) => element.getName()));
      if (gone.length === elements.length) edits.push(removeStatementEdit(statement));
      else edits.push({ start: nameNode.getStart(), end: nameNode.getEnd(), text: `{ ${elements.filter((element) => !gone.includes(element)).map((element) => element.getText()).join(', ')} }` });
      continue;
    }
    const allGone = declarations.every((declaration) => {
      const name = declaration.getNameNode();
      if (!Node.isIdentifier(name) || !orphaned(name.getText())) return false;
      const init = declaration.getInitializer();
      return !init || isRequire(init) || isPure(init);
    });
    if (!allGone) continue;
    removed.push(...declarations.map((declaration) => declaration.getName()));
    edits.push(removeStatementEdit(statement));
  }
  for (const fn of source.getFunctions()) {
    const name = fn.getName();
    if (!name || fn.isExported() || !orphaned(name)) continue;
    removed.push(name);
    edits.push(withLeadingBlankLine(fn, removeStatementEdit(fn)));
  }
}

/** Removing a declaration that was separated by a blank line removes that blank line too. */
function withLeadingBlankLine(node: Node, edit: TextEdit): TextEdit {
  const source = node.getSourceFile().getFullText();
  if (source.slice(Math.max(0, edit.start - 2), edit.start) === '\n\n') return { ...edit, start: edit.start - 1 };
  return edit;
}

function isRequire(node: Node | undefined): boolean {
  return node !== undefined && Node.isCallExpression(node) && node.getExpression().getText() === 'require';
}

/** Built without side effects: literals, environment reads, functions, SDK clients and encoders, and combinations. */
export function isPure(node: Node, depth = 0): boolean {
  if (depth > 12) return false;
  const bare = skipParentheses(node);
  if (Node.isLiteralExpression(bare) || Node.isNoSubstitutionTemplateLiteral(bare) || Node.isIdentifier(bare) || Node.isArrowFunction(bare) || Node.isFunctionExpression(bare)) return true;
  if (bare.getKind() === ts.SyntaxKind.TrueKeyword || bare.getKind() === ts.SyntaxKind.FalseKeyword || bare.getKind() === ts.SyntaxKind.NullKeyword) return true;
  if (Node.isPropertyAccessExpression(bare)) return isPure(bare.getExpression(), depth + 1);
  if (Node.isElementAccessExpression(bare)) return isPure(bare.getExpression(), depth + 1) && isPure(bare.getArgumentExpressionOrThrow(), depth + 1);
  if (Node.isTemplateExpression(bare)) return bare.getTemplateSpans().every((span) => isPure(span.getExpression(), depth + 1));
  if (Node.isObjectLiteralExpression(bare)) return bare.getProperties().every((property) => (Node.isPropertyAssignment(property) ? isPure(property.getInitializerOrThrow(), depth + 1) : Node.isShorthandPropertyAssignment(property)));
  if (Node.isArrayLiteralExpression(bare)) return bare.getElements().every((element) => isPure(element, depth + 1));
  if (Node.isBinaryExpression(bare)) return isPure(bare.getLeft(), depth + 1) && isPure(bare.getRight(), depth + 1);
  if (Node.isConditionalExpression(bare)) return isPure(bare.getCondition(), depth + 1) && isPure(bare.getWhenTrue(), depth + 1) && isPure(bare.getWhenFalse(), depth + 1);
  if (Node.isPrefixUnaryExpression(bare)) return isPure(bare.getOperand(), depth + 1);
  if (Node.isNewExpression(bare)) return /(Client|TextEncoder|TextDecoder|Lambda|SQS|SNS|EventBridge|StepFunctions|SFN|Map|Set)$/.test(bare.getExpression().getText()) && (bare.getArguments() ?? []).every((argument) => isPure(argument, depth + 1));
  if (Node.isCallExpression(bare)) {
    const callee = bare.getExpression().getText();
    return /(^|\.)(from|captureAWSv3Client|captureAWSClient|tracer\.captureAWSv3Client)$|^(Number|String|Boolean|parseInt|parseFloat|JSON\.stringify|encoder\.encode)$/.test(callee) && bare.getArguments().every((argument) => isPure(argument, depth + 1));
  }
  return false;
}
