import { toDistinctSegment } from '../src/safe-path.js';
import type { DeploySettings } from '../src/types/deploy.js';
import { DEFAULT_DEPLOY_SETTINGS } from '../src/types/deploy.js';
import type { GeneratedFile, Generator } from '../src/types/generator.js';
import type { Plan, ServiceStep, WorkflowPlan, WorkflowResource } from '../src/types/plan.js';
import type { Binding } from './shared/bindings.js';
import { getParameterName } from './shared/bindings.js';
import {
  compact,
  getArn,
  getBucketArn,
  getExecutionsArn,
  getExprKey,
  getOwnArn,
  getOwnExecutionsArn,
  getSyncRuleArn,
  type Expr,
  type Part,
} from './shared/expressions.js';
import { findPlaceholders, listSteps } from './shared/placeholders.js';

/**
 * The least-privilege policy of a workflow's role, derived from the plan's model alone: each Task and service
 * integration grants exactly the actions it needs on exactly the resource it reaches; logging and X-Ray add the
 * delivery actions AWS requires on `*`. The IaC generators render the same statements in their own syntax; this
 * generator also writes them as `<workflow>.iam-policy.json` for review.
 */

/** What a statement grants access to, before it is written in a format's syntax. */
export type PolicyTarget =
  /** A resource of the plan: its ARN, its versions and aliases (`<function ARN>:*`), or its executions. */
  | { kind: 'resource'; id: string; form: 'arn' | 'qualified' | 'executions' }
  /** The workflow's own state machine (a distributed Map starts child executions of it). */
  | { kind: 'self'; form: 'arn' | 'executions' }
  /** The managed rule `.sync` integrations use to learn that a nested execution ended. */
  | { kind: 'sync-rule' }
  /** An S3 bucket (`bucket`: a name or a `${Placeholder}`), or objects in it. */
  | { kind: 'bucket'; bucket: string; objects?: string }
  /** Every resource: what AWS requires for log delivery and X-Ray, or a target only known at run time. */
  | { kind: 'any' };

export interface PolicyStatement {
  /** Statement id: letters and digits. */
  sid: string;
  actions: string[];
  targets: PolicyTarget[];
}

export interface DerivedPolicy {
  statements: PolicyStatement[];
  /** What a reviewer must know: `*` resources chosen for unresolved targets, resources outside the repository. */
  warnings: string[];
}

export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
];

export const XRAY_ACTIONS = ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

const SYNC_RULE_ACTIONS = ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'];

/** The parameter of an integration that names its target, by service (`QueueUrl` for `sqs:sendMessage`). */
const TARGET_PARAMETER: Record<ServiceStep['service'], string> = {
  sqs: 'QueueUrl',
  sns: 'TopicArn',
  events: 'EventBusName',
  states: 'StateMachineArn',
  dynamodb: 'TableName',
};

/** `sendMessage` → `SendMessage`: the IAM action of an optimized integration's API action. */
function toIamAction(service: ServiceStep['service'], action: string): string {
  return `${service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

/** One action on one target; `group` keeps statements of different purposes apart (log delivery, X-Ray). */
type Grant = { action: string; target: PolicyTarget; group?: 'logs' | 'xray' };

function grantKey(grant: Grant): string {
  return `${grant.group ?? ''} ${JSON.stringify(grant.target)}`;
}

/** Whether a service step names its target only through the state (`"QueueUrl.$": "$.queue"`). */
function hasDynamicTarget(step: ServiceStep): boolean {
  const key = TARGET_PARAMETER[step.service];
  const inEntries = Array.isArray(step.parameters.Entries) ? (step.parameters.Entries as Record<string, unknown>[]) : [];
  const holders = [step.parameters, ...inEntries];
  return holders.some((holder) => `${key}.$` in holder) && !holders.some((holder) => key in holder);
}

function grantsOfService(step: ServiceStep, warnings: string[]): Grant[] {
  if (hasDynamicTarget(step)) {
    warnings.push(
      `${step.name}: the ${TARGET_PARAMETER[step.service]} comes from the state, so the policy allows ${toIamAction(step.service, step.action)} on every resource ("*"); narrow it to the targets you expect`,
    );
    return [{ action: toIamAction(step.service, step.action), target: { kind: 'any' } }];
  }
  const on = (form: 'arn' | 'executions'): PolicyTarget => ({ kind: 'resource', id: step.resource, form });
  if (step.service === 'states' && step.action === 'startExecution') {
    const grants: Grant[] = [{ action: 'states:StartExecution', target: on('arn') }];
    if (step.integration === 'sync') {
      grants.push({ action: 'states:DescribeExecution', target: on('executions') }, { action: 'states:StopExecution', target: on('executions') });
      for (const action of SYNC_RULE_ACTIONS) grants.push({ action, target: { kind: 'sync-rule' } });
    }
    return grants;
  }
  // Request-response and .waitForTaskToken need the same permission: the call itself.
  return [{ action: toIamAction(step.service, step.action), target: on('arn') }];
}

/** The S3 permissions of a distributed Map's ItemReader (`s3:listObjectsV2` lists a bucket, `s3:getObject` reads one object). */
function grantsOfItemReader(reader: { resource: string; parameters: Record<string, unknown> }, state: string, warnings: string[]): Grant[] {
  const bucket = reader.parameters.Bucket;
  if (typeof bucket !== 'string') {
    warnings.push(`${state}: the bucket of the ItemReader comes from the state, so the policy allows reading every bucket ("*"); narrow it to the bucket you expect`);
    return [{ action: reader.resource.endsWith('listObjectsV2') ? 's3:ListBucket' : 's3:GetObject', target: { kind: 'any' } }];
  }
  if (reader.resource.endsWith(':s3:listObjectsV2')) return [{ action: 's3:ListBucket', target: { kind: 'bucket', bucket } }];
  const key = typeof reader.parameters.Key === 'string' ? reader.parameters.Key : '*';
  return [{ action: 's3:GetObject', target: { kind: 'bucket', bucket, objects: key } }];
}

function collectGrants(workflow: WorkflowPlan, settings: Pick<DeploySettings, 'logLevel' | 'tracing'>, warnings: string[]): Grant[] {
  const grants: Grant[] = [];
  for (const step of listSteps(workflow.model.steps)) {
    if (step.type === 'task') {
      // Invoking through an alias or a version needs the qualified ARN as well.
      grants.push(
        { action: 'lambda:InvokeFunction', target: { kind: 'resource', id: step.function, form: 'arn' } },
        { action: 'lambda:InvokeFunction', target: { kind: 'resource', id: step.function, form: 'qualified' } },
      );
    } else if (step.type === 'service') {
      grants.push(...grantsOfService(step, warnings));
    } else if (step.type === 'map' && step.mode === 'distributed') {
      grants.push(
        { action: 'states:StartExecution', target: { kind: 'self', form: 'arn' } },
        { action: 'states:DescribeExecution', target: { kind: 'self', form: 'executions' } },
      );
      if (step.itemReader) grants.push(...grantsOfItemReader(step.itemReader, step.name, warnings));
    }
  }
  if (settings.logLevel !== 'OFF') for (const action of LOG_DELIVERY_ACTIONS) grants.push({ action, target: { kind: 'any' }, group: 'logs' });
  if (settings.tracing) for (const action of XRAY_ACTIONS) grants.push({ action, target: { kind: 'any' }, group: 'xray' });
  return grants;
}

/** A readable statement id from its actions: `lambda:InvokeFunction` → `LambdaInvokeFunction`. */
function toSid(actions: readonly string[]): string {
  if (actions.every((action) => action.startsWith('logs:'))) return 'LogDelivery';
  if (actions.every((action) => action.startsWith('xray:'))) return 'XRayTracing';
  if (actions.every((action) => SYNC_RULE_ACTIONS.includes(action))) return 'NestedExecutionEvents';
  return actions
    .map((action) => action.split(':').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(''))
    .join('')
    .replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Groups grants into statements: the targets that need the same set of actions share one statement. Order follows
 * the model (the first grant of each group decides), so the same plan always gives the same policy.
 */
function toStatements(grants: readonly Grant[]): PolicyStatement[] {
  const actionsByTarget = new Map<string, { target: PolicyTarget; group: string; actions: Set<string> }>();
  for (const grant of grants) {
    const key = grantKey(grant);
    const entry = actionsByTarget.get(key) ?? { target: grant.target, group: grant.group ?? '', actions: new Set<string>() };
    entry.actions.add(grant.action);
    actionsByTarget.set(key, entry);
  }
  const byActions = new Map<string, PolicyStatement>();
  for (const { target, group, actions } of actionsByTarget.values()) {
    const sorted = [...actions].sort();
    const key = `${group} ${sorted.join(' ')}`;
    const statement = byActions.get(key) ?? { sid: toSid(sorted), actions: sorted, targets: [] };
    statement.targets.push(target);
    byActions.set(key, statement);
  }
  const statements = [...byActions.values()];
  const used = new Map<string, number>();
  for (const statement of statements) {
    const count = (used.get(statement.sid) ?? 0) + 1;
    used.set(statement.sid, count);
    if (count > 1) statement.sid = `${statement.sid}${count}`;
  }
  return statements;
}

/** Resources outside the repository, and plan actions the definition does not need (a hand-edited plan). */
function checkResources(workflow: WorkflowPlan, statements: readonly PolicyStatement[], warnings: string[]): void {
  const granted = new Map<string, Set<string>>();
  for (const statement of statements) {
    for (const target of statement.targets) {
      if (target.kind !== 'resource') continue;
      const actions = granted.get(target.id) ?? new Set<string>();
      for (const action of statement.actions) actions.add(action);
      granted.set(target.id, actions);
    }
  }
  for (const resource of workflow.resources) {
    if (resource.kind === 'external') {
      const actions = [...(granted.get(resource.id) ?? [])].sort().join(', ') || 'nothing';
      warnings.push(`${resource.id} is outside the repository (${resource.name ?? 'name unknown'}): the role is granted ${actions} on the name you supply as ${getParameterName(resource)}`);
    }
    const extra = resource.actions.filter((action) => !granted.get(resource.id)?.has(action));
    if (extra.length > 0) warnings.push(`the plan lists ${extra.join(', ')} for ${resource.id}, which the definition does not use: not granted`);
  }
}

/** The least-privilege policy of one workflow. */
export function derivePolicy(workflow: WorkflowPlan, settings: Pick<DeploySettings, 'logLevel' | 'tracing'>): DerivedPolicy {
  const warnings: string[] = [];
  const statements = toStatements(collectGrants(workflow, settings, warnings));
  checkResources(workflow, statements, warnings);
  return { statements, warnings };
}

/** A bucket written as `${Placeholder}` is a value the user supplies; any other text is the bucket's name. */
function toBucketPart(bucket: string): Part {
  const placeholder = /^\$\{([A-Za-z0-9_]+)\}$/.exec(bucket)?.[1];
  return placeholder ? { parameter: placeholder } : bucket;
}

/** A target as an expression, given how each resource is bound in the output format; `'*'` for any resource. */
export function toTargetExpr(target: PolicyTarget, workflow: WorkflowPlan, bindings: ReadonlyMap<string, Binding>): Expr | '*' {
  switch (target.kind) {
    case 'any':
      return '*';
    case 'sync-rule':
      return getSyncRuleArn();
    case 'self':
      return target.form === 'arn' ? getOwnArn(workflow) : getOwnExecutionsArn(workflow);
    case 'bucket':
      return getBucketArn(toBucketPart(target.bucket), target.objects);
    case 'resource': {
      const binding = bindings.get(target.id);
      if (!binding) throw new Error(`the policy names ${target.id}, which is not a resource of workflow ${workflow.name}`);
      if (target.form === 'executions') return getExecutionsArn(binding);
      const arn = getArn(binding);
      return target.form === 'qualified' ? [...arn, ':*'] : arn;
    }
  }
}

/** The resources of a statement as sorted, distinct expressions (`'*'` alone when any resource is allowed). */
export function getStatementResources(statement: PolicyStatement, workflow: WorkflowPlan, bindings: ReadonlyMap<string, Binding>): Expr[] | '*' {
  const exprs = statement.targets.map((target) => toTargetExpr(target, workflow, bindings));
  if (exprs.includes('*')) return '*';
  const byKey = new Map((exprs as Expr[]).map((expr) => [getExprKey(expr), compact(expr)]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

// --- the generator: the policy for review, in CloudFormation `Fn::Sub` notation ---------------------------------

/**
 * For the standalone policy, a resource is written with the variables a reviewer can fill in: an ARN placeholder
 * as itself (`${ValidatePaymentFunctionArn}`), a queue or bus by its known name, else by a `...Name` variable.
 */
function bindForReview(resource: WorkflowResource): Binding {
  // An ARN placeholder stands for itself; `toSubText` writes the reference as `${Placeholder}`.
  if (resource.attribute === 'arn') return { how: 'declared', resource, logicalId: resource.placeholder };
  if (resource.name && !resource.name.includes('*')) return { how: 'name', resource, name: resource.name };
  return { how: 'parameter', resource, parameter: getParameterName(resource) };
}

function toSubText(expr: Expr): string {
  return expr
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('pseudo' in part) return { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}', urlSuffix: '${AWS::URLSuffix}' }[part.pseudo];
      if ('parameter' in part) return `\${${part.parameter}}`;
      if ('stateMachineName' in part) return `\${${part.stateMachineName.logicalId}Name}`;
      // Only ARN placeholders are bound this way (bindForReview): the ARN is the placeholder, the name a variable.
      return part.attribute === 'arn' ? `\${${part.ref.resource.placeholder}}` : `\${${getParameterName(part.ref.resource)}}`;
    })
    .join('');
}

/** The standalone policy document of one workflow. */
export function renderPolicyDocument(workflow: WorkflowPlan, settings: Pick<DeploySettings, 'logLevel' | 'tracing'>): Record<string, unknown> {
  const policy = derivePolicy(workflow, settings);
  const bindings = new Map(workflow.resources.map((resource) => [resource.id, bindForReview(resource)]));
  return {
    Version: '2012-10-17',
    Statement: policy.statements.map((statement) => {
      const resources = getStatementResources(statement, workflow, bindings);
      return {
        Sid: statement.sid,
        Effect: 'Allow',
        Action: statement.actions.length === 1 ? statement.actions[0] : statement.actions,
        Resource: resources === '*' ? '*' : resources.length === 1 ? toSubText(resources[0]!) : resources.map((expr) => toSubText(expr)),
      };
    }),
  };
}

/** Every `${Variable}` the standalone policy uses, with what to put there. */
function describeVariables(document: Record<string, unknown>, workflow: WorkflowPlan): string[] {
  const lines: string[] = [];
  for (const variable of findPlaceholders(document)) {
    if (variable.startsWith('AWS::')) continue;
    const resource = workflow.resources.find((candidate) => candidate.placeholder === variable || getParameterName(candidate) === variable);
    if (variable === `${workflow.logicalId}Name`) lines.push(`${variable}: the name of this state machine`);
    else if (resource) lines.push(`${variable}: the ${variable === resource.placeholder ? resource.attribute.toUpperCase() : 'name'} of ${resource.id}`);
    else lines.push(`${variable}: the value of the definition's \${${variable}}`);
  }
  return lines;
}

export const iamPolicy: Generator = {
  id: 'iam-policy',
  description: 'the least-privilege IAM policy of each workflow, derived from its definition, for review',
  generate(plan: Plan, options): GeneratedFile[] {
    const settings = options.deploy ?? DEFAULT_DEPLOY_SETTINGS;
    return plan.workflows.map((workflow) => {
      const document = renderPolicyDocument(workflow, settings);
      const policy = derivePolicy(workflow, settings);
      const out = {
        Description: `Least-privilege policy of the ${workflow.name} state machine, derived from its definition by lambda2sfn. Variables use CloudFormation Fn::Sub notation.`,
        Variables: describeVariables(document, workflow),
        Warnings: policy.warnings,
        PolicyDocument: document,
      };
      return { path: toDistinctSegment(workflow.name, '.iam-policy.json'), contents: `${JSON.stringify(out, null, 2)}\n` };
    });
  },
};
