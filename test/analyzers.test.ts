import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/format/json.js';
import { analyze } from '../src/pipeline.js';
import { validateGraph } from '../src/schema/validate-graph.js';
import { compareExpectations, readExpectedBlock, type Expectations } from './helpers/expectations.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
/** Folders of whole-graph cases: detectors, resolution paths, bad input. IaC analyzers have their own tests. */
const GRAPH_CASE_GROUPS = ['lambda-invoke', 'sqs-send', 'sns-publish', 'eventbridge-put', 'sfn-start', 'http-call', 'resolve', 'indirection', 'robustness'];
/** Pattern analyzers: the same whole-graph cases, with the expected annotations of each edge. */
const PATTERN_CASE_GROUPS = ['retry-loop', 'retry-library', 'sdk-client-retry', 'fan-out', 'condition', 'compensation', 'result-use', 'payload'];

function listCases(group: string): string[] {
  const dir = path.join(FIXTURES, 'analyzers', group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'expected.json')))
    .map((entry) => entry.name)
    .sort();
}

for (const group of [...GRAPH_CASE_GROUPS, ...PATTERN_CASE_GROUPS]) {
  describe(`analyzers/${group}`, () => {
    it('has fixture cases', () => expect(listCases(group).length).toBeGreaterThan(0));
    for (const name of listCases(group)) {
      const caseDir = path.join(FIXTURES, 'analyzers', group, name);
      const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8')) as Expectations;
      it(`${name}: ${expected.description ?? ''}`, async () => {
        const { graph, summaries } = await analyze(caseDir);
        expect(compareExpectations(expected, graph)).toEqual([]);
        if (!PATTERN_CASE_GROUPS.includes(group)) return;
        // Annotations are part of the public Graph JSON; the contexts behind them are cached as plain JSON.
        const validation = validateGraph(JSON.parse(renderJson(graph)));
        expect(validation.valid ? [] : validation.errors).toEqual([]);
        for (const summary of summaries.values()) expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
      });
    }
  });
}

describe('example apps', () => {
  const appsDir = path.join(FIXTURES, 'apps');
  for (const app of readdirSync(appsDir).sort()) {
    const expectedFile = path.join(appsDir, app, 'EXPECTED.md');
    if (!existsSync(expectedFile)) continue;
    it(`${app} gives the hand-derived graph of EXPECTED.md`, async () => {
      const expected = readExpectedBlock(readFileSync(expectedFile, 'utf8'));
      const { graph } = await analyze(path.join(appsDir, app));
      expect(compareExpectations(expected, graph)).toEqual([]);
    });
  }
});

describe('determinism', () => {
  for (const app of ['cdk-returns', 'terraform-claims']) {
    it(`${app}: the same input gives byte-identical JSON`, async () => {
      const dir = path.join(FIXTURES, 'apps', app);
      const [first, second] = [await analyze(dir), await analyze(dir)];
      expect(JSON.stringify(second.graph)).toBe(JSON.stringify(first.graph));
    });
  }
});

describe('graphs of the IaC-heavy apps against the schema', () => {
  for (const app of ['cdk-returns', 'terraform-claims', 'legacy-billing']) {
    it(`${app}: the Graph JSON is valid against schema/graph.schema.json`, async () => {
      const { graph } = await analyze(path.join(FIXTURES, 'apps', app));
      const result = validateGraph(JSON.parse(JSON.stringify(graph)));
      expect(result.valid ? [] : result.errors).toEqual([]);
    });
  }
});
