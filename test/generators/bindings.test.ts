import { describe, expect, it } from 'vitest';
import { bindResource, normalizeServerlessName } from '../../generators/shared/bindings.js';
import type { IacTarget } from '../../src/types/deploy.js';
import type { Plan, WorkflowResource } from '../../src/types/plan.js';

const PLAN: Plan = { schemaVersion: 1, toolVersion: '0', sourceRoot: '.', workflows: [], skipped: [] };

function resource(overrides: Partial<WorkflowResource>): WorkflowResource {
  return { id: 'validatePayment', kind: 'function', placeholder: 'ValidatePaymentFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'], ...overrides };
}

/** How each format refers to a resource, given where the repository declares it. */
const CASES: { name: string; resource: WorkflowResource; target: IacTarget; repository?: IacTarget; expected: unknown }[] = [
  {
    name: 'a Serverless function from the Serverless output: the generated logical id',
    resource: resource({ id: 'validate-payment', declaredAt: { file: 'serverless.yml', line: 81, text: 'validate-payment:' } }),
    target: 'serverless',
    expected: { how: 'declared', logicalId: 'ValidateDashpaymentLambdaFunction' },
  },
  {
    name: 'a queue under `resources:` of serverless.yml keeps its logical id',
    resource: resource({ id: 'OrdersQueue', kind: 'queue', placeholder: 'OrdersQueueUrl', attribute: 'url', declaredAt: { file: 'serverless.yml', line: 144, text: 'OrdersQueue:' } }),
    target: 'serverless',
    expected: { how: 'declared', logicalId: 'OrdersQueue' },
  },
  {
    name: 'a queue in a file serverless.yml includes counts as Serverless',
    resource: resource({ id: 'Jobs', kind: 'queue', placeholder: 'JobsQueueUrl', attribute: 'url', declaredAt: { file: 'resources/queues.yml', line: 3, text: '  Jobs:' } }),
    target: 'serverless',
    repository: 'serverless',
    expected: { how: 'declared', logicalId: 'Jobs' },
  },
  {
    name: 'a SAM function from the SAM output: the logical id of its line (not the prefixed node id)',
    resource: resource({ id: 'orders/ValidatePayment', declaredAt: { file: 'orders/template.yaml', line: 20, text: 'ValidatePayment:' } }),
    target: 'sam',
    expected: { how: 'declared', logicalId: 'ValidatePayment' },
  },
  {
    name: 'a template resource from the CloudFormation output',
    resource: resource({ id: 'Topic', kind: 'topic', placeholder: 'TopicTopicArn', declaredAt: { file: 'template.json', line: 9, text: '"Topic": {' } }),
    target: 'cloudformation',
    expected: { how: 'declared', logicalId: 'Topic' },
  },
  {
    name: 'a Terraform resource with an instance key: its address',
    resource: resource({ id: 'worker["email"]', declaredAt: { file: 'main.tf', line: 4, text: 'resource "aws_lambda_function" "worker" {' } }),
    target: 'terraform',
    expected: { how: 'declared', logicalId: 'aws_lambda_function.worker["email"]' },
  },
  {
    name: 'a function of a Terraform module cannot be referenced: by name',
    resource: resource({ id: 'payments', name: 'app-payments', declaredAt: { file: 'main.tf', line: 4, text: 'module "payments" {' } }),
    target: 'terraform',
    expected: { how: 'name', name: 'app-payments' },
  },
  {
    name: 'a Serverless function from the SAM output (another stack): by its deployed name',
    resource: resource({ name: 'orders-dev-validatePayment', declaredAt: { file: 'serverless.yml', line: 81, text: 'validatePayment:' } }),
    target: 'sam',
    expected: { how: 'name', name: 'orders-dev-validatePayment' },
  },
  {
    name: 'no declaration and no name: a parameter for the name',
    resource: resource({}),
    target: 'cloudformation',
    expected: { how: 'parameter', parameter: 'ValidatePaymentFunctionName' },
  },
  {
    name: 'a partly known name: a parameter, keeping the pattern for the notes',
    resource: resource({ kind: 'external', name: 'billing-*-charge' }),
    target: 'terraform',
    expected: { how: 'parameter', parameter: 'ValidatePaymentFunctionName', pattern: 'billing-*-charge' },
  },
  {
    name: 'a construct of a CDK app, from the CDK output: passed in',
    resource: resource({ declaredAt: { file: 'lib/orders-stack.ts', line: 30, text: "const validatePayment = new NodejsFunction(this, 'ValidatePayment', {" } }),
    target: 'cdk',
    expected: { how: 'declared', logicalId: 'validatePayment' },
  },
];

describe('bindResource', () => {
  it.each(CASES)('$name', ({ resource: input, target, repository, expected }) => {
    const { resource: _resource, ...binding } = bindResource(PLAN, input, target, repository) as Record<string, unknown>;
    expect(binding).toEqual(expected);
  });

  it('a nested workflow of the same plan is the generated state machine', () => {
    const nested = { ...PLAN, workflows: [{ name: 'fulfilment', logicalId: 'FulfilmentWorkflow' } as Plan['workflows'][number]] };
    const binding = bindResource(nested, resource({ id: 'fulfilment', kind: 'workflow', placeholder: 'FulfilmentStateMachineArn' }), 'sam');
    expect(binding.how).toBe('workflow');
  });

  it('normalizes names as Serverless does', () => {
    expect(normalizeServerlessName('place_order-v2')).toBe('PlaceUnderscoreorderDashv2');
  });
});
