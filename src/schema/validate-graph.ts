import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Graph } from '../types/graph.js';

export type GraphValidation = { valid: true; graph: Graph } | { valid: false; errors: string[] };

const SCHEMA_FILE = path.join('schema', 'graph.schema.json');
/** A broken file can fail every item; past this many, the list stops helping. */
const MAX_ERRORS = 50;

let compiled: ValidateFunction<Graph> | undefined;

/**
 * Checks that a value (typically parsed from a `--format json` file) is a Graph: first against
 * `schema/graph.schema.json`, then for what a schema cannot say: node ids are unique, and edges, chains, cycles
 * and unresolved targets only name nodes that exist. Errors are sentences that name the place
 * (`edges[3].kind: must be one of ...`), at most MAX_ERRORS of them.
 */
export function validateGraph(value: unknown): GraphValidation {
  const validate = getValidator();
  if (!validate(value)) return { valid: false, errors: limitErrors(toReadableErrors(value, validate.errors ?? [])) };
  const referenceErrors = getReferenceErrors(value);
  if (referenceErrors.length > 0) return { valid: false, errors: limitErrors(referenceErrors) };
  return { valid: true, graph: value };
}

/**
 * The schema file, found by walking up from this module to the package root: the module runs from `src/schema/`
 * under vitest and from `dist/src/schema/` once built, and the schema sits at the package root in both cases.
 */
export function getGraphSchemaPath(): string {
  const moduleFolder = path.dirname(fileURLToPath(import.meta.url));
  const found = findGraphSchemaPath(moduleFolder);
  // A missing schema is a packaging bug, not bad input: fail loudly.
  if (found === undefined) throw new Error(`Cannot find ${SCHEMA_FILE} in any folder above ${moduleFolder}`);
  return found;
}

/** The schema in the nearest folder at or above `startFolder` that holds a package.json and the schema. */
export function findGraphSchemaPath(startFolder: string): string | undefined {
  for (let folder = path.resolve(startFolder); ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, SCHEMA_FILE);
    if (existsSync(path.join(folder, 'package.json')) && existsSync(candidate)) return candidate;
    if (path.dirname(folder) === folder) return undefined;
  }
}

function getValidator(): ValidateFunction<Graph> {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(getGraphSchemaPath(), 'utf8')) as object;
    // verbose: keeps the offending value on each error, so that messages can say what was found.
    compiled = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile<Graph>(schema);
  }
  return compiled;
}

function toReadableErrors(root: unknown, errors: readonly ErrorObject[]): string[] {
  const messages = errors.map((error) => `${describePath(root, error.instancePath)}: ${describeError(error)}`);
  return [...new Set(messages)];
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${toShortJson(error.data)}`;
    case 'const':
      return error.instancePath === '/schemaVersion'
        ? `unsupported schema version ${toShortJson(error.data)}; this lambda2sfn reads version ${JSON.stringify(params.allowedValue)}`
        : `must be ${JSON.stringify(params.allowedValue)}, got ${toShortJson(error.data)}`;
    case 'type':
      return `must be ${String(params.type).replace(',', ' or ')}, got ${describeType(error.data)}`;
    default:
      return `${error.message ?? 'is invalid'}${error.keyword === 'minimum' ? `, got ${toShortJson(error.data)}` : ''}`;
  }
}

/** `/edges/3/sdk/service` → `edges[3] (createOrder → notify).sdk.service`: array items carry their identity. */
function describePath(root: unknown, pointer: string): string {
  if (pointer === '') return 'graph';
  const segments = pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let text = '';
  let current: unknown = root;
  segments.forEach((segment, index) => {
    const isIndex = Array.isArray(current) && /^\d+$/.test(segment);
    text += isIndex ? `[${segment}]` : `${text === '' ? '' : '.'}${segment}`;
    current = isObject(current) || Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
    if (index === 1 && isIndex) text += describeItem(segments[0] ?? '', current);
  });
  return text;
}

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

function limitErrors(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), `... and ${errors.length - MAX_ERRORS} more`];
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${toShortJson(value)}`;
}

function toShortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
