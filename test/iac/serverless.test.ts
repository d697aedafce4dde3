import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeFunctionName, serverless } from '../../analyzers/iac/serverless.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import { describeFixtureCases, readExpected, runCase } from './fixture-cases.js';
import { createFixtureRoot } from './fixture-root.js';

const FIXTURES = 'fixtures/analyzers/serverless';

describeFixtureCases(serverless, FIXTURES);

describe('serverless.matches', () => {
  it.each([
    ['serverless.yml', true],
    ['serverless.yaml', true],
    ['services/api/serverless.yml', true],
    ['serverless.json', true],
    ['serverless.ts', true], // taken only to say it is not executed
    ['serverless.js', true],
    ['template.yaml', false],
    ['serverless.yml.bak', false],
    ['my-serverless.yml', false],
  ])('%s → %s', (file, expected) => {
    expect(serverless.matches(file, '')).toBe(expected);
  });
});

describe('normalizeFunctionName (Serverless logical ids)', () => {
  it.each([
    ['placeOrder', 'PlaceOrder'],
    ['send-reminder', 'SendDashreminder'],
    ['digest_mail', 'DigestUnderscoremail'],
    ['a-b_c', 'ADashbUnderscorec'],
  ])('%s → %s', (name, expected) => {
    expect(normalizeFunctionName(name)).toBe(expected);
  });
});

describe('files outside the analysed folder', () => {
  it('are refused by the test reader itself, although they exist', () => {
    const root = createFixtureRoot(join(FIXTURES, 'file-outside-root'));
    expect(readFileSync(join(FIXTURES, 'outside.yml'), 'utf8')).toContain('LEAKED');
    expect(root.readText('../outside.yml')).toBeUndefined();
    expect(root.readText('svc/../../outside.yml')).toBeUndefined();
    expect(root.exists('../outside.yml')).toBe(false);
    expect(root.readText('svc/settings.yml')).toBe('value: from-inside\n');
  });

  it('never asks the reader for a path outside the root, and nothing of the outside file leaks', () => {
    const caseFolder = join(FIXTURES, 'file-outside-root');
    const expected = readExpected(caseFolder);
    const root = createFixtureRoot(caseFolder);
    const result = serverless.analyze({
      file: expected.file,
      text: readFileSync(join(caseFolder, expected.file), 'utf8'),
      root,
      limits: DEFAULT_LIMITS,
    });
    expect(root.requests.length).toBeGreaterThan(0);
    for (const request of root.requests) {
      expect(request.startsWith('/') || request.split('/').includes('..')).toBe(false);
    }
    expect(root.requests).toEqual(expect.arrayContaining(['svc/settings.yml', 'svc/missing.yml']));
    expect(JSON.stringify(result)).not.toContain('LEAKED');
  });
});

describe('the orders example app', () => {
  const result = runCase(serverless, 'fixtures/apps/orders', { description: '', file: 'serverless.yml' });
  const inventory = result.inventory;

  it('reads the functions where EXPECTED.md says they are declared', () => {
    const lines = Object.fromEntries((inventory.functions ?? []).map((fn) => [fn.id, fn.location.line]));
    expect(lines).toEqual({
      placeOrder: 55,
      fraudCheck: 71,
      reserveInventory: 76,
      validatePayment: 81,
      releaseInventory: 88,
      fulfillOrder: 93,
      notifyCustomer: 105,
      updateLoyalty: 116,
      expireReservations: 130,
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('computes deployed names, handlers and the environment of placeOrder', () => {
    const placeOrder = inventory.functions?.find((fn) => fn.id === 'placeOrder');
    expect(placeOrder?.name).toEqual({ kind: 'literal', value: 'orders-dev-placeOrder' });
    expect(placeOrder?.handler).toEqual({ raw: 'src/handlers/place-order.handler', module: 'src/handlers/place-order', export: 'handler' });
    expect(placeOrder).toMatchObject({ timeout: 29, memorySize: 512, runtime: 'nodejs22.x', architecture: 'arm64', scope: 'orders' });
    expect(placeOrder?.environment.VALIDATE_PAYMENT_FUNCTION).toEqual({ kind: 'literal', value: 'orders-dev-validatePayment' });
    expect(placeOrder?.environment.ORDERS_QUEUE_URL).toEqual({ kind: 'ref', target: 'OrdersQueue', attribute: 'url' });
    expect(placeOrder?.environment.LOG_LEVEL).toEqual({ kind: 'literal', value: 'info' });
  });

  it('reads the queues, the topic and the triggers with their lines', () => {
    expect(inventory.queues?.map((queue) => [queue.id, queue.location.line, queue.name])).toEqual([
      ['OrdersQueue', 144, { kind: 'literal', value: 'orders-dev-orders' }],
      ['OrdersDLQ', 153, { kind: 'literal', value: 'orders-dev-orders-dlq' }],
    ]);
    expect(inventory.queues?.[0].deadLetter).toEqual({
      target: { kind: 'ref', target: 'OrdersDLQ', attribute: 'arn' },
      maxReceiveCount: 3,
      location: { file: 'serverless.yml', line: 149 },
    });
    expect(inventory.topics?.map((topic) => topic.id)).toEqual(['OrderEventsTopic']);
    expect(inventory.triggers?.map((trigger) => [trigger.kind, trigger.to, trigger.location.line, trigger.details])).toEqual([
      ['http', 'placeOrder', 67, { method: 'POST', path: '/orders', api: 'http', apiId: 'HttpApi' }],
      ['sqs', 'fulfillOrder', 100, { batchSize: 5, functionResponseType: 'ReportBatchItemFailures' }],
      ['sns', 'notifyCustomer', 112, {}],
      ['sns', 'updateLoyalty', 123, { filterPolicy: '{"eventType":["OrderFulfilled"]}' }],
      ['schedule', 'expireReservations', 138, { schedule: 'rate(15 minutes)', rule: 'ExpireReservationsEventsRuleSchedule1' }],
    ]);
  });
});
