import { Node, ts, type SourceFile, type Statement } from 'ts-morph';

/**
 * A handler export and the function behind it, in the shapes handlers are written:
 * `export const handler = async (event) => {}`, `export async function handler(event) {}`,
 * `exports.handler = async (event) => {}` / `module.exports.handler = ...`, or a local function exported by name
 * (`export { handler }`, `module.exports = { handler }`).
 */
export interface HandlerFunction {
  name: string;
  /** The function node (arrow, function expression or declaration). */
  fn: Node;
  /** The top-level statement that declares it. */
  statement: Statement;
  style: 'export-const' | 'export-function' | 'cjs-export' | 'local-const' | 'local-function';
}

export function findHandler(source: SourceFile, name: string): HandlerFunction | undefined {
  for (const statement of source.getStatements()) {
    if (Node.isFunctionDeclaration(statement) && statement.getName() === name && statement.getBody()) {
      return { name, fn: statement, statement, style: statement.hasExportKeyword() ? 'export-function' : 'local-function' };
    }
    if (Node.isVariableStatement(statement)) {
      const declaration = statement.getDeclarations().find((candidate) => candidate.getName() === name);
      const init = declaration?.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return { name, fn: init, statement, style: statement.hasExportKeyword() ? 'export-const' : 'local-const' };
    }
    if (Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression();
      if (!Node.isBinaryExpression(expression) || expression.getOperatorToken().getKind() !== ts.SyntaxKind.EqualsToken) continue;
      const left = expression.getLeft().getText();
      const right = expression.getRight();
      if ((left === `exports.${name}` || left === `module.exports.${name}`) && (Node.isArrowFunction(right) || Node.isFunctionExpression(right))) return { name, fn: right, statement, style: 'cjs-export' };
    }
  }
  return undefined;
}

/** The body block of a function-like node (an expression-bodied arrow has none). */
export function getBody(fn: Node) {
  const body = (fn as never as { getBody(): Node | undefined }).getBody();
  return body && Node.isBlock(body) ? body : undefined;
}

export function getParameters(fn: Node) {
  return (fn as never as { getParameters(): import('ts-morph').ParameterDeclaration[] }).getParameters();
}

export function getReturnTypeNode(fn: Node) {
  return (fn as never as { getReturnTypeNode(): import('ts-morph').TypeNode | undefined }).getReturnTypeNode();
}

/** `Promise<T>` → `T`; anything else as written. */
export function getAwaitedTypeText(type: string): string {
  const match = /^Promise<([\s\S]*)>$/.exec(type.trim());
  return match ? match[1]!.trim() : type.trim();
}
