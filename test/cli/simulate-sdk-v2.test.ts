import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/simulate/types.js';
import { REPO, runCliAsync as runCli } from '../helpers/run-cli.js';

/**
 * `lambda2sfn simulate` on fixtures/simulate/notes: AWS SDK v2 clients (`.promise()`, a DocumentClient with a
 * callback), CommonJS and ESM handlers, and a handler that calls the network with `fetch`. The plan is the one
 * `lambda2sfn propose --yes` writes for the app, as a user gets it.
 */

const NOTES = path.join(REPO, 'fixtures/simulate/notes');
const SPY = path.join(REPO, 'test/helpers/network-spy.cjs');
let dir: string;

const httpEvent = (body: unknown) => ({ resource: '/notes', path: '/notes', httpMethod: 'POST', headers: { 'content-type': 'application/json' }, isBase64Encoded: false, body: JSON.stringify(body) });

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

async function propose(app: string, plan: string): Promise<void> {
  const result = await runCli(['propose', app, '--yes', '--output', plan, '--no-progress'], { timeout: 180_000 });
  expect(result.code, result.stderr).toBe(0);
}

async function simulateJson(plan: string, args: string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const result = await runCli(['simulate', '--plan', plan, '--no-progress', '--format', 'json', ...args], { ...options, timeout: 180_000 });
  expect(result.stderr).not.toContain('internal error');
  return { code: result.code, results: JSON.parse(result.stdout) as ScenarioResult[], stderr: result.stderr };
}

const ran = (trace: ScenarioResult['chain']) => trace.invocations.map((entry) => entry.function);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'l2s-simulate-v2-'));
  await propose(NOTES, path.join(dir, 'plan.yaml'));
}, 200_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('lambda2sfn simulate: an AWS SDK v2 app in CommonJS and ESM', () => {
  it('gives the same result in both worlds, and blocks the handler\'s fetch before it leaves the process', async () => {
    const note = writeJson('note.json', httpEvent({ text: 'Buy the milk and bread' }));
    const empty = writeJson('empty.json', httpEvent({}));
    const log = path.join(dir, 'network.log');
    const { code, results, stderr } = await simulateJson(path.join(dir, 'plan.yaml'), ['--input', note, '--input', empty], { nodeArgs: ['--require', SPY], env: { L2S_NET_LOG: log } });
    expect(stderr).toContain('your code executes');
    expect(code).toBe(0);
    expect(results.map((result) => [result.scenario.name, result.verdict])).toEqual([['note.json', 'same'], ['empty.json', 'same']]);

    const [tagged, rejected] = results;
    for (const trace of [tagged!.chain, tagged!.workflowTrace]) {
      // The v2 Lambda client ran tagNote (ESM); the v2 SQS client's message reached storeNote, whose DocumentClient put (a callback) is recorded.
      expect(ran(trace)).toEqual(['receiveNote', 'tagNote', 'storeNote']);
      expect(trace.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 202 } });
      expect(trace.effects).toEqual([expect.objectContaining({ function: 'storeNote', action: 'dynamodb:Put', target: 'notes-dev-notes', params: expect.objectContaining({ Item: expect.objectContaining({ text: 'Buy the milk and bread', tags: ['bread', 'buy', 'milk'] }) }) })]);
      expect(trace.notices).toContain('blocked a network access: fetch https://dictionary.example.com/tags?q=Buy%20the%20milk%20and%20bread');
    }
    // A spy installed before lambda2sfn saw nothing: the guard stopped the fetch inside the process.
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');

    for (const trace of [rejected!.chain, rejected!.workflowTrace]) {
      expect(ran(trace)).toEqual(['receiveNote']);
      expect(trace.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 400 } });
    }
  });

  it('names a real difference: the chain ignores a failed invoke (the SDK resolves with FunctionError), the workflow fails', async () => {
    const note = writeJson('note.json', httpEvent({ text: 'Buy the milk and bread' }));
    const { code, results } = await simulateJson(path.join(dir, 'plan.yaml'), ['--input', note, '--fail', 'tagNote:1']);
    expect(code).toBe(1);
    const [result] = results;
    expect(result!.chain.outcome).toMatchObject({ kind: 'returned', value: { statusCode: 202 } });
    expect(result!.workflowTrace.outcome).toMatchObject({ kind: 'failed', error: 'SimulatedFailure' });
    expect(result!.difference).toMatchObject({ aspect: 'invocations', function: 'storeNote', summary: 'storeNote ran once in the chain but did not run in the workflow' });
  });

  it('says which handler the generator kept as it was when the workflow cannot run it', async () => {
    const app = path.join(dir, 'kept');
    cpSync(NOTES, app, { recursive: true });
    const receive = path.join(app, 'src/receive.js');
    const inline = readFileSync(receive, 'utf8').replace(
      /const tagged = (await lambda\.invoke\(.*\)\.promise\(\));\n\s*const \{ tags \} = JSON\.parse\(tagged\.Payload\);/,
      'const { tags } = JSON.parse(($1).Payload);',
    );
    expect(inline).toContain('JSON.parse((await lambda.invoke(');
    writeFileSync(receive, inline);
    await propose(app, path.join(app, 'plan.yaml'));
    const { code, results } = await simulateJson(path.join(app, 'plan.yaml'), []);
    expect(code).toBe(1);
    expect(results[0]!.verdict).toBe('different');
    expect(results[0]!.workflowTrace.notices[0]).toMatch(/^the handlers generator kept receiveNote's handler as it was, so the workflow runs the original: the result of the call is used inside an expression .*\(src\/receive\.js:14\)$/);
  });
});
