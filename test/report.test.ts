import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../generators/report/index.js';
import { analyze } from '../src/pipeline.js';
import { proposePlan } from '../src/propose/index.js';
import { validatePlanAsl } from '../src/validate/validate-plan-outputs.js';
import { createSourceLineReader } from '../src/source-lines.js';
import type { Graph } from '../src/types/graph.js';
import { REPO } from './helpers/run-cli.js';
import { buildSamplePlan } from './helpers/sample-plan.js';

const ORDERS = path.join(REPO, 'fixtures/apps/orders');
const CASES = path.join(REPO, 'fixtures/generators/report');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** A golden file: compared, or rewritten with UPDATE_GOLDEN=1 (then review the diff). */
function expectGolden(file: string, actual: string): void {
  if (UPDATE || !existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The report input for the orders example, as `lambda2sfn report` builds it for a report written to `caseDir`. */
function toInput(graph: Graph, caseDir: string, extra: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'orders',
    graph,
    sourceLink: path.relative(caseDir, ORDERS).split(path.sep).join('/'),
    getSourceLine: createSourceLineReader(ORDERS),
    ...extra,
  };
}

describe('report (Markdown golden files)', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = (await analyze(ORDERS)).graph;
  });

  it('renders the orders example with the sample plan', async () => {
    const dir = path.join(CASES, 'orders-sample-plan');
    const [markdown] = await renderReport(toInput(graph, dir, { plan: buildSamplePlan() }), { formats: ['md'] });
    expectGolden(path.join(dir, 'report.md'), markdown!.contents);
  });

  it('renders the orders example with the plan propose makes (defaults) and its ASL validated', async () => {
    const dir = path.join(CASES, 'orders-proposed-plan');
    const entries = graph.chains.map((chain) => chain.entry);
    const { plan } = await proposePlan({ graph, root: ORDERS, sourceRoot: '.', toolVersion: '0.1.0', entries, sources: { flags: new Map() } });
    const validation = await validatePlanAsl(plan);
    expect(validation.every((item) => item.valid), JSON.stringify(validation)).toBe(true);
    const [markdown] = await renderReport(toInput(graph, dir, { plan, validation }), { formats: ['md'] });
    expectGolden(path.join(dir, 'report.md'), markdown!.contents);
    expect(markdown!.contents).toContain('| `statemachines/place-order.asl.json` |');
  });

  it('renders the orders example without a plan, saying what did not run', async () => {
    const dir = path.join(CASES, 'orders-no-plan');
    const [markdown] = await renderReport(toInput(graph, dir, { cost: { defaultDurationMs: 120, invocationsPerMonth: 250_000 } }), { formats: ['md'] });
    expectGolden(path.join(dir, 'report.md'), markdown!.contents);
    expect(markdown!.contents).toContain('not run');
  });
});
