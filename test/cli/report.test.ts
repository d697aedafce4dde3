import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPlanYaml } from '../../src/plan-file.js';
import type { ScenarioResult, Trace } from '../../src/simulate/types.js';
import { REPO, runCliAsync as runCli } from '../helpers/run-cli.js';
import { buildSamplePlan } from '../helpers/sample-plan.js';

const ORDERS = 'fixtures/apps/orders';
/** Debian's chromium package; `.ci/run` installs it, so CI always runs the browser test. */
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = path.join(REPO, 'test-output');

/** The sample plan as a plan file in a fresh folder. */
function writeSamplePlan(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-plan-'));
  const file = path.join(dir, 'lambda2sfn.plan.yaml');
  writeFileSync(file, renderPlanYaml(buildSamplePlan()));
  return file;
}

describe('lambda2sfn report', () => {
  it('writes report.md and report.html, refuses to overwrite without --force', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'l2s-report-'));
    const plan = writeSamplePlan();
    const first = await runCli(['report', ORDERS, '--out', out, '--plan', plan, '--no-progress']);
    expect(first.stderr).toContain('report.html');
    expect(first.code).toBe(0);
    const markdown = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('# Migration report: orders');
    expect(markdown).toContain('```mermaid');
    // Source links are relative from the report's folder to the analysed folder.
    const link = path.relative(out, path.join(REPO, ORDERS)).split(path.sep).join('/');
    expect(markdown).toContain(`](${link}/src/handlers/place-order.ts#L82)`);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/)/);

    const again = await runCli(['report', ORDERS, '--out', out, '--plan', plan, '--no-progress']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await runCli(['report', ORDERS, '--out', out, '--plan', plan, '--force', '--no-progress'])).code).toBe(0);
  });

  it('takes the cost assumptions from flags, and the folder from the plan', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'l2s-report-'));
    const planDir = path.join(REPO, 'test-output', 'plan-next-to-code');
    mkdirSync(planDir, { recursive: true });
    const plan = path.join(planDir, 'lambda2sfn.plan.yaml');
    writeFileSync(plan, renderPlanYaml({ ...buildSamplePlan(), sourceRoot: '../../fixtures/apps/orders' }));
    const args = ['report', '--plan', plan, '--out', out, '--format', 'md', '--invocations-per-month', '250000', '--duration', 'placeOrder=120', '--default-duration', '80', '--price', 'standardTransition=0.00003', '--no-progress'];
    const result = await runCli(args);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const markdown = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(existsSync(path.join(out, 'report.html'))).toBe(false);
    expect(markdown).toContain('| executions of each chain per month | 250,000 |');
    expect(markdown).toContain('| `placeOrder` | 512 MB | 120 ms (given) |');
    expect(markdown).toContain('| `fraudCheck` | 256 MB | 80 ms (--default-duration) |');
    expect(markdown).toContain('| Step Functions Standard state transitions | $30.00 | per million transitions |');
  });

  it('exits 2 on a bad option value, an unknown price or a bad plan', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'l2s-report-'));
    expect((await runCli(['report', ORDERS, '--out', out, '--retry-rate', '2'])).code).toBe(2);
    const price = await runCli(['report', ORDERS, '--out', out, '--price', 'cheap=1', '--no-progress']);
    expect(price.code).toBe(2);
    expect(price.stderr).toContain('unknown price cheap');
    const badPlan = path.join(out, 'bad.plan.yaml');
    writeFileSync(badPlan, 'schemaVersion: 1\nworkflows: [\n');
    const plan = await runCli(['report', ORDERS, '--out', out, '--plan', badPlan]);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('not valid YAML');
    expect((await runCli(['report', ORDERS])).code).toBe(2);
  });
});

/** A simulation trace that only returned a status code. */
const trace = (status: number): Trace => ({ outcome: { kind: 'returned', value: { statusCode: status } }, invocations: [], effects: [], notices: [] });

describe('lambda2sfn report --simulation', () => {
  // Typed as simulate's own result, so a change to what `simulate --format json` prints breaks this test at compile time.
  const results: ScenarioResult[] = [
    { workflow: 'place-order', scenario: { name: 'order.json', input: {}, source: 'order.json', faults: [] }, verdict: 'same', chain: trace(201), workflowTrace: trace(201) },
    {
      workflow: 'place-order',
      scenario: { name: 'order.json, fulfillOrder always fails (SimulatedFailure)', input: {}, source: 'order.json', faults: [] },
      verdict: 'different',
      difference: { aspect: 'outcome', field: 'statusCode', expected: 'returned 201', got: 'failed SimulatedFailure', summary: 'the outcome differs' },
      chain: trace(201),
      workflowTrace: trace(500),
    },
  ];

  it('shows the saved verdicts in the Simulation section, and refuses a file that is not simulation output', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'l2s-report-'));
    const saved = path.join(out, 'simulation.json');
    writeFileSync(saved, JSON.stringify(results, null, 2));
    const plan = writeSamplePlan();
    const result = await runCli(['report', ORDERS, '--out', out, '--plan', plan, '--format', 'md', '--simulation', saved, '--no-progress']);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const section = readFileSync(path.join(out, 'report.md'), 'utf8').split('## Simulation')[1]!.split('\n## ')[0]!;
    expect(section).toContain('order.json, fulfillOrder always fails (SimulatedFailure)');
    expect(section).toContain('the outcome differs (chain: returned 201; workflow: failed SimulatedFailure)');
    expect(section).not.toContain('Not run');

    const notResults = path.join(out, 'graph.json');
    writeFileSync(notResults, JSON.stringify({ nodes: [] }));
    const refused = await runCli(['report', ORDERS, '--out', out, '--simulation', notResults, '--force', '--no-progress']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a list of simulation results');
  });
});

describe('the HTML report in a real headless browser', () => {
  const available = existsSync(CHROMIUM);
  if (!available && !process.env.CI) {
    console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install -y chromium); CI always runs it`);
  }
  let page: string;
  beforeAll(async () => {
    const out = path.join(OUTPUT, 'report');
    rmSync(out, { recursive: true, force: true });
    const result = await runCli(['report', ORDERS, '--out', out, '--plan', writeSamplePlan(), '--no-progress']);
    expect(result.code).toBe(0);
    page = path.join(out, 'report.html');
  });

  it.skipIf(!available && !process.env.CI)('loads offline with no console errors and no requests, and shows every diagram', async () => {
    if (!available) throw new Error(`CI must have Debian's chromium at ${CHROMIUM}: .ci/run installs it`);
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'l2s-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const requests: string[] = [];
      const problems: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      const tab = context.pages()[0] ?? (await context.newPage());
      tab.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const url = pathToFileURL(page).href;
      await tab.goto(url, { waitUntil: 'load' });
      await tab.waitForLoadState('networkidle');

      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await tab.title()).toBe('Migration report: orders');

      // placeOrder before and after, expireReservations before, the nightly workflow after.
      const diagrams = tab.locator('figure.diagram svg');
      expect(await diagrams.count()).toBe(4);
      for (const diagram of await diagrams.all()) {
        await diagram.scrollIntoViewIfNeeded();
        expect(await diagram.isVisible()).toBe(true);
        const box = await diagram.boundingBox();
        expect(box!.width).toBeGreaterThan(100);
        expect(box!.height).toBeGreaterThan(50);
        expect(await diagram.locator('g.node').count()).toBeGreaterThan(1);
      }
      // Every in-page link lands on an element of the page.
      // (A string, run in the page: the tests are type-checked without DOM types.)
      const broken = await tab.evaluate<string[]>(
        `[...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)).filter((id) => document.getElementById(decodeURIComponent(id)) === null)`,
      );
      expect(broken).toEqual([]);

      const screenshot = path.join(OUTPUT, 'report.png');
      await tab.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
