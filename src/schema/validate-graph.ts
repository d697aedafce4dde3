import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Graph } from '../types/graph.js';
import { compileSchema, findSchemaPath, getSchemaPath, isObject, limitErrors, toReadableErrors } from './schema-errors.js';

export type GraphValidation = { valid: true; graph: Graph } | { valid: false; errors: string[] };

const SCHEMA_FILE = 'graph.schema.json';

let compiled: ValidateFunction<Graph> | undefined;

/**
 * Checks that a value (typically parsed from a `--format json` file) is a Graph: first against
 * `schema/graph.schema.json`, then for what a schema cannot say: node ids are unique, and edges, chains, cycles
 * and unresolved targets only name nodes that exist. Errors are sentences that name the place
 * (`edges[3].kind: must be one of ...`), at most MAX_ERRORS of them.
 */
export function validateGraph(value: unknown): GraphValidation {
  const validate = getValidator();
  if (!validate(value)) return { valid: false, errors: limitErrors(toReadableErrors(value, validate.errors ?? [], 'graph', describeItem)) };
  const referenceErrors = getReferenceErrors(value);
  if (referenceErrors.length > 0) return { valid: false, errors: limitErrors(referenceErrors) };
  return { valid: true, graph: value };
}

/** The schema file (see `getSchemaPath`). */
export function getGraphSchemaPath(): string {
  return getSchemaPath(SCHEMA_FILE);
}

/** The schema in the nearest folder at or above `startFolder` that holds a package.json and the schema. */
export function findGraphSchemaPath(startFolder: string): string | undefined {
  return findSchemaPath(startFolder, SCHEMA_FILE);
}

function getValidator(): ValidateFunction<Graph> {
  compiled ??= compileSchema<Graph>(SCHEMA_FILE);
  return compiled;
}

/** Items of the top-level collections carry their identity in error messages. */
function describeItem(collection: string, item: unknown): string {
  if (!isObject(item)) return '';
  if (collection === 'nodes' && typeof item.id === 'string') return ` (${JSON.stringify(item.id)})`;
  if (collection === 'edges' && typeof item.from === 'string' && typeof item.to === 'string') return ` (${item.from} → ${item.to})`;
  return '';
}

/** Ids that must name a node. Runs only on schema-valid graphs. */
function getReferenceErrors(graph: Graph): string[] {
  const errors: string[] = [];
  const firstIndex = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    const first = firstIndex.get(node.id);
    if (first === undefined) firstIndex.set(node.id, index);
    else errors.push(`nodes[${index}]: duplicate id ${JSON.stringify(node.id)} (first at nodes[${first}])`);
  });
  const check = (where: string, id: string): void => {
    if (!firstIndex.has(id)) errors.push(`${where}: ${JSON.stringify(id)} is not the id of a node`);
  };
  graph.edges.forEach((edge, index) => {
    check(`edges[${index}].from`, edge.from);
    check(`edges[${index}].to`, edge.to);
  });
  graph.chains.forEach((chain, index) => {
    check(`chains[${index}].entry`, chain.entry);
    chain.nodes.forEach((id, position) => check(`chains[${index}].nodes[${position}]`, id));
    chain.functions.forEach((id, position) => check(`chains[${index}].functions[${position}]`, id));
  });
  graph.cycles.forEach((cycle, index) => cycle.forEach((id, position) => check(`cycles[${index}][${position}]`, id)));
  graph.unresolved.forEach((item, index) => {
    if (item.from !== undefined) check(`unresolved[${index}].from`, item.from);
  });
  return errors;
}
