import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getGenerator } from '../../generators/index.js';
import { derivePolicy, LOG_DELIVERY_ACTIONS, XRAY_ACTIONS, type PolicyTarget } from '../../generators/iam-policy.js';
import { CLOUDFORMATION_TEMPLATE } from '../../generators/cloudformation.js';
import { TERRAFORM_FILE } from '../../generators/terraform.js';
import { getAslFileName } from '../../generators/shared/placeholders.js';
import { parseYaml } from '../../src/iac/cfn-yaml.js';
import { SourceMap } from '../../src/iac/source-map.js';
import { readPlanFile } from '../../src/plan-file.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import { DEFAULT_DEPLOY_SETTINGS, type DeploySettings } from '../../src/types/deploy.js';
import type { Plan, ServiceStep, WorkflowPlan } from '../../src/types/plan.js';
import { getAslPermissions, toPermissionLines } from '../helpers/asl-permissions.js';
import { GENERATOR_FIXTURES, getFile, listCases } from '../helpers/deployables.js';

/** The bundled example's plan, and the hand-built sample that uses every step type (distributed Map, nested workflow...). */
const PLANS = listCases('iam-policy').map((name) => ({ name, plan: readPlanFile(path.join(GENERATOR_FIXTURES, 'iam-policy', name, 'plan.yaml')) }));
const SAMPLE = PLANS.find((entry) => entry.name === 'sample')!.plan;

const SETTINGS: Record<string, Pick<DeploySettings, 'logLevel' | 'tracing'>> = {
  'logging, no tracing': { logLevel: 'ERROR', tracing: false },
  'tracing, no logging': { logLevel: 'OFF', tracing: true },
  'neither': { logLevel: 'OFF', tracing: false },
};

async function renderAslOf(plan: Plan, workflow: WorkflowPlan): Promise<Record<string, unknown>> {
  const asl = getGenerator('asl');
  if (!asl) throw new Error('the asl generator is not registered');
  return JSON.parse(getFile(await asl.generate(plan, {}), getAslFileName(workflow)).contents) as Record<string, unknown>;
}

/** The policy's grants on specific resources, named as the ASL names them (`<placeholder>:<form>`). */
function getGrantedLines(workflow: WorkflowPlan, settings: Pick<DeploySettings, 'logLevel' | 'tracing'>): { specific: string[]; any: string[] } {
  const placeholders = new Map(workflow.resources.map((resource) => [resource.id, resource.placeholder]));
  const name = (target: PolicyTarget): string | undefined => {
    switch (target.kind) {
      case 'resource':
        return `${placeholders.get(target.id)}:${target.form}`;
      case 'self':
        return `self:${target.form}`;
      case 'sync-rule':
        return 'sync-rule';
      case 'bucket':
        return `bucket:${target.bucket}${target.objects === undefined ? '' : `/${target.objects}`}`;
      case 'any':
        return undefined;
    }
  };
  const specific = new Set<string>();
  const any = new Set<string>();
  for (const statement of derivePolicy(workflow, settings).statements) {
    for (const target of statement.targets) {
      for (const action of statement.actions) {
        const named = name(target);
        if (named === undefined) any.add(action);
        else specific.add(`${action} on ${named}`);
      }
    }
  }
  return { specific: [...specific].sort(), any: [...any].sort() };
}

describe('the least-privilege policy against the definition', () => {
  for (const [label, settings] of Object.entries(SETTINGS)) {
    for (const { name, plan } of PLANS) for (const workflow of plan.workflows) {
      it(`${name}/${workflow.name}, ${label}: grants every (action, resource) the ASL needs and nothing else`, async () => {
        const needed = toPermissionLines(getAslPermissions(await renderAslOf(plan, workflow)));
        const granted = getGrantedLines(workflow, settings);
        expect(granted.specific).toEqual(needed);
        // `*` only where AWS requires it: log delivery and X-Ray.
        const expectedAny = [...(settings.logLevel === 'OFF' ? [] : LOG_DELIVERY_ACTIONS), ...(settings.tracing ? XRAY_ACTIONS : [])].sort();
        expect(granted.any).toEqual(expectedAny);
      });
    }
  }
});

describe('the policy as each format writes it', () => {
  const settings: DeploySettings = { iac: 'cloudformation', ...DEFAULT_DEPLOY_SETTINGS, tracing: true };

  it('CloudFormation: the role holds the derived statements, resource for resource', async () => {
    const files = await getGenerator('cloudformation')!.generate(SAMPLE, { deploy: settings });
    const parsed = parseYaml(getFile(files, CLOUDFORMATION_TEMPLATE).contents, { file: 'template.yaml', limits: DEFAULT_LIMITS, sourceMap: new SourceMap() });
    const resources = (parsed.value as { Resources: Record<string, { Properties: { Policies: { PolicyDocument: { Statement: Record<string, unknown>[] } }[] } }> }).Resources;
    for (const workflow of SAMPLE.workflows) {
      const written = resources[`${workflow.logicalId}Role`]!.Properties.Policies[0]!.PolicyDocument.Statement;
      const derived = derivePolicy(workflow, settings).statements;
      expect(written.map((statement) => statement.Sid)).toEqual(derived.map((statement) => statement.sid));
      written.forEach((statement, index) => {
        const actions = [statement.Action].flat();
        expect(actions).toEqual(derived[index]!.actions);
        const count = statement.Resource === '*' ? 0 : [statement.Resource].flat().length;
        expect(count, String(statement.Sid)).toBe(derived[index]!.targets.some((target) => target.kind === 'any') ? 0 : new Set(derived[index]!.targets.map((target) => JSON.stringify(target))).size);
      });
    }
  });

  it('Terraform: one aws_iam_policy_document statement per derived statement', async () => {
    const files = await getGenerator('terraform')!.generate(SAMPLE, { deploy: { ...settings, iac: 'terraform' } });
    const hcl = createRequire(import.meta.url)('@cdktf/hcl2json') as { parse(file: string, contents: string): Promise<Record<string, any>> };
    const body = await hcl.parse('stepfunctions.tf', getFile(files, TERRAFORM_FILE).contents);
    for (const workflow of SAMPLE.workflows) {
      const name = workflow.logicalId.replace(/Workflow$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
      const statements = body.data.aws_iam_policy_document[name][0].statement as { sid: string; actions: string[]; resources: string[] }[];
      const derived = derivePolicy(workflow, settings).statements;
      expect(statements.map((statement) => [statement.sid, statement.actions])).toEqual(derived.map((statement) => [statement.sid, statement.actions]));
      for (const statement of statements) {
        if (statement.resources.includes('*')) expect(['LogDelivery', 'XRayTracing']).toContain(statement.sid);
      }
    }
  });
});

/** A small workflow with one service step, to look at single integrations. */
function withServiceStep(step: Partial<ServiceStep>, resources: WorkflowPlan['resources']): WorkflowPlan {
  const workflow = structuredClone(SAMPLE.workflows[1]!);
  workflow.resources = resources;
  workflow.model.steps = [
    { type: 'service', name: 'Call', comment: 'a call', evidence: [], service: 'sqs', action: 'sendMessage', integration: 'request-response', resource: 'Jobs', parameters: {}, result: { resultPath: null }, retry: [], catch: [], ...step } as ServiceStep,
  ];
  return workflow;
}

describe('derivePolicy', () => {
  const queue = { id: 'Jobs', kind: 'queue' as const, placeholder: 'JobsQueueUrl', attribute: 'url' as const, actions: ['sqs:SendMessage'] };
  const off = { logLevel: 'OFF' as const, tracing: false };

  it('a callback integration (.waitForTaskToken) needs the call itself', () => {
    const policy = derivePolicy(withServiceStep({ integration: 'wait-for-task-token', parameters: { QueueUrl: '${JobsQueueUrl}', 'MessageBody.$': '$' } }, [queue]), off);
    expect(policy.statements).toEqual([{ sid: 'SqsSendMessage', actions: ['sqs:SendMessage'], targets: [{ kind: 'resource', id: 'Jobs', form: 'arn' }] }]);
    expect(policy.warnings).toEqual([]);
  });

  it('a target read from the state gets "*" and a warning', () => {
    const policy = derivePolicy(withServiceStep({ parameters: { 'QueueUrl.$': '$.queue', 'MessageBody.$': '$' } }, [queue]), off);
    expect(policy.statements[0]!.targets).toEqual([{ kind: 'any' }]);
    expect(policy.warnings.join('\n')).toMatch(/Call: the QueueUrl comes from the state.*"\*"/);
  });

  it('warns about resources outside the repository and about plan actions the definition does not use', () => {
    const external = { id: 'billing', kind: 'external' as const, placeholder: 'BillingTopicArn', attribute: 'arn' as const, name: 'billing-*', actions: ['sns:Publish', 'sns:Subscribe'] };
    const policy = derivePolicy(withServiceStep({ service: 'sns', action: 'publish', resource: 'billing', parameters: { TopicArn: '${BillingTopicArn}', 'Message.$': '$' } }, [external]), off);
    expect(policy.statements).toEqual([{ sid: 'SnsPublish', actions: ['sns:Publish'], targets: [{ kind: 'resource', id: 'billing', form: 'arn' }] }]);
    expect(policy.warnings).toEqual([
      'billing is outside the repository (billing-*): the role is granted sns:Publish on the name you supply as BillingTopicName',
      'the plan lists sns:Subscribe for billing, which the definition does not use: not granted',
    ]);
  });
});
