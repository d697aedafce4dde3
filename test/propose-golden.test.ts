import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asl, renderAsl } from '../generators/asl.js';
import { renderPlanYaml } from '../src/plan-file.js';
import { proposePlan } from '../src/propose/index.js';
import { validateGraph } from '../src/schema/validate-graph.js';
import { validatePlan } from '../src/schema/validate-plan.js';
import { validateAsl } from '../src/validate/validate-asl.js';
import { REPO } from './helpers/run-cli.js';

/**
 * One folder per mapping rule (fixtures/generators/asl/<case>/): a Graph (`graph.json`, with the source files its
 * evidence cites), optional `options.json` ({ entries, decide }), and the expected plan and ASL under `expected/`.
 * `UPDATE_GOLDEN=1` rewrites the expected files; review the diff. Every definition is also validated, in both
 * query languages.
 */
const CASES = path.join(REPO, 'fixtures/generators/asl');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface CaseOptions {
  entries?: string[];
  decide?: Record<string, string>;
}

describe.each(readdirSync(CASES).sort())('mapping rule %s', (name) => {
  const folder = path.join(CASES, name);
  it('gives the expected plan and ASL, all valid', async () => {
    const graph = JSON.parse(readFileSync(path.join(folder, 'graph.json'), 'utf8')) as unknown;
    const graphCheck = validateGraph(graph);
    if (!graphCheck.valid) throw new Error(`graph.json is not a valid Graph:\n${graphCheck.errors.join('\n')}`);
    const options: CaseOptions = existsSync(path.join(folder, 'options.json')) ? JSON.parse(readFileSync(path.join(folder, 'options.json'), 'utf8')) : {};
    const { plan, unusedFlags } = await proposePlan({
      graph: graphCheck.graph,
      root: folder,
      sourceRoot: '..',
      toolVersion: 'test',
      entries: options.entries ?? graphCheck.graph.chains.map((chain) => chain.entry),
      sources: { flags: new Map(Object.entries(options.decide ?? {})) },
    });
    expect(unusedFlags).toEqual([]);
    expect(validatePlan(plan)).toMatchObject({ valid: true });
    const files = [{ path: 'lambda2sfn.plan.yaml', contents: renderPlanYaml(plan) }, ...(await asl.generate(plan, {}))];
    const expected = path.join(folder, 'expected');
    if (UPDATE) {
      rmSync(expected, { recursive: true, force: true });
      for (const file of files) {
        mkdirSync(path.dirname(path.join(expected, file.path)), { recursive: true });
        writeFileSync(path.join(expected, file.path), file.contents);
      }
    }
    expect(listFiles(expected)).toEqual(files.map((file) => file.path).sort());
    for (const file of files) expect(file.contents, file.path).toBe(readFileSync(path.join(expected, file.path), 'utf8'));
    for (const workflow of plan.workflows) {
      for (const queryLanguage of ['JSONPath', 'JSONata'] as const) {
        expect(await validateAsl(renderAsl({ ...workflow, queryLanguage })), `${workflow.name} in ${queryLanguage}`).toEqual({ valid: true, errors: [] });
      }
    }
  });
});

function listFiles(folder: string, prefix = ''): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}
