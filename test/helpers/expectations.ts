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
 * A diagnostic expectation without `line` accepts any line. An edge's `annotations` do not take part in finding
 * the edge; once found, they are compared with `compareAnnotations`.
 */
function project(item: Record<string, unknown>, using: string[]): string {
  return JSON.stringify(using.map((key) => [key, item[key] ?? null]));
}

export function compareLists(name: string, expected: Record<string, unknown>[], actual: Record<string, unknown>[]): string[] {
  const keys = [...new Set(expected.flatMap((item) => Object.keys(item)))].filter((key) => key !== 'annotations');
  const problems: string[] = [];
  const remaining = [...actual];
  for (const want of expected) {
    const using = Object.keys(want).filter((key) => key !== 'annotations');
    const index = remaining.findIndex((have) => project(have, using) === project(want, using));
    if (index === -1) {
      problems.push(`${name}: missing ${JSON.stringify(want)}`);
      continue;
    }
    if (want.annotations !== undefined) {
      const where = `${name}: ${JSON.stringify(Object.fromEntries(using.map((key) => [key, want[key]])))} annotations`;
      problems.push(...compareAnnotations(want.annotations, remaining[index].annotations, where));
    }
    remaining.splice(index, 1);
  }
  for (const extra of remaining) {
    const shown = Object.fromEntries((keys.length ? keys : Object.keys(extra)).map((key) => [key, extra[key]]));
    problems.push(`${name}: unexpected ${JSON.stringify(shown)}`);
  }
  return problems;
}

/**
 * Expected annotations, compared on the keys written, recursively: an object matches when each key it writes
 * matches; a list must have as many items, each matching in order; numbers, strings and booleans exactly; `null`
 * and `[]` also match an absent value (so `"compensation": null` says there is none).
 */
export function compareAnnotations(expected: unknown, actual: unknown, where: string): string[] {
  if (expected === null) return actual === undefined || actual === null ? [] : [`${where}: expected none, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected)) {
    const list = actual ?? [];
    if (!Array.isArray(list) || list.length !== expected.length) {
      return [`${where}: expected ${expected.length} item(s), got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((item, i) => compareAnnotations(item, list[i], `${where}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${where}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => compareAnnotations(value, (actual as Record<string, unknown>)[key], `${where}.${key}`));
  }
  return Object.is(expected, actual) ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
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
