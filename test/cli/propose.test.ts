import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanYaml } from '../../src/plan-file.js';
import { validateAsl } from '../../src/validate/validate-asl.js';
import { BIN, REPO, runCliAsync as runCli } from '../helpers/run-cli.js';

const ORDERS = path.join(REPO, 'fixtures/apps/orders');

/** The pseudo-terminal driver (Python's pty module), run without blocking the test worker. */
async function runPython(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('python3', args, { encoding: 'utf8', timeout: 150_000 });
  return stdout;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'lambda2sfn-propose-'));
}

/** Every file under a folder with its contents, for byte-for-byte comparisons. */
function readTree(folder: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, readTree(path.join(folder, entry.name), `${relative}/`));
    else files[relative] = readFileSync(path.join(folder, entry.name), 'utf8');
  }
  return files;
}

describe('lambda2sfn migrate', () => {
  it('writes the plan and a valid ASL per chain with --yes, says which defaults it took, and replays byte for byte', async () => {
    const work = tempDir();
    const first = await runCli(['migrate', ORDERS, '--yes', '--out', path.join(work, 'out')]);
    expect(first.stderr).toContain('took the recommended defaults (--yes)');
    expect(first.code).toBe(0);
    const tree = readTree(path.join(work, 'out'));
    expect(Object.keys(tree)).toEqual(expect.arrayContaining(['lambda2sfn.plan.yaml', 'statemachines/expire-reservations.asl.json', 'statemachines/place-order.asl.json', 'report.md']));
    for (const [file, contents] of Object.entries(tree)) {
      if (file.endsWith('.asl.json')) expect(await validateAsl(JSON.parse(contents)), file).toEqual({ valid: true, errors: [] });
    }
    const plan = parsePlanYaml(tree['lambda2sfn.plan.yaml']!, 'plan');
    expect(plan.workflows.map((workflow) => workflow.name)).toEqual(['place-order', 'expire-reservations']);

    // The shape of the code (fixtures/apps/orders/EXPECTED.md, "Patterns"), state by state.
    const states = JSON.parse(tree['statemachines/place-order.asl.json']!).States as Record<string, Record<string, unknown>>;
    expect(states.ReserveInventoryForEachItem).toMatchObject({ Type: 'Map', ItemsPath: '$.payload', ItemProcessor: { StartAt: 'ReserveInventory' } });
    expect(states.ValidatePayment?.Retry).toEqual(expect.arrayContaining([
      { ErrorEquals: ['PaymentDeclinedError'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 },
    ]));
    expect(states.ValidatePayment?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PlaceOrderOnValidatePaymentError' }]);
    expect(states.ReleaseInventory).toMatchObject({ Type: 'Task', Parameters: { FunctionName: '${ReleaseInventoryFunctionArn}' } });
    expect(states.OrderEventsTopicSubscribers).toMatchObject({ Type: 'Parallel', Branches: [{ StartAt: 'NotifyCustomer' }, { StartAt: 'UpdateLoyalty' }] });
    expect(states.NeedsFraudCheck).toMatchObject({ Type: 'Choice', Choices: [{ And: [{ Variable: '$.vars.order.total', IsPresent: true }, { Variable: '$.vars.order.total', NumericGreaterThan: 1000 }], Next: 'FraudCheck' }] });
    expect(states.FulfillOrder?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'SendToOrdersDLQ' }]);
    // The compensation: a failed payment runs the catch clause, then releaseInventory, then the rest of the catch.
    expect(states.PlaceOrderOnValidatePaymentErrorReturned).toMatchObject({ Type: 'Choice', Default: 'ReleaseInventory' });
    expect(states.ReleaseInventory?.Next).toBe('PlaceOrderAfterReleaseInventory');
    // The catch of the reservations (InsufficientStockError → 409) runs as an on-error part of placeOrder.
    expect(states.ReserveInventoryForEachItem?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PlaceOrderOnReserveInventoryError' }]);
    expect(states.PlaceOrderOnReserveInventoryError).toMatchObject({ Type: 'Task', Parameters: { Payload: { step: 'onReserveInventoryError', 'error.$': '$.error' } }, OutputPath: '$.Payload.return', End: true });
    expect(states.PlaceOrderOnReserveInventoryError?.Comment).toContain('src/handlers/place-order.ts:149');
    // expireReservations returns early when nothing expired: a Choice ends the workflow before releaseInventory.
    const expire = JSON.parse(tree['statemachines/expire-reservations.asl.json']!) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    expect(expire.StartAt).toBe('ExpireReservationsBeforeReleaseInventory');
    expect(expire.States.ExpireReservationsBeforeReleaseInventoryReturned).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'ExpireReservationsReturnedBeforeReleaseInventory' }],
      Default: 'ReleaseInventory',
    });
    expect(expire.States.ExpireReservationsReturnedBeforeReleaseInventory).toEqual(expect.objectContaining({ Type: 'Succeed', OutputPath: '$.return' }));
    // The ranking propose prints is the report's.
    const listed = [...first.stdout.matchAll(/^ {2}(\w+)\s+(strong|possible|not recommended)\s/gm)].map((match) => [match[1], match[2]]);
    const ranked = [...tree['report.md']!.matchAll(/^\| \d+ \| \[`(\w+)`\]\(#[^)]*\) \| \S+ \*\*([a-z ]+)\*\*/gm)].map((match) => [match[1], match[2]]);
    expect(listed).toEqual([['placeOrder', 'strong'], ['expireReservations', 'possible']]);
    expect(ranked).toEqual(listed);

    const again = await runCli(['migrate', ORDERS, '--yes', '--out', path.join(work, 'out')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/output files (already )?exist.*\n\s+hint: pass --force/);

    const replay = await runCli(['migrate', '--plan', path.join(work, 'out', 'lambda2sfn.plan.yaml'), '--out', path.join(work, 'replayed')]);
    expect(replay.stderr).not.toContain('took the recommended defaults');
    expect(replay.code).toBe(0);
    expect(readTree(path.join(work, 'replayed'))).toEqual(tree);
  }, 180_000);

  it('proposes workflows that behave as the code: the early return ends the workflow, the caught InsufficientStockError answers 409', async () => {
    const work = tempDir();
    expect((await runCli(['migrate', ORDERS, '--yes', '--out', work])).code).toBe(0);
    const order = { version: '2.0', routeKey: 'POST /orders', rawPath: '/orders', isBase64Encoded: false, body: JSON.stringify({ customerId: 'c1', email: 'a@example.com', currency: 'EUR', paymentToken: 'tok', items: [{ sku: 'A', quantity: 1, unitPrice: 5 }] }) };
    writeFileSync(path.join(work, 'order.json'), JSON.stringify(order));
    const plan = path.join(work, 'lambda2sfn.plan.yaml');
    const simulate = async (args: string[]) => {
      const result = await runCli(['simulate', '--plan', plan, '--format', 'json', '--no-progress', ...args], { timeout: 180_000 });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as { verdict: string; chain: { invocations: { function: string }[] }; workflowTrace: { invocations: { function: string }[] } }[];
    };
    // No stale reservations in the empty store: expireReservations returns early and releaseInventory never runs.
    const [expired] = await simulate(['--workflow', 'expire-reservations']);
    expect(expired?.verdict).toBe('same');
    expect(expired?.workflowTrace.invocations.map((entry) => entry.function)).toEqual(['expireReservations']);
    const [rejected] = await simulate(['--workflow', 'place-order', '--input', path.join(work, 'order.json'), '--fail', 'reserveInventory:InsufficientStockError']);
    expect(rejected?.verdict).toBe('same');
    expect(JSON.stringify(rejected?.workflowTrace)).toContain('409');
  }, 300_000);

  it('answers questions from flags, and warns about an answer no question used', async () => {
    const work = tempDir();
    const result = await runCli(['migrate', ORDERS, '--chain', 'placeOrder', '--decide', 'queue:OrdersQueue=keep', '--decide', 'queue:Nope=keep', '--query-language', 'jsonata', '--out', work]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('--decide queue:Nope: no question has this id');
    const plan = parsePlanYaml(readFileSync(path.join(work, 'lambda2sfn.plan.yaml'), 'utf8'), 'plan');
    const [workflow] = plan.workflows;
    expect(plan.workflows).toHaveLength(1);
    expect(workflow?.queryLanguage).toBe('JSONata');
    expect(workflow?.decisions.find((decision) => decision.id === 'queue:OrdersQueue')).toMatchObject({ choice: 'keep', takenBy: 'flag' });
    const definition = JSON.parse(readFileSync(path.join(work, 'statemachines/place-order.asl.json'), 'utf8')) as { QueryLanguage: string; States: Record<string, { Resource?: string }> };
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(Object.values(definition.States).some((state) => state.Resource === 'arn:aws:states:::sqs:sendMessage')).toBe(true);
  }, 120_000);

  it('refuses a value that is not one of the alternatives, and a plan that is not valid, without a stack trace', async () => {
    const work = tempDir();
    const bad = await runCli(['migrate', ORDERS, '--decide', 'workflow-type=FAST', '--out', work]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--decide workflow-type=FAST: FAST is not one of STANDARD, EXPRESS');
    writeFileSync(path.join(work, 'broken.yaml'), 'schemaVersion: 1\nworkflows: [{ name: Bad Name }]\n');
    const broken = await runCli(['migrate', '--plan', path.join(work, 'broken.yaml'), '--out', path.join(work, 'out')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('is not a valid plan');
    expect(broken.stderr).toContain('missing required property "toolVersion"');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

describe('lambda2sfn propose', () => {
  it('never waits without a terminal: it takes the defaults, says so, and writes lambda2sfn.plan.yaml', async () => {
    const work = tempDir();
    const result = await runCli(['propose', ORDERS], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Chains, best candidates first \(2\)\n\s+placeOrder\s+strong/);
    expect(result.stderr).toContain('took the recommended defaults (no terminal to ask in)');
    expect(existsSync(path.join(work, 'lambda2sfn.plan.yaml'))).toBe(true);
    const replay = await runCli(['propose', '--plan', 'lambda2sfn.plan.yaml'], { cwd: work });
    expect(replay.code).toBe(0);
    expect(replay.stderr).toContain('lambda2sfn.plan.yaml is up to date');
  }, 120_000);

  it('asks in a real terminal, showing evidence and the recommended default, and writes the answers to the plan', async () => {
    const work = tempDir();
    const down = '\u001b[B';
    const steps = [
      { expect: 'Which chains should become workflows', send: '\r' },
      { expect: '\\[place-order\\] JSONPath or JSONata', send: `${down}\r` },
      { expect: 'OrdersQueue[\\s\\S]*place-order\\.ts:182  await sqs\\.send\\([\\s\\S]*recommended: collapse', send: '\r' },
      { expect: 'OrderEventsTopic', send: `${down}\r` },
      { expect: 'Standard or Express workflow for placeOrder', send: '\r' },
      { expect: '\\[expire-reservations\\] JSONPath or JSONata', send: '\r' },
      { expect: 'Standard or Express workflow for expireReservations', send: '\r' },
    ];
    const session = await runPython([path.join(REPO, 'test/helpers/pty-session.py'), work, JSON.stringify([process.execPath, BIN, 'propose', ORDERS]), JSON.stringify(steps)]);
    const result = JSON.parse(session) as { code: number; transcript: string; error?: string };
    expect(result.error, result.transcript.slice(-2000)).toBeUndefined();
    expect(result.code).toBe(0);
    expect(result.transcript).toContain('JSONPath (recommended)');
    const plan = parsePlanYaml(readFileSync(path.join(work, 'lambda2sfn.plan.yaml'), 'utf8'), 'plan');
    const placeOrder = plan.workflows.find((workflow) => workflow.name === 'place-order')!;
    expect(placeOrder.queryLanguage).toBe('JSONata');
    expect(placeOrder.decisions.map((decision) => [decision.id, decision.choice, decision.takenBy])).toEqual([
      ['query-language', 'JSONata', 'prompt'],
      ['queue:OrdersQueue', 'collapse', 'prompt'],
      ['topic:OrderEventsTopic', 'keep', 'prompt'],
      ['workflow-type', 'EXPRESS', 'prompt'],
    ]);
    // Replayed twice from the answers: the same files, byte for byte, with no question asked.
    const first = await runCli(['migrate', '--plan', 'lambda2sfn.plan.yaml', '--out', 'a'], { cwd: work });
    const second = await runCli(['migrate', '--plan', 'lambda2sfn.plan.yaml', '--out', 'b'], { cwd: work });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(readTree(path.join(work, 'b'))).toEqual(readTree(path.join(work, 'a')));
    expect(readFileSync(path.join(work, 'a', 'lambda2sfn.plan.yaml'), 'utf8')).toContain('takenBy: prompt');
  }, 240_000);
});

describe('lambda2sfn lint', () => {
  it('reports best-practice findings with their rule, and skips what is not ASL', async () => {
    const work = tempDir();
    const definition = {
      StartAt: 'Lambda Invoke',
      States: {
        'Lambda Invoke': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true },
      },
    };
    writeFileSync(path.join(work, 'flow.asl.json'), JSON.stringify(definition));
    writeFileSync(path.join(work, 'other.json'), '{"a": 1}');
    const result = await runCli(['lint', 'flow.asl.json', 'other.json', 'missing.asl.json'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('flow.asl.json  Lambda Invoke  warning  no TimeoutSeconds');
    expect(result.stdout).toContain('[missing-timeout]');
    expect(result.stdout).toContain('[retry-all-errors]');
    expect(result.stdout).toContain('[generic-state-name]');
    expect(result.stdout).toContain('[missing-comment]');
    expect(result.stderr).toContain('other.json: not an ASL definition');
    expect(result.stderr).toContain('missing.asl.json: ENOENT');
  });
});
