import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import { compareExpectations } from '../helpers/expectations.js';
import { appSpecArbitrary, renderApp, type GeneratedApp } from './app-generator.js';

/**
 * Round trip: random applications with a known graph (app-generator.ts) are written to a temporary folder and
 * analysed; the analysis must give exactly their graph: nodes, code edges with kind, from, to, file and line,
 * triggers, and nothing unresolved, unreached or diagnosed. `npm test` runs a fixed seed; longer runs:
 * `npm run test:property -- --runs 5000 --seed 42` (docs/robustness.md).
 */

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const base = mkdtempSync(path.join(tmpdir(), 'l2s-property-'));
let counter = 0;

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

describe('round trip: generated applications', () => {
  it(`gives back the exact graph (${RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(appSpecArbitrary(), async (spec) => {
        const app = renderApp(spec);
        const dir = writeApp(app);
        try {
          const { graph } = await analyze(dir);
          const problems = compareExpectations({ ...app.expected, unresolved: [], unreached: [], diagnostics: [] }, graph);
          if (problems.length > 0) {
            throw new Error(`${problems.join('\n')}\n\nfiles:\n${Object.entries(app.files).map(([f, t]) => `--- ${f}\n${t}`).join('\n')}`);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.PROPERTY_SHRINK === '0' },
    );
    expect(counter).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
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
      for (const edge of expected.edges) seen.add(`edge:${edge.kind}`);
      if (expected.triggers.length > 0) seen.add('triggers');
    }
    expect([...seen].sort()).toEqual(
      [
        'edge:invoke-async', 'edge:invoke-sync', 'edge:sns', 'edge:sqs',
        'form:await', 'form:multiline', 'form:then',
        'format:cdk', 'format:sam', 'format:serverless', 'format:terraform',
        'local:false', 'local:true',
        'naming:env-config-module', 'naming:env-destructured', 'naming:environment', 'naming:literal', 'naming:literal-constant', 'naming:literal-imported',
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
