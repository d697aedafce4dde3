import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAsl } from '../generators/asl.js';
import { applyUpdate, evaluateCondition } from '../src/simulate/aws/dynamodb-expressions.js';
import { FakeTables } from '../src/simulate/aws/dynamodb-tables.js';
import { matchesPattern } from '../src/simulate/aws/event-patterns.js';
import { toBusinessInput, toSnsEvent, toSqsEvent } from '../src/simulate/aws/event-shapes.js';
import { compareTraces } from '../src/simulate/compare.js';
import { FaultInjector, parseFaultSpec } from '../src/simulate/faults.js';
import { SimulatedResources } from '../src/simulate/resources.js';
import type { Trace } from '../src/simulate/types.js';
import { prepareDefinition, UnsupportedDefinition } from '../src/simulate/workflow-definition.js';
import type { Graph } from '../src/types/graph.js';
import { REPO } from './helpers/run-cli.js';
import { buildSamplePlan } from './helpers/sample-plan.js';

describe('--fail FUNCTION[:N][:ERROR]', () => {
  it.each([
    ['validatePayment', { function: 'validatePayment', error: 'SimulatedFailure' }],
    ['validatePayment:1', { function: 'validatePayment', times: 1, error: 'SimulatedFailure' }],
    ['validatePayment:2:TransientError', { function: 'validatePayment', times: 2, error: 'TransientError' }],
    ['validatePayment:PaymentDeclinedError', { function: 'validatePayment', error: 'PaymentDeclinedError' }],
    ['validatePayment:always:Lambda.ServiceException', { function: 'validatePayment', error: 'Lambda.ServiceException' }],
  ])('%s', (text, expected) => {
    expect(parseFaultSpec(text)).toEqual(expected);
  });

  it.each(['', 'a:0', 'a:1:2:3', 'a:1:not a name'])('refuses %j', (text) => {
    expect(() => parseFaultSpec(text)).toThrow();
  });

  it('fails the first N invocations of the function only', () => {
    const injector = new FaultInjector([parseFaultSpec('a:2:Boom')]);
    expect([injector.next('a')?.name, injector.next('b')?.name, injector.next('a')?.name, injector.next('a')?.name]).toEqual(['Boom', undefined, 'Boom', undefined]);
  });
});

describe('business inputs: the event without its event source envelope', () => {
  it('unwraps SQS bodies, SNS messages and EventBridge details, parsing JSON', () => {
    const message = { orderId: 'o-1' };
    expect(toBusinessInput(toSqsEvent({ messageId: 'm', body: JSON.stringify(message), attributes: {}, receiveCount: 1 }, 'arn'))).toEqual(message);
    expect(toBusinessInput(toSnsEvent({ messageId: 'n', topicArn: 'arn', message: JSON.stringify(message), attributes: {} }, 'arn:sub'))).toEqual(message);
    expect(toBusinessInput({ source: 'shop', 'detail-type': 'OrderPlaced', detail: message })).toEqual(message);
    expect(toBusinessInput({ Records: [{ eventSource: 'aws:s3' }] })).toEqual({ Records: [{ eventSource: 'aws:s3' }] });
    expect(toBusinessInput(message)).toBe(message);
  });
});

describe('event patterns and filter policies', () => {
  it.each([
    [{ eventType: ['OrderFulfilled'] }, { eventType: 'OrderFulfilled' }, true],
    [{ eventType: ['OrderFulfilled'] }, { eventType: 'OrderPlaced' }, false],
    [{ source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } }, { source: 'shop', detail: { total: 150 } }, true],
    [{ detail: { total: [{ numeric: ['>', 100] }] } }, { detail: { total: 50 } }, false],
    [{ sku: [{ prefix: 'BOOK-' }] }, { sku: 'BOOK-1' }, true],
    [{ sku: [{ 'anything-but': ['MUG-1'] }] }, { sku: 'MUG-1' }, false],
    [{ coupon: [{ exists: false }] }, {}, true],
  ])('%j on %j: %s', (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });
});

describe('fake DynamoDB tables', () => {
  it('applies update expressions: SET with arithmetic and if_not_exists, ADD, REMOVE', () => {
    const item = applyUpdate('SET available = available - :q, reserved = if_not_exists(reserved, :zero) + :q, #s = :s ADD points :p REMOVE old', { sku: 'A', available: 5, old: 1 }, {
      names: { '#s': 'status' },
      values: { ':q': 2, ':zero': 0, ':s': 'HELD', ':p': 3 },
    });
    expect(item).toEqual({ sku: 'A', available: 3, reserved: 2, status: 'HELD', points: 3 });
  });

  it('evaluates key conditions and filters', () => {
    const context = { names: { '#status': 'status' }, values: { ':status': 'PENDING', ':cutoff': '2026-01-01', ':p': 'ord' } };
    expect(evaluateCondition('#status = :status AND createdAt < :cutoff', { status: 'PENDING', createdAt: '2025-12-31' }, context)).toBe(true);
    expect(evaluateCondition('#status = :status AND createdAt < :cutoff', { status: 'PENDING', createdAt: '2026-02-01' }, context)).toBe(false);
    expect(evaluateCondition('begins_with(id, :p) OR attribute_not_exists(id)', { id: 'order-1' }, context)).toBe(true);
    expect(evaluateCondition('NOT (attribute_exists(id))', { id: 'x' }, context)).toBe(false);
  });

  it('stores writes of the document and the low-level clients alike, and records each write', () => {
    const tables = new FakeTables();
    tables.handle('Put', { TableName: 'orders', Item: { orderId: 'o-1', status: 'PENDING' } }, false);
    tables.handle('UpdateItem', { TableName: 'orders', Key: { orderId: { S: 'o-1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'PAID' } } }, true);
    expect(tables.handle('GetItem', { TableName: 'orders', Key: { orderId: { S: 'o-1' } } }, true)).toEqual({ Item: { orderId: { S: 'o-1' }, status: { S: 'PAID' } } });
    expect(tables.handle('Query', { TableName: 'orders', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'PAID' } }, false)).toMatchObject({ Count: 1 });
    tables.handle('TransactWrite', { TransactItems: [{ Put: { TableName: 'stock', Item: { sku: 'A' } } }, { Delete: { TableName: 'stock', Key: { sku: 'B' } } }] }, false);
    expect(tables.writes.map((write) => `${write.action} ${write.table}`)).toEqual(['Put orders', 'Update orders', 'Put stock', 'Delete stock']);
  });
});

function trace(parts: Partial<Trace>): Trace {
  return { outcome: { kind: 'returned', value: { statusCode: 201 } }, invocations: [], effects: [], notices: [], ...parts };
}

function run(fn: string, input: unknown, seq: number, status = 'ok') {
  return { function: fn, input, status, seq };
}

describe('compareTraces: the first difference, named', () => {
  it('finds none when the runs are the same, whatever the order of concurrent runs', () => {
    const chain = trace({ invocations: [run('a', {}, 1), run('b', { sku: 'X' }, 2), run('b', { sku: 'Y' }, 3)] });
    const workflow = trace({ invocations: [run('a', {}, 1), run('b', { sku: 'Y' }, 2), run('b', { sku: 'X' }, 3)] });
    expect(compareTraces(chain, workflow)).toBeUndefined();
  });

  it('names the function and the counts when a function ran more or less', () => {
    const chain = trace({ invocations: [run('pay', {}, 1, 'E'), run('pay', {}, 2, 'E'), run('pay', {}, 3, 'E')] });
    const workflow = trace({ invocations: [run('pay', {}, 1, 'E'), run('pay', {}, 2, 'E')] });
    expect(compareTraces(chain, workflow)).toMatchObject({ aspect: 'invocations', function: 'pay', summary: 'pay ran 3 times in the chain but twice in the workflow', expected: 'E, E, E', got: 'E, E' });
  });

  it('names the field of an input, looking into JSON text', () => {
    const chain = trace({ invocations: [run('f', { body: JSON.stringify({ total: 10, items: [{ sku: 'A' }] }) }, 1)] });
    const workflow = trace({ invocations: [run('f', { body: JSON.stringify({ total: 10, items: [{ sku: 'B' }] }) }, 1)] });
    expect(compareTraces(chain, workflow)).toMatchObject({ function: 'f', field: 'input.body.items[0].sku', expected: '"A"', got: '"B"' });
  });

  it('reports the earliest difference in the chain\'s order of events, and the outcome last', () => {
    const chain = trace({
      invocations: [run('a', {}, 1), run('compensate', {}, 3)],
      effects: [{ function: 'a', action: 'dynamodb:Update', target: 't', params: { s: 'FAILED' }, seq: 4 }],
      outcome: { kind: 'returned', value: { statusCode: 502 } },
    });
    const workflow = trace({ invocations: [run('a', {}, 1)], outcome: { kind: 'failed', error: 'States.Runtime', message: '' } });
    expect(compareTraces(chain, workflow)).toMatchObject({ function: 'compensate', summary: 'compensate ran once in the chain but did not run in the workflow' });
    expect(compareTraces(trace({}), trace({ outcome: { kind: 'failed', error: 'X', message: '' } }))).toMatchObject({ aspect: 'outcome', summary: 'the chain returned a result but the workflow failed with X' });
  });

  it('does not compare how the runs of a split function ended (a callee\'s error fails the workflow at the callee)', () => {
    const chain = trace({ invocations: [run('entry', {}, 1, 'E')] });
    const workflow = trace({ invocations: [run('entry', {}, 1)] });
    expect(compareTraces(chain, workflow)).toMatchObject({ field: 'status' });
    expect(compareTraces(chain, workflow, { splitFunctions: new Set(['entry']) })).toBeUndefined();
  });
});

describe('definitions the local runner would get wrong are refused, with the reason', () => {
  const graph = JSON.parse(readFileSync(path.join(REPO, 'fixtures/apps/orders/graph.golden.json'), 'utf8')) as Graph;
  const workflow = buildSamplePlan().workflows.find((entry) => entry.name === 'place-order')!;
  type States = Record<string, Record<string, unknown>>;
  const refusal = (edit: (states: States, definition: Record<string, unknown>) => void): string => {
    const definition = structuredClone(renderAsl(workflow)) as unknown as Record<string, unknown> & { States: States };
    edit(definition.States, definition);
    try {
      prepareDefinition(workflow, new SimulatedResources(graph), definition as never);
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedDefinition);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('accepts the JSONPath definition as generated', () => {
    expect(refusal(() => undefined)).toBe('accepted');
  });

  it('refuses variables, JSONata and a Distributed Map, naming the state', () => {
    expect(refusal((states) => (states.ValidatePayment!.Assign = { attempt: 1 }))).toBe('state ValidatePayment assigns variables (Assign), which the local runner ignores');
    expect(refusal((_states, definition) => (definition.QueryLanguage = 'JSONata'))).toContain('it is written in JSONata');
    expect(refusal((states) => (states.FulfillOrder!.QueryLanguage = 'JSONata'))).toBe('state FulfillOrder is written in JSONata, which the local runner does not evaluate');
    expect(
      refusal((states) => {
        const map = states.ReserveInventoryForEachItem!;
        map.ItemProcessor = { ...(map.ItemProcessor as object), ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } };
      }),
    ).toBe('state ReserveInventoryForEachItem is a Distributed Map, which the local runner does not support');
  });

  it('refuses an integration it cannot answer', () => {
    expect(refusal((states) => (states.FulfillOrder!.Resource = 'arn:aws:states:::ecs:runTask.sync'))).toContain('state FulfillOrder uses the integration arn:aws:states:::ecs:runTask.sync');
  });
});
