import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quoteDot } from '../src/format/dot.js';
import { FORMATS, isGraphFormat, renderGraph, type GraphFormat } from '../src/format/index.js';
import { escapeMermaidText, toMermaidIds } from '../src/format/mermaid.js';
import { toReadable } from '../src/format/text.js';
import type { Graph } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import { buildSampleGraph } from './helpers/sample-graph.js';

const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/format/', import.meta.url));
const GOLDEN_FILES: Record<GraphFormat, string> = {
  text: 'text.golden.txt',
  json: 'json.golden.json',
  mermaid: 'mermaid.golden.mmd',
  dot: 'dot.golden.dot',
};
/** `UPDATE_GOLDEN=1 npx vitest run test/format.test.ts` rewrites the golden files; review the diff before committing. */
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

function emptyGraph(): Graph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [], chains: [], cycles: [], unresolved: [], unreached: [], diagnostics: [] };
}

/** The same graph with every object's keys inserted in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).toReversed().map(([key, item]) => [key, reverseKeys(item)])) as T;
}

describe('golden files', () => {
  it.each(Object.keys(FORMATS) as GraphFormat[])('%s matches its golden file', (format) => {
    const output = renderGraph(buildSampleGraph(), format);
    const goldenPath = path.join(GOLDEN_DIR, GOLDEN_FILES[format]);
    if (UPDATE_GOLDEN || !existsSync(goldenPath)) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(goldenPath, output);
    }
    expect(output).toBe(readFileSync(goldenPath, 'utf8'));
  });
});

describe('every format', () => {
  it.each(Object.keys(FORMATS) as GraphFormat[])('%s is deterministic, ignores key order and ends with a newline', (format) => {
    const output = renderGraph(buildSampleGraph(), format);
    expect(renderGraph(buildSampleGraph(), format)).toBe(output);
    expect(renderGraph(reverseKeys(buildSampleGraph()), format)).toBe(output);
    expect(output.endsWith('\n')).toBe(true);
    expect(output.split('\n').filter((line) => line !== line.trimEnd())).toEqual([]);
  });

  it.each(Object.keys(FORMATS) as GraphFormat[])('%s renders an empty graph', (format) => {
    expect(renderGraph(emptyGraph(), format).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(FORMATS) as GraphFormat[])('%s survives edges between undeclared nodes', (format) => {
    const graph = emptyGraph();
    graph.edges.push({ from: 'ghost-a', to: 'ghost-b', kind: 'invoke-sync', file: 'a.ts', line: 1 });
    expect(renderGraph(graph, format)).toContain('ghost-b');
  });

  it('treats StartSyncExecution as a synchronous call', () => {
    const graph = emptyGraph();
    graph.nodes.push({ id: 'api', kind: 'function' }, { id: 'Express', kind: 'state-machine' }, { id: 'Standard', kind: 'state-machine' });
    const sdk = { service: 'sfn', operation: 'startSyncExecution', sdkVersion: 'v3' } as const;
    graph.edges.push(
      { from: 'api', to: 'Express', kind: 'sfn-start', file: 'a.ts', line: 1, sdk },
      { from: 'api', to: 'Standard', kind: 'sfn-start', file: 'a.ts', line: 2, sdk: { ...sdk, operation: 'startExecution' } },
    );
    expect(renderGraph(graph, 'mermaid')).toContain('n_api -->|"sfn-start (sync)"| n_Express\n  n_api -.->|"sfn-start"| n_Standard\n');
    expect(renderGraph(graph, 'dot')).toContain('"api" -> "Express" [label="sfn-start (sync)"];\n  "api" -> "Standard" [label="sfn-start", style=dashed];\n');
    expect(renderGraph(graph, 'text')).toContain('2 edges (1 sync)');
  });

  it('knows its format names', () => {
    expect(Object.keys(FORMATS)).toEqual(['text', 'json', 'mermaid', 'dot']);
    expect(isGraphFormat('mermaid')).toBe(true);
    expect(isGraphFormat('toString')).toBe(false);
    expect(isGraphFormat('svg')).toBe(false);
  });
});

describe('json', () => {
  it('parses back to the same graph', () => {
    const graph = buildSampleGraph();
    expect(JSON.parse(renderGraph(graph, 'json'))).toEqual(graph);
  });

  it('puts keys in the order of the Graph type and sorts free-form records', () => {
    const graph = reverseKeys(buildSampleGraph());
    const parsed = JSON.parse(renderGraph(graph, 'json')) as Record<string, unknown> & Graph;
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'nodes', 'edges', 'chains', 'cycles', 'unresolved', 'unreached', 'diagnostics']);
    expect(Object.keys(parsed.edges[0] ?? {})).toEqual(['from', 'to', 'kind', 'file', 'line', 'column', 'target', 'sdk', 'resolution', 'via']);
    expect(Object.keys(parsed.edges[1]?.annotations ?? {})).toEqual(['callPath', 'conditions', 'fanOuts', 'payload', 'result', 'retries']);
    expect(Object.keys(parsed.diagnostics[0] ?? {})).toEqual(['code', 'severity', 'message', 'file', 'line', 'column', 'hint']);
  });

  it('keeps keys it does not know, after the known ones', () => {
    const graph = buildSampleGraph();
    (graph.nodes[0] as unknown as Record<string, unknown>).zExtra = { b: 1, a: 2 };
    const text = renderGraph(graph, 'json');
    expect(JSON.parse(text).nodes[0].zExtra).toEqual({ a: 2, b: 1 });
    expect(text.indexOf('"zExtra"')).toBeGreaterThan(text.indexOf('"events"'));
  });

  it('is pretty-printed with two spaces', () => {
    expect(renderGraph(emptyGraph(), 'json')).toBe(
      '{\n  "schemaVersion": 1,\n  "nodes": [],\n  "edges": [],\n  "chains": [],\n  "cycles": [],\n  "unresolved": [],\n  "unreached": [],\n  "diagnostics": []\n}\n',
    );
  });
});

describe('mermaid', () => {
  it.each([
    ['plain', 'plain'],
    ['say "hi"', 'say #quot;hi#quot;'],
    ['a#b', 'a#35;b'],
    ['#quot;', '#35;quot#59;'],
    ['<b>&</b>', '#lt;b#gt;#amp;#lt;/b#gt;'],
    ['`md`', '#96;md#96;'],
    ['a|b;c', 'a#124;b#59;c'],
    ['%%comment', '#37;#37;comment'],
    ['line\r\nbreak', 'line break'],
    ['[x] (y) {z}', '[x] (y) {z}'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeMermaidText(text)).toBe(escaped);
  });

  it('makes safe, unique, stable identifiers', () => {
    const ids = toMermaidIds(['a-b', 'a.b', 'a_b', 'end', 'arn:aws:lambda:eu-west-1:123:function:x', 'src/a', 'oops', 'a-b']);
    expect([...ids.entries()]).toEqual([
      ['a-b', 'n_a_b'],
      ['a.b', 'n_a_b_2'],
      ['a_b', 'n_a_b_3'],
      ['end', 'n_end'],
      ['arn:aws:lambda:eu-west-1:123:function:x', 'n_arn_aws_lambda_eu_west_1_123_function_x'],
      ['src/a', 'n_src_a'],
      ['oops', 'n_oops'],
    ]);
  });

  it('writes only well-formed node and edge statements, even for hostile ids', () => {
    const graph = emptyGraph();
    const hostile = ['a-b', 'a.b', 'x:y/z', 'say "hi"', 'br[ack]ets', 'pa(ren)s', 'cur{ly}', 'semi;colon', 'pipe|d', 'hash#1', '<tag>', '%%c', 'end', 'o', 'x'];
    const kinds = ['function', 'queue', 'topic', 'bus', 'state-machine', 'schedule', 'external'] as const;
    hostile.forEach((id, index) => graph.nodes.push({ id, kind: kinds[index % kinds.length] ?? 'external' }));
    hostile.forEach((id, index) =>
      graph.edges.push({ from: id, to: hostile[(index + 1) % hostile.length] ?? id, kind: index % 2 ? 'sqs' : 'invoke-sync', file: 'a.ts', line: 1 }),
    );
    const lines = renderGraph(graph, 'mermaid').trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const label = '"[^"]*"';
    const node = new RegExp(
      `^  n_\\w+(\\[${label}\\]|\\[\\(${label}\\)\\]|\\{\\{${label}\\}\\}|\\[/${label}/\\]|\\[\\[${label}\\]\\]|\\(\\(${label}\\)\\)|\\(${label}\\)):::k_\\w+$`,
    );
    const edge = new RegExp(`^  (n_\\w+) (-->|-\\.->)\\|${label}\\| (n_\\w+)$`);
    const classDef = /^ {2}classDef k_\w+ [\w#:,.\- ]+$/;
    const declared = new Set<string>();
    for (const line of lines.slice(1)) {
      if (node.test(line)) declared.add(line.trim().split(/[[({]/)[0] ?? '');
      else if (edge.test(line)) {
        const [, from, , to] = edge.exec(line) ?? [];
        expect(declared.has(from ?? '') && declared.has(to ?? '')).toBe(true);
      } else expect(line).toMatch(classDef);
    }
    expect(declared.size).toBe(hostile.length);
    // Labels carry no characters that mermaid would read as syntax.
    for (const match of renderGraph(graph, 'mermaid').matchAll(/"([^"]*)"/g)) {
      expect(match[1]?.replace(/#[a-z0-9]+;/g, '')).not.toMatch(/[<>`|;#%]/);
    }
  });

  it('draws sync calls solid and async hand-offs dotted, labelled with the kind', () => {
    const output = renderGraph(buildSampleGraph(), 'mermaid');
    expect(output).toContain('n_createOrder -->|"invoke-sync"| n_validate_order');
    expect(output).toContain('n_createOrder -.->|"sqs"| n_OrdersQueue');
    expect(output).toContain('n_OrdersQueue -.->|"triggers"| n_notify');
  });

  it('draws parallel edges of one kind once, with a count', () => {
    const graph = buildSampleGraph();
    graph.edges.push({ ...(graph.edges[0] as Graph['edges'][number]), line: 99 });
    expect(renderGraph(graph, 'mermaid')).toContain('n_createOrder -->|"invoke-sync ×2"| n_validate_order');
  });

  it('puts a title in front matter', () => {
    expect(renderGraph(emptyGraph(), 'mermaid', { title: 'Orders: "v2"' })).toBe('---\ntitle: "Orders: \\"v2\\""\n---\nflowchart LR\n');
  });
});

describe('dot', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash \\n', '"back\\\\slash \\\\n"'],
    ['two\nlines', '"two\\nlines"'],
  ])('quotes %j', (text, quoted) => {
    expect(quoteDot(text)).toBe(quoted);
  });

  it('draws async edges dashed', () => {
    const output = renderGraph(buildSampleGraph(), 'dot');
    expect(output).toContain('"createOrder" -> "validate-order" [label="invoke-sync"];');
    expect(output).toContain('"createOrder" -> "OrdersQueue" [label="sqs", style=dashed];');
    expect(output.startsWith('digraph "lambda2sfn" {\n')).toBe(true);
    expect(output.endsWith('}\n')).toBe(true);
  });
});

describe('text', () => {
  it.each([
    [null, 'null'],
    [3, '3'],
    ['word', 'word'],
    ['two words', '"two words"'],
    [{ a: [1, 'x'], b: { c: true }, d: undefined }, '{a: [1, x], b: {c: true}}'],
  ])('renders the annotation value %j readably', (value, text) => {
    expect(toReadable(value)).toBe(text);
  });

  it('says so when the graph is empty', () => {
    expect(renderGraph(emptyGraph(), 'text')).toBe(
      'Graph: no nodes; 0 edges (0 sync); 0 chains; 0 cycles; 0 unresolved; 0 unreached; 0 diagnostics\n',
    );
  });

  it('puts the title first', () => {
    expect(renderGraph(emptyGraph(), 'text', { title: 'orders-app' }).split('\n')[0]).toBe('orders-app');
  });
});
