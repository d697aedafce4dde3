import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { toSentence } from '../read-config-json.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** A path into a parsed value: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/** A JSON or YAML document: its value, and the line of any place in it (for messages that say where). */
export type StructuredText =
  | { value: unknown; getLine(path: ValuePath): number }
  | { error: string; line: number };

/**
 * Parses JSON (comments and trailing commas allowed, as people write config files; jsonc-parser) or YAML (the
 * `yaml` package) and keeps the positions, so a problem found later in the value can be reported at its line.
 */
export function parseStructuredText(text: string, format: 'json' | 'yaml'): StructuredText {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

/** The format by the file's name: YAML for `.yaml`/`.yml`, else JSON. */
export function getStructuredFormat(file: string): 'json' | 'yaml' {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'json';
}

function parseJson(text: string): StructuredText {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first || !tree) return { error: first ? toSentence(printParseErrorCode(first.error)) : 'empty file', line: first ? toLine(text, first.offset) : 1 };
  return {
    value: toValue(tree),
    getLine: (path) => toLine(text, findDeepestNode(tree, path).offset),
  };
}

/** The node at the path, or the deepest one that exists on the way to it. */
function findDeepestNode(tree: JsonNode, path: ValuePath): JsonNode {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (node) return node;
  }
  return tree;
}

/** jsonc-parser's tree to a plain value (its getNodeValue, without a second parse). */
function toValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((property) => [property.children![0].value as string, property.children![1] ? toValue(property.children![1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

function parseYaml(text: string): StructuredText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) return { error: first.message.split('\n')[0], line: lineCounter.linePos(first.pos[0]).line };
  return {
    value: document.toJS({ maxAliasCount: 1000 }) as unknown,
    getLine: (path) => lineCounter.linePos(findYamlOffset(document, path)).line,
  };
}

/** The offset of the node at the path (of its key, for a map entry), or of the deepest one that exists on the way to it. */
function findYamlOffset(document: Document, path: ValuePath): number {
  let node: unknown = document.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment));
      if (!pair) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as { range?: number[] }).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function toLine(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
