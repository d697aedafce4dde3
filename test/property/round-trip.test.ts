import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import { proposePlan } from '../../src/propose/index.js';
import type { Graph } from '../../src/types/graph.js';
import { validatePlanAsl } from '../../src/validate/validate-plan-outputs.js';
import { compareExpectations } from '../helpers/expectations.js';
import { appSpecArbitrary, renderApp, type GeneratedApp } from './app-generator.js';

/**
 * Round trip: random applications with a known graph (app-generator.ts) are written to a temporary folder and
 * analysed; the analysis must give exactly their graph: nodes, code edges with kind, from, to, file and line, their
 * retry, fan-out and condition annotations, triggers, and nothing unresolved, unreached or diagnosed. Then every
 * chain of the graph is proposed as a workflow (with the drawn workflow type and query language, defaults for the
 * rest) and every ASL definition must validate (asl-validator with ARN and path checks, the language service,
 * JSONata). `npm test` runs a fixed seed; longer runs: `npm run test:property -- --runs 5000 --seed 42`
 * (docs/robustness.md).
 */

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const base = mkdtempSync(path.join(tmpdir(), 'l2s-property-'));
let counter = 0;
let validated = 0;

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function writeApp(app: GeneratedApp): string {
  const dir = path.join(base, String(counter++));
  for (const [file, text] of Object.entries(app.files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Every chain proposed as a workflow; the ASL of each, rendered and validated. Returns the problems. */
async function proposeAndValidate(graph: Graph, dir: string, flags: Map<string, string>): Promise<string[]> {
  const entries = graph.chains.map((chain) => chain.entry);
  const { plan } = await proposePlan({ graph, root: dir, sourceRoot: '.', toolVersion: 'property-test', entries, sources: { flags: new Map(flags) } });
  const results = await validatePlanAsl(plan);
  validated += results.length;
  return results.filter((result) => !result.valid).map((result) => `${result.file}: ${result.errors.join('; ')}\n${JSON.stringify(plan.workflows.find((workflow) => result.file.includes(workflow.name))?.model, null, 2)}`);
}

function showFiles(app: GeneratedApp): string {
  return Object.entries(app.files).map(([f, t]) => `--- ${f}\n${t}`).join('\n');
}

const decisions = fc.record({
  'workflow-type': fc.constantFrom('STANDARD', 'EXPRESS'),
  'query-language': fc.constantFrom('JSONPath', 'JSONata'),
});

describe('round trip: generated applications', () => {
  it(`gives back the exact graph, and valid ASL for every chain (${RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(appSpecArbitrary(), decisions, async (spec, decided) => {
        const app = renderApp(spec);
        const dir = writeApp(app);
        try {
          const { graph } = await analyze(dir);
          const problems = compareExpectations({ ...app.expected, unresolved: [], unreached: [], diagnostics: [] }, graph);
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\nfiles:\n${showFiles(app)}`);
          const invalid = await proposeAndValidate(graph, dir, new Map(Object.entries(decided)));
          if (invalid.length > 0) throw new Error(`invalid ASL (${JSON.stringify(decided)}):\n${invalid.join('\n')}\n\nfiles:\n${showFiles(app)}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.PROPERTY_SHRINK === '0' },
    );
    expect(counter).toBeGreaterThanOrEqual(RUNS);
    // Most drawn applications have a chain: the ASL check is not vacuous.
    expect(validated).toBeGreaterThan(RUNS / 2);
  }, 1_200_000);
});

describe('the app generator', () => {
  it('draws every shape it knows, with edges to find', () => {
    const apps = fc.sample(appSpecArbitrary(), { numRuns: 300, seed: SEED }).map((spec) => renderApp(spec));
    const seen = new Set<string>();
    for (const { spec, expected } of apps) {
      seen.add(`format:${spec.format}`).add(`sdk:${spec.sdk}`);
      for (const fn of spec.functions) {
        seen.add(`style:${fn.style}`).add(`sharedClients:${fn.sharedClients}`);
        for (const call of fn.calls) seen.add(`naming:${call.naming}`).add(`form:${call.form}`).add(`wrapper:${call.wrapper}`).add(`local:${call.inLocalHelper}`);
      }
      for (const edge of expected.edges) {
        seen.add(`edge:${edge.kind}`);
        if (edge.annotations.retries.length > 0) seen.add('pattern:retry');
        if (edge.annotations.fanOuts.length > 0) seen.add('pattern:fan-out');
        if (edge.annotations.conditions.length > 0) seen.add('pattern:condition');
      }
      if (expected.triggers.length > 0) seen.add('triggers');
    }
    expect([...seen].sort()).toEqual(
      [
        'edge:invoke-async', 'edge:invoke-sync', 'edge:sns', 'edge:sqs',
        'form:await', 'form:multiline', 'form:then',
        'format:cdk', 'format:sam', 'format:serverless', 'format:terraform',
        'local:false', 'local:true',
        'naming:env-config-module',
        'pattern:condition', 'pattern:fan-out', 'pattern:retry', 'naming:env-destructured', 'naming:environment', 'naming:literal', 'naming:literal-constant', 'naming:literal-imported',
        'sdk:v2', 'sdk:v3', 'sdk:v3-aggregated',
        'sharedClients:false', 'sharedClients:true',
        'style:cjs', 'style:esm', 'style:ts',
        'triggers',
        'wrapper:false', 'wrapper:true',
      ].sort(),
    );
    expect(apps.reduce((sum, app) => sum + app.expected.edges.length, 0)).toBeGreaterThan(300);
  });
});
