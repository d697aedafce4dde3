import { Node } from 'ts-morph';
import { findHandler, getBody, getParameters } from './handler-function.js';
import { substituteIdentifiers } from './payload.js';
import { isLogging } from './remove-retries.js';
import { unwrapAwait } from './sites.js';
import { applyEdits, getEnclosingFunction, getIndentAt, getReferences, getRelativeFile, parseSource, reindent } from './source.js';
import { findTaggedCall, getTagIndexes, tagOf } from './tags.js';
import type { Problem, Transformation } from './types.js';

/**
 * A helper of the same file that does nothing but make a moved call (once its retry loop is gone), like
 * `authorizePayment(order)` → `return await invokeFunction(...)`, is replaced at its one call in the handler by the
 * call itself, with the helper's parameters replaced by the arguments. The helper, now unused, is removed later.
 */
export function inlineHelpers(file: string, text: string, exportName: string): { text: string; applied: Transformation[]; problems: Problem[] } {
  const applied: Transformation[] = [];
  let current = text;
  for (const index of getTagIndexes(text)) {
    for (let depth = 0; depth < 3; depth++) {
      const source = parseSource(file, current);
      const handler = findHandler(source, exportName);
      const call = findTaggedCall(source, index);
      if (!handler || !call) break;
      const helper = getEnclosingFunction(call);
      if (!helper || helper === handler.fn) break;
      const name = getHelperName(helper);
      const awaited = getAwaitedCall(call);
      if (!name || !isPassThrough(helper, awaited)) break;
      const references = getReferences(handler.fn, name);
      const use = references[0]?.getParent();
      if (references.length !== 1 || !use || !Node.isCallExpression(use) || use.getExpression() !== references[0]) break;
      const substitution = new Map<string, Node>();
      const args = use.getArguments();
      getParameters(helper).forEach((parameter, position) => {
        if (args[position]) substitution.set(parameter.getName(), args[position]);
      });
      const inlined = substituteIdentifiers(awaited, substitution);
      if (inlined === undefined) break;
      // The call moves to the handler, with its mark; the helper keeps an unmarked copy (removed once unused).
      const full = source.getFullText();
      const mark = full.indexOf(tagOf(index));
      const moved = reindent(inlined, getIndentAt(full, awaited.getStart()), getIndentAt(full, use.getStart()));
      current = applyEdits(current, [
        { start: mark, end: mark + tagOf(index).length, text: '' },
        { start: use.getStart(), end: use.getEnd(), text: tagOf(index) + moved },
      ]);
      applied.push({ kind: 'helper-inlined', file: getRelativeFile(use), line: use.getStartLineNumber(), description: `${name}(...) only made the call: the handler makes it directly, and the workflow moves it` });
    }
  }
  return { text: current, applied, problems: [] };
}

/** SDK v2 calls are awaited through `.promise()`. */
function getAwaitedCall(call: Node): Node {
  const parent = call.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getName() === 'promise' && Node.isCallExpression(parent.getParent())) return parent.getParent()!;
  return call;
}

function getHelperName(fn: Node): string | undefined {
  if (Node.isFunctionDeclaration(fn)) return Node.isSourceFile(fn.getParent()) ? fn.getName() : undefined;
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) && Node.isSourceFile(parent.getVariableStatement()?.getParent())) return parent.getName();
  return undefined;
}

/** `return await call(...)` (or `const r = await call(...); return r;`), logging aside, with plain parameters. */
function isPassThrough(fn: Node, awaited: Node): boolean {
  if (getParameters(fn).some((parameter) => !Node.isIdentifier(parameter.getNameNode()))) return false;
  const body = getBody(fn);
  if (!body) {
    const expression = (fn as never as { getBody(): Node }).getBody();
    return unwrapAwait(expression) === awaited;
  }
  const statements = body.getStatements().filter((statement) => !isLogging(statement));
  const [first, second] = statements;
  if (statements.length === 1 && first && Node.isReturnStatement(first)) return first.getExpression() !== undefined && unwrapAwait(first.getExpression()!) === awaited;
  if (statements.length === 2 && first && second && Node.isVariableStatement(first) && Node.isReturnStatement(second)) {
    const declaration = first.getDeclarations()[0];
    if (first.getDeclarations().length !== 1 || declaration?.getInitializer() === undefined || unwrapAwait(declaration.getInitializer()!) !== awaited) return false;
    const returned = second.getExpression();
    if (returned?.getText() === declaration.getName()) return true;
    // An SDK invoke's response, decoded: the workflow passes the decoded result.
    const parse = returned ? unwrapAwait(returned) : undefined;
    return parse !== undefined && Node.isCallExpression(parse) && parse.getExpression().getText() === 'JSON.parse' && (parse.getArguments()[0]?.getText().includes(`${declaration.getName()}.Payload`) ?? false);
  }
  return false;
}
