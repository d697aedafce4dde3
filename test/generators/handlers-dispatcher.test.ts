import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The split-handler contract (docs/plan.md), checked by running our own refactored fixtures: each is copied with
 * the project modules it still imports into a temporary folder, loaded, and its `handler` called with envelopes as
 * the workflow passes them.
 */
const CASE = path.resolve(import.meta.dirname, '../../fixtures/generators/handlers/split');
const work = mkdtempSync(path.join(tmpdir(), 'lambda2sfn-dispatch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stage(flavor: string, files: string[]): string {
  for (const file of files) {
    const from = file.startsWith('expected:') ? path.join(CASE, 'expected/handlers/src', flavor, file.slice(9)) : path.join(CASE, 'input/src', flavor, file);
    copyFileSync(from, path.join(work, path.basename(from)));
  }
  return work;
}

const envelope = (step: string, fields: Record<string, unknown> = {}) => ({ step, event: {}, vars: {}, result: null, error: null, ...fields });

describe('the dispatcher of a split handler', () => {
  it('runs the first part: the payload of the calls, the variables for the next part (ESM)', async () => {
    const dir = stage('esm', ['expected:order.mjs', 'store.mjs']);
    const { handler } = (await import(pathToFileURL(path.join(dir, 'order.mjs')).href)) as { handler: (input: unknown) => Promise<Record<string, unknown>> };
    const event = { orderId: 'o-1', sku: 'sku-9', quantity: 2 };
    const first = await handler(envelope('beforeStockAndPrice', { event }));
    expect(first).toEqual({
      event,
      vars: { order: { orderId: 'o-1', sku: 'sku-9', quantity: 2 } },
      payload: [{ sku: 'sku-9' }, { sku: 'sku-9', quantity: 2 }],
      done: false,
      return: null,
      error: null,
    });

    // The workflow ran both calls (a Parallel) and passes their results in order, with the vars it got back.
    const second = await handler(envelope('afterStockAndPrice', { event, vars: first.vars, result: [{ available: 5 }, { unitPrice: 3 }] }));
    expect(second).toMatchObject({ event, done: true, payload: null, return: { accepted: true, orderId: 'o-1', total: 6 }, error: null });
    expect(second.vars).toEqual(first.vars);

    // The early return of the original handler: `done` with what it returned.
    const early = await handler(envelope('afterStockAndPrice', { event, vars: first.vars, result: [{ available: 1 }, { unitPrice: 3 }] }));
    expect(early).toMatchObject({ done: true, return: { accepted: false, reason: 'out of stock' } });
  });

  it('gives the decoded result of a raw SDK invoke to the part after it, and rejects an unknown step (CommonJS)', async () => {
    const dir = stage('cjs', ['expected:checkout.js', 'ledger.js']);
    const { handler } = createRequire(import.meta.url)(path.join(dir, 'checkout.js')) as { handler: (input: unknown) => Promise<Record<string, unknown>> };
    const event = { orderId: 'o-2', customerId: 'c-1', items: [{ price: 5, quantity: 2 }, { price: 1, quantity: 1 }] };
    const first = await handler(envelope('beforeCharge', { event }));
    expect(first).toMatchObject({ vars: { amount: 11 }, payload: { customerId: 'c-1', amount: 11 }, done: false });
    const second = await handler(envelope('afterCharge', { event, vars: first.vars, result: { chargeId: 'ch_1' } }));
    expect(second).toMatchObject({ done: true, return: { orderId: 'o-2', chargeId: 'ch_1', amount: 11 } });
    await expect(handler(envelope('nope', { event }))).rejects.toThrow(/checkout has no part nope/);
  });
});
