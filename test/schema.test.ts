import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, type Type } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/format/json.js';
import { findGraphSchemaPath, getGraphSchemaPath, validateGraph } from '../src/schema/validate-graph.js';
import type { Graph } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import { buildSampleGraph } from './helpers/sample-graph.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA_PATH = path.join(REPO_ROOT, 'schema', 'graph.schema.json');

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  $defs?: Record<string, JsonSchema>;
}

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonSchema;

function emptyGraph(): Graph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [], chains: [], cycles: [], unresolved: [], unreached: [], diagnostics: [] };
}

function getErrors(value: unknown): string[] {
  const result = validateGraph(value);
  return result.valid ? [] : result.errors;
}

describe('validateGraph', () => {
  it('accepts the sample graph and returns it', () => {
    const graph = buildSampleGraph();
    expect(validateGraph(graph)).toEqual({ valid: true, graph });
  });

  it('accepts what the json format writes, read back', () => {
    expect(validateGraph(JSON.parse(renderJson(buildSampleGraph()))).valid).toBe(true);
  });

  it('accepts an empty graph', () => {
    expect(validateGraph(emptyGraph()).valid).toBe(true);
  });

  it.each([
    [null, ['graph: must be object, got null']],
    ['graph', ['graph: must be object, got string "graph"']],
    [[], ['graph: must be object, got an array']],
  ])('rejects %j', (value, errors) => {
    expect(getErrors(value)).toEqual(errors);
  });

  it('names missing and unknown properties', () => {
    const { nodes: _nodes, ...rest } = emptyGraph();
    expect(getErrors({ ...rest, extra: true })).toEqual([
      'graph: missing required property "nodes"',
      'graph: unknown property "extra"',
    ]);
  });

  it('says which item is wrong, with its identity, and what was found', () => {
    const graph = buildSampleGraph() as unknown as { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    (graph.nodes[1] as Record<string, unknown>).kind = 'lambda';
    (graph.edges[2] as Record<string, unknown>).line = 0;
    (graph.edges[3] as Record<string, unknown>).sdk = { service: 'lambda', operation: 'invoke', sdkVersion: 'v4' };
    (graph.edges[4] as Record<string, unknown>).dynamic = 'yes';
    expect(getErrors(graph)).toEqual([
      'nodes[1] ("validate-order").kind: must be one of "function", "queue", "topic", "bus", "state-machine", "schedule", "external", got "lambda"',
      'edges[2] (createOrder → OrdersQueue).line: must be >= 1, got 0',
      'edges[3] (charge.payment → createOrder).sdk.sdkVersion: must be one of "v2", "v3", "unknown", got "v4"',
      'edges[4] (validate-order → lambda:legacy[billing] "v1").dynamic: must be boolean, got string "yes"',
    ]);
  });

  it('refuses other schema versions plainly', () => {
    expect(getErrors({ ...emptyGraph(), schemaVersion: 2 })).toEqual([
      'schemaVersion: unsupported schema version 2; this lambda2sfn reads version 1',
    ]);
  });

  it('checks that ids name existing nodes and are unique', () => {
    const graph = buildSampleGraph();
    graph.nodes.push({ id: 'notify', kind: 'function' });
    graph.edges.push({ from: 'createOrder', to: 'ghost', kind: 'invoke-sync', file: 'a.ts', line: 1 });
    graph.chains[0]?.functions.push('phantom');
    graph.cycles.push(['nobody']);
    graph.unresolved.push({ from: 'stranger', kind: 'sqs', file: 'a.ts', line: 2, target: 'x', reason: 'y' });
    expect(getErrors(graph)).toEqual([
      'nodes[12]: duplicate id "notify" (first at nodes[3])',
      'edges[14].to: "ghost" is not the id of a node',
      'chains[0].functions[5]: "phantom" is not the id of a node',
      'cycles[2][0]: "nobody" is not the id of a node',
      'unresolved[2].from: "stranger" is not the id of a node',
    ]);
  });

  it('stops listing errors after 50', () => {
    const graph = emptyGraph();
    for (let i = 0; i < 80; i++) graph.nodes.push({ id: `n${i}`, kind: 'nope' as 'function' });
    const errors = getErrors(graph);
    expect(errors).toHaveLength(51);
    expect(errors[50]).toBe('... and 30 more');
  });
});

describe('the schema file', () => {
  it('is found from the source folder and from the build folder', () => {
    expect(getGraphSchemaPath()).toBe(SCHEMA_PATH);
    expect(findGraphSchemaPath(path.join(REPO_ROOT, 'src', 'schema'))).toBe(SCHEMA_PATH);
    expect(findGraphSchemaPath(path.join(REPO_ROOT, 'dist', 'src', 'schema'))).toBe(SCHEMA_PATH);
    expect(findGraphSchemaPath(path.parse(REPO_ROOT).root)).toBeUndefined();
  });

  it('has the version of the Graph type', () => {
    expect(schema.properties?.schemaVersion?.const).toBe(GRAPH_SCHEMA_VERSION);
  });

  it('lists properties in the order the json format writes them', () => {
    const problems: string[] = [];
    const checkOrder = (value: unknown, node: JsonSchema, where: string): void => {
      const target = resolve(node);
      if (Array.isArray(value)) {
        value.forEach((item, index) => checkOrder(item, target.items ?? {}, `${where}[${index}]`));
      } else if (value !== null && typeof value === 'object' && target.properties) {
        const order = Object.keys(target.properties);
        const keys = Object.keys(value);
        const expected = order.filter((key) => keys.includes(key));
        if (JSON.stringify(keys) !== JSON.stringify(expected)) problems.push(`${where}: ${keys.join(',')} ≠ ${expected.join(',')}`);
        for (const key of keys) checkOrder((value as Record<string, unknown>)[key], target.properties[key] ?? {}, `${where}.${key}`);
      }
    };
    checkOrder(JSON.parse(renderJson(buildSampleGraph())), schema, 'graph');
    expect(problems).toEqual([]);
  });

  it('mirrors src/types/graph.ts: properties in order, optionality, types, enums and doc comments', () => {
    const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: true } });
    const source = project.addSourceFileAtPath(path.join(REPO_ROOT, 'src/types/graph.ts'));
    project.resolveSourceFileDependencies();
    const graphType = source.getInterfaceOrThrow('Graph').getType();
    const problems: string[] = [];
    compareWithSchema(graphType, schema, 'Graph', problems);
    expect(problems).toEqual([]);
  });
});

/** Follows `$ref: '#/$defs/X'`, keeping the referring schema's description. */
function resolve(node: JsonSchema): JsonSchema {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = schema.$defs?.[name];
  if (!target) throw new Error(`dangling $ref ${node.$ref}`);
  return { ...resolve(target), description: node.description ?? target.description };
}

/** Structural comparison of a TypeScript type with a JSON schema; pushes one line per difference. */
function compareWithSchema(type: Type, node: JsonSchema, where: string, problems: string[]): void {
  const target = resolve(node);
  const literals = type.isUnion() ? type.getUnionTypes() : [type];
  if (literals.every((member) => member.isStringLiteral() || member.isNumberLiteral())) {
    const values = literals.map((member) => member.getLiteralValue());
    const allowed = target.enum ?? [target.const];
    if (JSON.stringify(values.toSorted()) !== JSON.stringify(allowed.toSorted())) {
      problems.push(`${where}: type allows ${JSON.stringify(values)}, schema ${JSON.stringify(allowed)}`);
    }
    return;
  }
  // `null` is checked on the property (see `isNullable`); the rest of the schema type must match the TypeScript type.
  const schemaTypes = [target.type ?? []].flat().filter((kind) => kind !== 'null');
  if (type.isString() || type.isNumber() || type.isBoolean()) {
    const expected = type.isString() ? ['string'] : type.isNumber() ? ['number', 'integer'] : ['boolean'];
    if (schemaTypes.length !== 1 || !expected.includes(schemaTypes[0])) problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    return;
  }
  // A union of primitive types (`string | number | boolean`): the schema lists the same JSON types.
  if (type.isUnion() && type.getUnionTypes().every((member) => member.isString() || member.isNumber() || member.isBoolean() || member.isBooleanLiteral())) {
    const kinds = [...new Set(type.getUnionTypes().map((member) => (member.isString() ? 'string' : member.isNumber() ? 'number' : 'boolean')))];
    if (JSON.stringify(kinds.toSorted()) !== JSON.stringify(schemaTypes.toSorted())) {
      problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    }
    return;
  }
  if (type.isArray()) {
    if (target.type !== 'array' || !target.items) {
      problems.push(`${where}: type is an array, schema is not`);
      return;
    }
    compareWithSchema(type.getArrayElementTypeOrThrow(), target.items, `${where}[]`, problems);
    return;
  }
  if (target.type !== 'object') {
    problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    return;
  }
  const indexType = type.getStringIndexType();
  if (indexType) {
    const valueSchema = typeof target.additionalProperties === 'object' ? target.additionalProperties : undefined;
    if (valueSchema && !indexType.isUnknown()) {
      const kinds = (indexType.isUnion() ? indexType.getUnionTypes() : [indexType]).map((member) =>
        member.isString() ? 'string' : member.isNumber() ? 'number' : member.isBoolean() || member.isBooleanLiteral() ? 'boolean' : member.getText(),
      );
      const expected = [...new Set(kinds)].toSorted();
      if (JSON.stringify(expected) !== JSON.stringify([valueSchema.type ?? []].flat().toSorted())) {
        problems.push(`${where}: record values ${JSON.stringify(expected)}, schema ${JSON.stringify(valueSchema.type)}`);
      }
    } else if (target.properties) {
      problems.push(`${where}: a record in the type, fixed properties in the schema`);
    }
    return;
  }
  const properties = type.getProperties();
  const names = properties.map((property) => property.getName());
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(target.properties ?? {}))) {
    problems.push(`${where}: properties ${JSON.stringify(names)}, schema ${JSON.stringify(Object.keys(target.properties ?? {}))}`);
    return;
  }
  if (target.additionalProperties !== false) problems.push(`${where}: schema allows additional properties`);
  const required = properties.filter((property) => !property.isOptional()).map((property) => property.getName());
  if (JSON.stringify(required) !== JSON.stringify(target.required ?? [])) {
    problems.push(`${where}: required ${JSON.stringify(required)}, schema ${JSON.stringify(target.required ?? [])}`);
  }
  for (const property of properties) {
    const declaration = property.getDeclarations()[0];
    if (!declaration) continue;
    const propertySchema = target.properties?.[property.getName()] ?? {};
    const doc = Node.isPropertySignature(declaration)
      ? declaration.getJsDocs().map((jsDoc) => jsDoc.getDescription().trim().replace(/\s+/g, ' ')).join(' ')
      : '';
    if (doc !== '' && doc !== propertySchema.description) {
      problems.push(`${where}.${property.getName()}: doc ${JSON.stringify(doc)}, schema ${JSON.stringify(propertySchema.description)}`);
    }
    const propertyType = property.getTypeAtLocation(declaration);
    if (isNullable(propertyType) !== isNullable(resolve(propertySchema))) {
      problems.push(`${where}.${property.getName()}: null ${isNullable(propertyType) ? 'allowed' : 'not allowed'} in the type, not in the schema`);
    }
    compareWithSchema(propertyType.getNonNullableType(), propertySchema, `${where}.${property.getName()}`, problems);
  }
}

/** Whether a type admits `null` (not `undefined`: optionality is checked with `required`), or a schema does. */
function isNullable(value: Type | JsonSchema): boolean {
  if ('getUnionTypes' in value) return value.isNull() || (value.isUnion() && value.getUnionTypes().some((member) => member.isNull()));
  return [value.type ?? []].flat().includes('null') || (value.enum ?? []).includes(null);
}
