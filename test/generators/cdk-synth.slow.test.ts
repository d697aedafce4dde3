import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK_FILE } from '../../generators/cdk.js';
import { derivePolicy } from '../../generators/iam-policy.js';
import { findPlaceholders, getAslFileName } from '../../generators/shared/placeholders.js';
import { listCases, runCase, type GeneratorCase } from '../helpers/deployables.js';
import { writeTree } from '../helpers/golden-tree.js';
import { REPO } from '../helpers/run-cli.js';

/**
 * The generated CDK constructs synthesise with the real aws-cdk-lib: each state machine gets every placeholder of
 * its definition substituted and the derived statements in its role's policy. Slow (a CDK synthesis): run with
 * `npm run test:slow`.
 */

// Inside the repository, so that `aws-cdk-lib` and `constructs` resolve from its node_modules.
const DIR = path.join(REPO, 'test', `.tmp-cdk-synth-${process.pid}`);
const cases = new Map<string, GeneratorCase>();

beforeAll(async () => {
  for (const name of listCases('cdk')) {
    const testCase = await runCase('cdk', name, 'cdk');
    cases.set(name, testCase);
    writeTree(path.join(DIR, name), testCase.all);
  }
}, 120_000);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('the generated CDK constructs', () => {
  it.each(listCases('cdk'))('%s: synthesises, placeholders substituted, the derived statements in the role', async (name) => {
    const testCase = cases.get(name)!;
    const file = path.join(DIR, name, CDK_FILE);
    const module = (await import(file)) as Record<string, new (scope: Stack, id: string, props: Record<string, unknown>) => { stateMachine: sfn.StateMachine }>;
    const text = readFileSync(file, 'utf8');
    for (const workflow of testCase.plan.workflows) {
      const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
      const props: Record<string, unknown> = {};
      const propsText = text.slice(text.indexOf(`export interface ${workflow.logicalId}Props`), text.indexOf(`export class ${workflow.logicalId} `));
      // Every required property: a construct of the interface's type (or a string).
      for (const [, prop, optional, type] of propsText.matchAll(/readonly (\w+)(\??): ([\w.]+);/g)) {
        if (optional) continue;
        const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:123456789012:${resource}${prop}`;
        props[prop!] = {
          'lambda.IFunction': () => lambda.Function.fromFunctionArn(stack, prop!, arn('lambda', 'function:')),
          'sqs.IQueue': () => sqs.Queue.fromQueueArn(stack, prop!, arn('sqs', '')),
          'sns.ITopic': () => sns.Topic.fromTopicArn(stack, prop!, arn('sns', '')),
          'events.IEventBus': () => events.EventBus.fromEventBusArn(stack, prop!, arn('events', 'event-bus/')),
          'sfn.IStateMachine': () => sfn.StateMachine.fromStateMachineArn(stack, prop!, arn('states', 'stateMachine:')),
          string: () => `value-of-${prop}`,
        }[type!]!();
      }
      const Construct = module[workflow.logicalId]!;
      expect(new Construct(stack, workflow.logicalId, props).stateMachine).toBeDefined();
      const template = Template.fromStack(stack);
      const machines = template.findResources('AWS::StepFunctions::StateMachine');
      expect(Object.keys(machines)).toHaveLength(1);
      const machine = Object.values(machines)[0] as { Properties: { DefinitionSubstitutions: Record<string, unknown>; StateMachineType: string } };
      const asl = JSON.parse(readFileSync(path.join(DIR, name, getAslFileName(workflow)), 'utf8')) as unknown;
      expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([...findPlaceholders(asl)].sort());
      expect(machine.Properties.StateMachineType).toBe(workflow.type);
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (policy) => (policy as { Properties: { PolicyDocument: { Statement: { Sid?: string }[] } } }).Properties.PolicyDocument.Statement,
      );
      const sids = statements.map((statement) => statement.Sid).filter(Boolean);
      for (const statement of derivePolicy(workflow, testCase.settings).statements) {
        if (statement.sid === 'LogDelivery' || statement.sid === 'XRayTracing') continue;
        expect(sids, workflow.name).toContain(statement.sid);
      }
    }
  }, 120_000);
});
