import { Node, Project, ts, type SourceFile } from 'ts-morph';

/** How a file is written: the refactored code keeps its module system and typing. */
export type ModuleFormat = 'ts' | 'esm' | 'cjs';

/** Parses one file on an in-memory file system: no type checker, no module resolution, nothing read from disk. */
export function parseSource(file: string, text: string): SourceFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noLib: true },
  });
  return project.createSourceFile(`/src/${file}`, text, { overwrite: true });
}

export function isTypeScriptFile(file: string): boolean {
  return /\.(ts|tsx|mts|cts)$/.test(file) && !file.endsWith('.d.ts');
}

/** TypeScript, or JavaScript as ES modules (`import`/`export`, `.mjs`) or CommonJS (`require`, `exports.x`, `.cjs`). */
export function getModuleFormat(file: string, source: SourceFile): ModuleFormat {
  if (isTypeScriptFile(file)) return 'ts';
  if (file.endsWith('.mjs')) return 'esm';
  if (file.endsWith('.cjs')) return 'cjs';
  const esm = source.getStatements().some((statement) => Node.isImportDeclaration(statement) || Node.isExportDeclaration(statement) || Node.isExportAssignment(statement) || (Node.isModifierable(statement) && statement.hasModifier(ts.SyntaxKind.ExportKeyword)));
  return esm ? 'esm' : 'cjs';
}

/** The indentation one nesting level adds in this file (two spaces when nothing is indented). */
export function getIndentUnit(text: string): string {
  const counts = new Map<string, number>();
  let previous = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length > previous.length && indent.startsWith(previous)) {
      const step = indent.slice(previous.length);
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    previous = indent;
  }
  let best = '  ';
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  return best;
}

/** The line's indentation at a position. */
export function getIndentAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Moves every line after the first of a multi-line text from one indentation to another. */
export function reindent(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line.trim() === '' ? '' : line))
    .join('\n');
}

/** A statement's text with the comments that lead it (on their own lines), re-indented to `indent`. */
export function getStatementText(node: Node, indent: string): string {
  const source = node.getSourceFile().getFullText();
  const comments = node.getLeadingCommentRanges().filter((range) => !/^\/\*@l2s:\d+\*\/$/.test(range.getText()));
  const start = comments[0]?.getPos() ?? node.getStart(true);
  const own = getIndentAt(source, start);
  return indent + reindent(source.slice(start, node.getEnd()), own, indent).trimStart();
}

/** Whether the node is the statement of a block or of a source file. */
export function isStatementNode(node: Node): boolean {
  const parent = node.getParent();
  return parent !== undefined && (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) && Node.isStatement(node);
}

/** The statement that holds `node`, directly in a block. */
export function getEnclosingStatement(node: Node): Node | undefined {
  let current: Node | undefined = node;
  while (current && !isStatementNode(current)) current = current.getParent();
  return current;
}

/** The nearest enclosing function (declaration, expression, arrow, method). */
export function getEnclosingFunction(node: Node): Node | undefined {
  return node.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor));
}

/** Removes whatever wraps an expression without changing its value: parentheses, `await` is NOT removed. */
export function skipParentheses(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current) || Node.isSatisfiesExpression(current) || Node.isTypeAssertion(current)) {
    current = current.getExpression();
  }
  return current;
}

/** `1 + 1` → `(1 + 1)` where the text is used as an operand; identifiers, calls and literals need no parentheses. */
export function asOperand(text: string, node: Node): string {
  const bare = Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node) || Node.isCallExpression(node) || Node.isLiteralExpression(node) || Node.isObjectLiteralExpression(node) || Node.isArrayLiteralExpression(node) || Node.isParenthesizedExpression(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node);
  return bare ? text : `(${text})`;
}

/** Applies non-overlapping text edits (start, end, replacement) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit) continue;
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** An edit that removes a whole statement with its line (and the comments leading it). */
export function removeStatementEdit(node: Node): TextEdit {
  const source = node.getSourceFile().getFullText();
  const start = source.lastIndexOf('\n', node.getStart(true) - 1) + 1;
  let end = node.getEnd();
  while (end < source.length && (source[end] === ' ' || source[end] === '\t')) end++;
  if (source[end] === '\n') end++;
  return { start, end, text: '' };
}

/** Identifiers in `node` that read a variable called `name` (not property names, not declarations' own names of other things). */
export function getReferences(node: Node, name: string): Node[] {
  return node.getDescendantsOfKind(ts.SyntaxKind.Identifier).filter((identifier) => identifier.getText() === name && isValueReference(identifier));
}

/** Whether an identifier reads or writes a variable (as opposed to naming a property, a type or a label). */
export function isValueReference(identifier: Node): boolean {
  const parent = identifier.getParent();
  if (!parent) return false;
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) return false;
  if (Node.isPropertyAssignment(parent) && parent.getNameNode() === identifier) return false;
  if ((Node.isMethodDeclaration(parent) || Node.isPropertyDeclaration(parent) || Node.isPropertySignature(parent) || Node.isMethodSignature(parent)) && parent.getNameNode() === identifier) return false;
  if (Node.isBindingElement(parent) && parent.getPropertyNameNode() === identifier) return false;
  if (Node.isQualifiedName(parent) || Node.isTypeReference(parent) || Node.isLabeledStatement(parent) || Node.isBreakStatement(parent) || Node.isContinueStatement(parent)) return false;
  if (Node.isImportSpecifier(parent) || Node.isExportSpecifier(parent)) return false;
  if (identifier.getFirstAncestor((ancestor) => Node.isTypeNode(ancestor)) && !identifier.getFirstAncestor((ancestor) => Node.isTypeQuery(ancestor))) return false;
  return true;
}

/** The path of a parsed file relative to the analysed folder (files are parsed under `/src/`). */
export function getRelativeFile(node: Node): string {
  return node.getSourceFile().getFilePath().replace(/^\/src\//, '');
}

/**
 * Where a name of the file comes from: `import x from 'm'`, `import * as x`, `import { y as x }`,
 * `const { y: x } = require('m')`, `const x = require('m')`. `imported` is the module's export (`default`, `*`).
 */
export function findImportBinding(source: SourceFile, name: string): { specifier: string; imported: string } | undefined {
  for (const declaration of source.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    if (declaration.getDefaultImport()?.getText() === name) return { specifier, imported: 'default' };
    if (declaration.getNamespaceImport()?.getText() === name) return { specifier, imported: '*' };
    const named = declaration.getNamedImports().find((element) => (element.getAliasNode()?.getText() ?? element.getName()) === name);
    if (named) return { specifier, imported: named.getName() };
  }
  for (const declaration of source.getDescendantsOfKind(ts.SyntaxKind.VariableDeclaration)) {
    const init = declaration.getInitializer();
    if (!init || !Node.isCallExpression(init) || init.getExpression().getText() !== 'require') continue;
    const argument = init.getArguments()[0];
    if (!argument || !Node.isStringLiteral(argument)) continue;
    const nameNode = declaration.getNameNode();
    if (Node.isIdentifier(nameNode) && nameNode.getText() === name) return { specifier: argument.getLiteralValue(), imported: '*' };
    if (!Node.isObjectBindingPattern(nameNode)) continue;
    const element = nameNode.getElements().find((candidate) => candidate.getName() === name);
    if (element) return { specifier: argument.getLiteralValue(), imported: element.getPropertyNameNode()?.getText() ?? name };
  }
  return undefined;
}
