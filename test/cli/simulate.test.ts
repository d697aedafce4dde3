import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAsl } from '../../generators/asl.js';
import { readPlanFile, renderPlanYaml } from '../../src/plan-file.js';
import type { ScenarioResult } from '../../src/simulate/types.js';
import { REPO, runCliAsync as runCli } from '../helpers/run-cli.js';
import { buildSamplePlan } from '../helpers/sample-plan.js';

/**
 * `lambda2sfn simulate` on the bundled example with the plan `lambda2sfn propose --yes` writes for it, as a user
 * gets it: the real handlers run in-process, the original chain against the workflow run by aws-local-stepfunctions
 * with the refactored handlers. Each run takes a few seconds (bundling, two worlds), so the cases share what they can.
 */

const ORDERS = path.join(REPO, 'fixtures/apps/orders');
const SPY = path.join(REPO, 'test/helpers/network-spy.cjs');
let dir: string;
let planFile: string;
/** The hand-built sample plan (test/helpers/sample-plan.ts): its nightly workflow is JSONata with a Distributed Map. */
let samplePlanFile: string;
let orderFile: string;

/** An order as the HTTP API hands it to placeOrder: two items, a card that is accepted. */
const ORDER_EVENT = {
  version: '2.0',
  routeKey: 'POST /orders',
  rawPath: '/orders',
  headers: { 'content-type': 'application/json' },
  isBase64Encoded: false,
  body: JSON.stringify({
    customerId: 'cus_123',
    email: 'ada@example.com',
    currency: 'EUR',
    paymentToken: 'tok_visa',
    items: [
      { sku: 'BOOK-001', quantity: 2, unitPrice: 19.5 },
      { sku: 'MUG-007', quantity: 1, unitPrice: 12 },
    ],
  }),
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'l2s-simulate-'));
  planFile = path.join(dir, 'lambda2sfn.plan.yaml');
  const proposed = await runCli(['propose', ORDERS, '--yes', '--output', planFile, '--no-progress'], { timeout: 180_000 });
  expect(proposed.code, proposed.stderr).toBe(0);
  samplePlanFile = path.join(dir, 'sample.plan.yaml');
  const plan = buildSamplePlan();
  plan.sourceRoot = path.relative(dir, ORDERS);
  writeFileSync(samplePlanFile, renderPlanYaml(plan));
  orderFile = path.join(dir, 'order.json');
  writeFileSync(orderFile, JSON.stringify(ORDER_EVENT));
}, 200_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function simulate(args: string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const result = await runCli(['simulate', '--plan', planFile, '--workflow', 'place-order', '--no-progress', ...args], { ...options, timeout: 180_000 });
  return result;
}

async function simulateJson(args: string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<{ code: number; results: ScenarioResult[]; stderr: string }> {
  const result = await simulate([...args, '--format', 'json'], options);
  expect(result.stderr).not.toContain('internal error');
  return { code: result.code, results: JSON.parse(result.stdout) as ScenarioResult[], stderr: result.stderr };
}

const runsOf = (trace: ScenarioResult['chain'], fn: string) => trace.invocations.filter((entry) => entry.function === fn);

/** A copy of the proposed place-order ASL, with placeholders, changed by `edit`, written to a file. */
function writeEditedAsl(name: string, edit: (definition: { States: Record<string, Record<string, unknown>> }) => void): string {
  const workflow = readPlanFile(planFile).workflows.find((entry) => entry.name === 'place-order')!;
  const definition = renderAsl(workflow) as { States: Record<string, Record<string, unknown>> };
  edit(definition);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(definition, null, 2));
  return file;
}

describe('lambda2sfn simulate: the bundled example', () => {
  it('gives the same result for the happy path, says it runs the code, and prints a readable verdict', async () => {
    // simulate takes the analysis options of every analysing command (here: where the cache goes).
    const cacheDir = path.join(dir, 'simulate-cache');
    const result = await simulate(['--input', orderFile, '--cache-dir', cacheDir]);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(result.stderr).toMatch(/simulate runs the handlers of .* your code executes.*AWS is never called/);
    expect(result.stdout).toContain('place-order · order.json: same');
    expect(result.stdout).toMatch(/chain {5}returned \{"statusCode":201/);
    expect(result.stdout).toContain('ran placeOrder, reserveInventory ×2, validatePayment, fulfillOrder, notifyCustomer, updateLoyalty');
    expect(result.stdout).toContain('1 scenario(s): 1 same, 0 different');
    expect(result.code).toBe(0);
  });

  it('gives the same result when a transient failure is retried (the loop in the chain, Retry in the workflow), without reaching the network', async () => {
    // A spy loaded before lambda2sfn records any connection, DNS lookup, request or fetch that gets past the simulation.
    const log = path.join(dir, 'network.log');
    const { code, results } = await simulateJson(['--input', orderFile, '--fail', 'validatePayment:1:TransientError'], { nodeArgs: ['--require', SPY], env: { L2S_NET_LOG: log } });
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
    expect(code).toBe(0);
    const [result] = results;
    expect(result!.verdict).toBe('same');
    expect(result!.scenario.name).toBe('order.json, validatePayment fails once (TransientError)');
    for (const trace of [result!.chain, result!.workflowTrace]) {
      expect(runsOf(trace, 'validatePayment').map((entry) => entry.status)).toEqual(['TransientError', 'ok']);
      expect(trace.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 201 } });
      expect(runsOf(trace, 'fulfillOrder')).toHaveLength(1);
      expect(trace.notices.filter((notice) => notice.startsWith('blocked a network access'))).toEqual([]);
    }
  });

  it('gives the same result when the payment always fails: releaseInventory compensates in both', async () => {
    const { code, results } = await simulateJson(['--input', orderFile, '--fail', 'validatePayment']);
    expect(code).toBe(0);
    const [result] = results;
    expect(result!.verdict).toBe('same');
    for (const trace of [result!.chain, result!.workflowTrace]) {
      expect(runsOf(trace, 'validatePayment').map((entry) => entry.status)).toEqual(['SimulatedFailure', 'SimulatedFailure', 'SimulatedFailure']);
      expect(runsOf(trace, 'releaseInventory')).toHaveLength(1);
      expect(runsOf(trace, 'releaseInventory')[0]!.input).toMatchObject({ reason: 'payment-failed', orders: [{ items: [{ sku: 'BOOK-001', quantity: 2 }, { sku: 'MUG-007', quantity: 1 }] }] });
      expect(runsOf(trace, 'fulfillOrder')).toHaveLength(0);
      expect(trace.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 502 } });
      // The order is marked PAYMENT_FAILED and the stock given back, in both.
      expect(trace.effects.filter((effect) => effect.function === 'placeOrder').map((effect) => (effect.params as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues?.[':status'])).toContain('PAYMENT_FAILED');
      expect(trace.effects.filter((effect) => effect.function === 'releaseInventory')).toHaveLength(4);
    }
  });

  it('reports a workflow that retries less than the code as different, naming the function and the counts', async () => {
    const asl = writeEditedAsl('fewer-retries.asl.json', (definition) => {
      const retry = definition.States.ValidatePayment!.Retry as { ErrorEquals: string[]; MaxAttempts: number }[];
      retry.find((rule) => rule.ErrorEquals.includes('States.ALL'))!.MaxAttempts = 1;
    });
    const result = await simulate(['--input', orderFile, '--fail', 'validatePayment', '--asl', asl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('place-order · order.json, validatePayment always fails (SimulatedFailure): DIFFERENT');
    expect(result.stdout).toContain('first difference: validatePayment ran 3 times in the chain but twice in the workflow');
    expect(result.stdout).toContain('chain:    SimulatedFailure, SimulatedFailure, SimulatedFailure');
    expect(result.stdout).toContain('1 scenario(s): 0 same, 1 different');
  });

  it('reports a workflow without its compensation state as different', async () => {
    const asl = writeEditedAsl('no-compensation.asl.json', (definition) => {
      delete definition.States.ReleaseInventory;
      definition.States.PlaceOrderOnValidatePaymentErrorReturned!.Default = 'PlaceOrderAfterReleaseInventory';
    });
    const { code, results } = await simulateJson(['--input', orderFile, '--fail', 'validatePayment', '--asl', asl]);
    expect(code).toBe(1);
    expect(results[0]!.difference).toMatchObject({ aspect: 'invocations', function: 'releaseInventory', summary: 'releaseInventory ran once in the chain but did not run in the workflow' });
  });

  it('reports a changed payload with the field: the workflow passes another input to validatePayment', async () => {
    const asl = writeEditedAsl('other-payload.asl.json', (definition) => {
      const parameters = definition.States.ValidatePayment!.Parameters as Record<string, unknown>;
      delete parameters['Payload.$'];
      parameters.Payload = { 'orderId.$': '$.payload.orderId', 'customerId.$': '$.payload.customerId', 'amount.$': '$.payload.amount', 'currency.$': '$.payload.currency', 'paymentToken.$': '$.payload.paymentToken', idempotencyKey: 'fixed' };
    });
    const { code, results } = await simulateJson(['--input', orderFile, '--asl', asl]);
    expect(code).toBe(1);
    expect(results[0]!.difference).toMatchObject({ aspect: 'invocations', function: 'validatePayment', field: 'input.idempotencyKey', got: '"fixed"' });
  });

  it('builds a sample event from the entry trigger when no input is given', async () => {
    const { code, results } = await simulateJson([]);
    expect(code).toBe(0);
    const [result] = results;
    expect(result!.scenario.name).toBe('sample event (HTTP API POST /orders)');
    const body = JSON.parse((result!.scenario.input as { body: string }).body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['currency', 'customerId', 'email', 'items', 'paymentToken']);
    expect(result!.chain.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 201 } });
  });

  it('refuses a plan whose workflows it cannot simulate faithfully (JSONata, Distributed Map), exit code 2', async () => {
    const result = await runCli(['simulate', '--plan', samplePlanFile, '--no-progress'], { timeout: 180_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot simulate faithfully');
    expect(result.stderr).toContain('JSONata');
    expect(result.stderr).toContain('Distributed Map');
    expect(result.stdout).toBe('');
  });

  it('refuses bad options before running anything', async () => {
    const unknown = await runCli(['simulate', '--plan', planFile, '--workflow', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the plan has no workflow nope');
    const badFault = await runCli(['simulate', '--plan', planFile, '--fail', 'validatePayment:0']);
    expect(badFault.code).toBe(2);
    expect(badFault.stderr).toContain('N must be a positive whole number');
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const badInput = await runCli(['simulate', '--plan', planFile, '--workflow', 'place-order', '--input', notJson]);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain('is not JSON');
    const dangling = writeEditedAsl('dangling.asl.json', (definition) => {
      delete definition.States.ReleaseInventory;
    });
    const badAsl = await runCli(['simulate', '--plan', planFile, '--workflow', 'place-order', '--input', orderFile, '--asl', dangling]);
    expect(badAsl.code).toBe(2);
    expect(badAsl.stderr).toContain('--asl: the definition is not valid');
    expect(badAsl.stderr).toContain('ReleaseInventory');
    expect(badAsl.stderr).not.toContain('internal error');
    expect(badAsl.stdout).toBe('');
  });
});
