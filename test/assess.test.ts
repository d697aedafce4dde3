import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessChains } from '../src/assess/assess-chains.js';
import type { Graph } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import { REPO } from './helpers/run-cli.js';
import { buildSampleGraph } from './helpers/sample-graph.js';

function readOrdersGraph(): Graph {
  return JSON.parse(readFileSync(path.join(REPO, 'fixtures/apps/orders/graph.golden.json'), 'utf8')) as Graph;
}

function codes(reasons: { code: string; points: number }[]): [string, number][] {
  return reasons.map((reason) => [reason.code, reason.points]);
}

describe('assessChains', () => {
  it('ranks the orders example: placeOrder strong, expireReservations possible', () => {
    const [first, second] = assessChains(readOrdersGraph());
    expect(first).toMatchObject({ rank: 1, label: 'strong', chain: { entry: 'placeOrder' } });
    expect(second).toMatchObject({ rank: 2, label: 'possible', chain: { entry: 'expireReservations' } });
    // placeOrder: 4 synchronous invokes (+8), the payment retry loop (+2), two fan-outs (the Promise.all over the items
    // and fulfillOrder's loop over the SQS batch, +2), the compensation in the payment's catch (+2), an SQS send and an
    // SNS publish (+2), 2 hops deep (+1), one guarded call (0), answers HTTP (-1): 16.
    expect(codes(first!.reasons)).toEqual([
      ['sync-waits', 8],
      ['hand-written-retries', 2],
      ['fan-outs', 2],
      ['error-handling', 2],
      ['async-hops', 2],
      ['depth', 1],
      ['conditions', 0],
      ['latency-sensitive', -1],
    ]);
    expect(first!.score).toBe(16);
    expect(first!.reasons[0]!.evidence).toContainEqual({ file: 'src/handlers/place-order.ts', line: 82 });
    // expireReservations: one asynchronous invoke (+1), made after an early exit when nothing expired (a Choice, 0).
    expect(codes(second!.reasons)).toEqual([['async-hops', 1], ['conditions', 0]]);
  });

  it('rules out cycles, recursion and lone functions, and counts annotations with their evidence', () => {
    const assessments = assessChains(buildSampleGraph());
    const createOrder = assessments.find((item) => item.chain.entry === 'createOrder')!;
    expect(createOrder.label).toBe('not recommended');
    expect(createOrder.reasons.filter((reason) => reason.effect === 'blocker').map((reason) => reason.code)).toEqual(['recursion']);
    const retries = createOrder.reasons.find((reason) => reason.code === 'hand-written-retries')!;
    // Only the helper retry counts: the SDK client's own retries are not written by hand.
    expect(retries.evidence).toEqual([{ file: 'src/orders/create.ts', line: 20, text: 'withRetry(() => charge(order), { attempts: 3 })' }]);
    expect(createOrder.reasons.find((reason) => reason.code === 'fan-outs')!.message).toBe('2 fan-outs in code: a Map or Parallel state');
    expect(createOrder.reasons.find((reason) => reason.code === 'unresolved-targets')!.evidence).toEqual([{ file: 'src/notify.ts', line: 33, text: 'fnNames[i]' }]);
    expect(createOrder.reasons.find((reason) => reason.code === 'dynamic-targets')!.points).toBe(-2);
    expect(createOrder.score).toBeLessThanOrEqual(0);
  });

  it('says a scheduled function that calls nothing only needs a scheduler', () => {
    const graph: Graph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [{ id: 'nightly', kind: 'function' }, { id: 'Every day', kind: 'schedule' }],
      edges: [{ from: 'Every day', to: 'nightly', kind: 'triggers', file: 'serverless.yml', line: 3 }],
      chains: [{ entry: 'nightly', triggers: ['schedule'], nodes: ['nightly'], functions: ['nightly'], depth: 0, syncInvokes: 0, hasCycle: false }],
      cycles: [],
      unresolved: [],
      unreached: [],
      diagnostics: [],
    };
    const [only] = assessChains(graph);
    expect(only).toMatchObject({ label: 'not recommended', score: 0, reasons: [{ code: 'scheduler-only', effect: 'blocker' }] });
  });

  it('reports a cycle between functions with its path', () => {
    const graph: Graph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [{ id: 'a', kind: 'function' }, { id: 'b', kind: 'function' }],
      edges: [
        { from: 'a', to: 'b', kind: 'invoke-async', file: 'a.js', line: 2 },
        { from: 'b', to: 'a', kind: 'invoke-async', file: 'b.js', line: 5 },
      ],
      chains: [{ entry: 'a', triggers: ['http'], nodes: ['a', 'b'], functions: ['a', 'b'], depth: 1, syncInvokes: 0, hasCycle: true }],
      cycles: [['a', 'b']],
      unresolved: [],
      unreached: [],
      diagnostics: [],
    };
    const [only] = assessChains(graph);
    expect(only!.label).toBe('not recommended');
    expect(only!.reasons[0]).toMatchObject({ code: 'cycle', message: 'the chain calls back into itself (a → b → a): a workflow cannot express the loop' });
  });
});
