import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/format/json.js';
import { findGraphSchemaPath, getGraphSchemaPath, validateGraph } from '../src/schema/validate-graph.js';
import type { Graph } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import { buildSampleGraph } from './helpers/sample-graph.js';
import { compareTypeWithSchema, resolveRef, type JsonSchema } from './helpers/schema-compare.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA_PATH = path.join(REPO_ROOT, 'schema', 'graph.schema.json');

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
      const target = resolveRef(node, schema);
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
    expect(compareTypeWithSchema(graphType, schema, 'Graph')).toEqual([]);
  });
});
