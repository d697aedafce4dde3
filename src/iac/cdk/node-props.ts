import { Node } from 'ts-morph';

/**
 * The line of a property written in the object literals of a call or `new` (`deadLetterQueue: { ... }` inside
 * `new Queue(this, 'Jobs', { ... })`), searched through nested literals; undefined when the props are not a
 * literal at that place (built elsewhere and passed in).
 */
export function findPropertyLine(node: Node, name: string): number | undefined {
  const args = Node.isCallExpression(node) || Node.isNewExpression(node) ? (node.getArguments() ?? []) : [node];
  for (const arg of args) {
    const found = arg.getFirstDescendant((d) => Node.isPropertyAssignment(d) || Node.isShorthandPropertyAssignment(d) ? d.getName() === name : false);
    if (found) return found.getStartLineNumber();
  }
  return undefined;
}
