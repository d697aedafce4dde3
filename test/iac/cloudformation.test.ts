import { describe, expect, it } from 'vitest';
import { cloudformation, looksLikeTemplate } from '../../analyzers/iac/cloudformation.js';
import { describeFixtureCases, runCase } from './fixture-cases.js';

describeFixtureCases(cloudformation, 'fixtures/analyzers/cloudformation');

describe('cloudformation.matches', () => {
  const sam = 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n';
  it.each([
    ['template.yaml', "AWSTemplateFormatVersion: '2010-09-09'\n", true],
    ['infra/stack.yml', sam, true],
    ['stack.template', '{ "AWSTemplateFormatVersion": "2010-09-09" }', true],
    ['template.json', '{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } } }', true],
    ['template.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n', true],
    ['serverless.yml', sam, false], // the serverless analyzer's file, even with CloudFormation in it
    ['template.yaml', 'name: app\nsteps:\n  - Type: AWS::SQS::Queue\n', false],
    ['docker-compose.yml', 'services:\n  web:\n    image: nginx\n', false],
    ['package.json', '{ "name": "x" }', false],
    ['template.txt', sam, false],
    // A serverless `resources: ${file(...)}` include: read by the serverless analyzer, not a template of its own.
    ['resources/queues.yml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: app-${sls:stage}-q\n', false],
  ])('%s → %s', (file, text, expected) => {
    expect(cloudformation.matches(file, text)).toBe(expected);
  });

  it('is a text gate only: a broken template still matches, the diagnostic comes from analyze', () => {
    expect(looksLikeTemplate("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")).toBe(true);
  });
});

describe('the legacy-billing example app (SAM)', () => {
  const result = runCase(cloudformation, 'fixtures/apps/legacy-billing', { description: '', file: 'template.yaml' });
  const inventory = result.inventory;

  it('reads every node where EXPECTED.md says it is declared, without diagnostics', () => {
    const nodes = [
      ...(inventory.functions ?? []),
      ...(inventory.queues ?? []),
      ...(inventory.topics ?? []),
      ...(inventory.buses ?? []),
      ...(inventory.stateMachines ?? []),
    ].map((node) => [node.id, node.location.line]);
    expect(Object.fromEntries(nodes)).toEqual({
      CreateInvoiceFunction: 28,
      ChargeFunction: 54,
      RetryChargeFunction: 70,
      SendReceiptFunction: 95,
      NotifyAccountingFunction: 112,
      ExportInvoicesFunction: 121,
      RenderPdfFunction: 149,
      RenderCsvFunction: 161,
      RecordRevenueFunction: 172,
      BillingRetriesQueue: 184,
      BillingRetriesDLQ: 193,
      InvoiceEventsTopic: 199,
      BillingBus: 215,
      DunningStateMachine: 242,
    });
    expect(result.diagnostics).toEqual([]);
    expect(inventory.functions?.every((fn) => fn.format === 'sam' && fn.scope === 'template.yaml')).toBe(true);
  });

  it('applies Globals and keeps pseudo parameters symbolic', () => {
    const byId = new Map((inventory.functions ?? []).map((fn) => [fn.id, fn]));
    expect(byId.get('CreateInvoiceFunction')).toMatchObject({
      handler: { raw: 'billing.handler', module: 'src/billing', export: 'handler' },
      timeout: 30,
      memorySize: 256,
      runtime: 'nodejs18.x',
      name: { kind: 'join', parts: [{ kind: 'unknown', text: '${AWS::StackName}' }, { kind: 'literal', value: '-create-invoice' }] },
    });
    expect(byId.get('RenderPdfFunction')).toMatchObject({ timeout: 120, memorySize: 1024, handler: { module: 'src/render', export: 'pdf' } });
    expect(byId.get('RecordRevenueFunction')?.name).toBeUndefined(); // generated name: reached by reference only
    const exportFn = byId.get('ExportInvoicesFunction');
    expect(exportFn?.environment.EXPORT_FORMATS).toEqual({ kind: 'literal', value: 'pdf,csv' }); // !Join of a list parameter default
    expect(exportFn?.environment.STAGE_PREFIX).toEqual({ kind: 'unknown', text: '${AWS::StackName}' });
    expect(byId.get('ChargeFunction')?.environment.BILLING_BUS_NAME).toEqual({ kind: 'ref', target: 'BillingBus', attribute: 'name' });
    expect(byId.get('RetryChargeFunction')?.environment.DUNNING_STATE_MACHINE_ARN).toEqual({ kind: 'ref', target: 'DunningStateMachine', attribute: 'arn' });
    expect(byId.get('NotifyAccountingFunction')?.environment.ACCOUNTING_WEBHOOK_URL).toEqual({
      kind: 'literal',
      value: 'https://accounting.example.com/hooks/invoices',
    });
  });

  it('reads the triggers, the dead letter queue and the state machine definition', () => {
    expect(inventory.triggers?.map((trigger) => [trigger.kind, trigger.from, trigger.to, trigger.location.line])).toEqual([
      ['http', undefined, 'CreateInvoiceFunction', 48],
      ['sqs', { kind: 'ref', target: 'BillingRetriesQueue', attribute: 'arn' }, 'RetryChargeFunction', 89],
      ['sns', { kind: 'ref', target: 'InvoiceEventsTopic', attribute: 'arn' }, 'SendReceiptFunction', 107],
      ['schedule', undefined, 'ExportInvoicesFunction', 143],
      ['sns', { kind: 'ref', target: 'InvoiceEventsTopic', attribute: 'arn' }, 'NotifyAccountingFunction', 203],
      ['eventbridge', { kind: 'ref', target: 'BillingBus', attribute: 'name' }, 'RecordRevenueFunction', 220],
    ]);
    expect(inventory.triggers?.[3].details).toEqual({ schedule: 'cron(0 2 * * ? *)', rule: 'ExportInvoicesFunctionNightlyExport' });
    expect(inventory.queues?.[0].deadLetter).toEqual({
      target: { kind: 'ref', target: 'BillingRetriesDLQ', attribute: 'arn' },
      maxReceiveCount: 5,
      location: { file: 'template.yaml', line: 189 },
    });
    expect(inventory.stateMachines?.[0].definitionFile).toBe('statemachine/dunning.asl.json');
  });
});
