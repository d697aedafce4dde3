import type { Graph } from '../../src/types/graph.js';

/** The hand-written expectations of a fixture case (see fixtures/apps/CONVENTIONS.md). */
export interface Expectations {
  description?: string;
  nodes?: Record<string, unknown>[];
  edges?: Record<string, unknown>[];
  triggers?: Record<string, unknown>[];
  unresolved?: Record<string, unknown>[];
  unreached?: Record<string, unknown>[];
  diagnostics?: Record<string, unknown>[];
}

const TRIGGER_KINDS = new Set(['triggers', 'dead-letter']);

/** The lists of a graph that expectations speak about, by expectation key. */
export function getActualLists(graph: Graph): Record<keyof Omit<Expectations, 'description'>, Record<string, unknown>[]> {
  return {
    nodes: graph.nodes as unknown as Record<string, unknown>[],
    edges: graph.edges.filter((e) => !TRIGGER_KINDS.has(e.kind)) as unknown as Record<string, unknown>[],
    triggers: graph.edges.filter((e) => TRIGGER_KINDS.has(e.kind)) as unknown as Record<string, unknown>[],
    unresolved: graph.unresolved as unknown as Record<string, unknown>[],
    unreached: graph.unreached as unknown as Record<string, unknown>[],
    diagnostics: graph.diagnostics as unknown as Record<string, unknown>[],
  };
}

/**
 * Compare as sets on the keys the expectation writes. Returns readable differences (empty when equal).
 * A diagnostic expectation without `line` accepts any line.
 */
function project(item: Record<string, unknown>, using: string[]): string {
  return JSON.stringify(using.map((key) => [key, item[key] ?? null]));
}

export function compareLists(name: string, expected: Record<string, unknown>[], actual: Record<string, unknown>[]): string[] {
  const keys = [...new Set(expected.flatMap((item) => Object.keys(item)))];
  const problems: string[] = [];
  const remaining = [...actual];
  for (const want of expected) {
    const using = Object.keys(want);
    const index = remaining.findIndex((have) => project(have, using) === project(want, using));
    if (index === -1) problems.push(`${name}: missing ${JSON.stringify(want)}`);
    else remaining.splice(index, 1);
  }
  for (const extra of remaining) {
    const shown = Object.fromEntries((keys.length ? keys : Object.keys(extra)).map((key) => [key, extra[key]]));
    problems.push(`${name}: unexpected ${JSON.stringify(shown)}`);
  }
  return problems;
}

export function compareExpectations(expected: Expectations, graph: Graph): string[] {
  const actual = getActualLists(graph);
  const problems: string[] = [];
  for (const key of ['nodes', 'edges', 'triggers', 'unresolved', 'unreached', 'diagnostics'] as const) {
    const want = expected[key];
    if (want) problems.push(...compareLists(key, want, actual[key]));
  }
  return problems;
}

/** The ```json expected block of an EXPECTED.md. */
export function readExpectedBlock(markdown: string): Expectations {
  const match = /```json expected\n([\s\S]*?)```/.exec(markdown);
  if (!match) throw new Error('no ```json expected block');
  return JSON.parse(match[1]) as Expectations;
}
