import type { DeploySettings, EntryTrigger } from '../../src/types/deploy.js';
import type { Plan, WorkflowPlan } from '../../src/types/plan.js';
import type { DerivedPolicy, PolicyStatement } from '../iam-policy.js';
import { derivePolicy, getStatementResources } from '../iam-policy.js';
import type { Binding } from './bindings.js';
import { bindResource, bindWorkflow } from './bindings.js';
import type { CfnFlavor } from './cfn-values.js';
import { collectParameters, getStateMachineNameText, toCfnValue } from './cfn-values.js';
import type { WorkflowNotes } from './deploy-notes.js';
import { newWorkflowNotes } from './deploy-notes.js';
import { getArn, getSubstitution, type Expr } from './expressions.js';
import { getFreePlaceholders, listSteps } from './placeholders.js';
import { describeTrigger, getS3EventPattern, getStartAction, getTriggerFollowUps, getTriggers } from './triggers.js';

/**
 * The parts of a deployable that SAM, CloudFormation and the Serverless Framework share, all CloudFormation
 * underneath: substitutions, the role and its least-privilege policy, the log group, and the resources that
 * re-point triggers (API Gateway integrations, EventBridge Scheduler, rules, Pipes).
 */
export interface CfnWorkflowContext {
  plan: Plan;
  workflow: WorkflowPlan;
  flavor: CfnFlavor;
  settings: DeploySettings;
  bindings: Map<string, Binding>;
  policy: DerivedPolicy;
  /** Template parameters (or Serverless `${param:...}` variables) the output uses, with what each stands for. */
  parameters: Map<string, string>;
  notes: WorkflowNotes;
}

export const LOG_RETENTION_DAYS = 30;

export function newCfnContext(plan: Plan, workflow: WorkflowPlan, flavor: CfnFlavor, settings: DeploySettings): CfnWorkflowContext {
  const bindings = bindWorkflow(plan, workflow, flavor, settings.repositoryFormat);
  const policy = derivePolicy(workflow, settings);
  const notes = newWorkflowNotes(workflow.name);
  notes.warnings.push(...policy.warnings);
  const context: CfnWorkflowContext = { plan, workflow, flavor, settings, bindings, policy, parameters: new Map(), notes };
  for (const binding of bindings.values()) {
    if (binding.how !== 'parameter') continue;
    const known = binding.pattern ? ` (the code reaches ${binding.pattern})` : '';
    context.parameters.set(binding.parameter, `the deployed name of ${binding.resource.id}${known}`);
  }
  for (const free of getFreePlaceholders(workflow)) {
    context.parameters.set(free.placeholder, `the value of \${${free.placeholder}} in the definition (state ${free.state})`);
  }
  return context;
}

/** A value of the output, recording the parameters it uses. */
export function toValue(context: CfnWorkflowContext, expr: Expr): unknown {
  const used = new Set<string>();
  collectParameters(expr, used);
  for (const name of used) if (!context.parameters.has(name)) context.parameters.set(name, 'a value the output needs');
  return toCfnValue(expr, context.flavor);
}

/** DefinitionSubstitutions: one entry per placeholder of the definition. */
export function buildSubstitutions(context: CfnWorkflowContext): Record<string, unknown> {
  const substitutions: Record<string, unknown> = {};
  for (const binding of context.bindings.values()) substitutions[binding.resource.placeholder] = toValue(context, getSubstitution(binding));
  for (const free of getFreePlaceholders(context.workflow)) substitutions[free.placeholder] = toValue(context, [{ parameter: free.placeholder }]);
  return substitutions;
}

/** Whether the workflow refers to its own state machine (a distributed Map), which needs an explicit name. */
export function needsExplicitName(workflow: WorkflowPlan): boolean {
  return listSteps(workflow.model.steps).some((step) => step.type === 'map' && step.mode === 'distributed');
}

export function getNameValue(context: CfnWorkflowContext): unknown {
  const text = getStateMachineNameText(context.workflow, context.flavor);
  return context.flavor === 'serverless' ? text : { 'Fn::Sub': text };
}

/** A policy statement in IAM JSON with CloudFormation values. */
export function toIamStatement(context: CfnWorkflowContext, statement: PolicyStatement): Record<string, unknown> {
  const resources = getStatementResources(statement, context.workflow, context.bindings);
  return {
    Sid: statement.sid,
    Effect: 'Allow',
    Action: statement.actions.length === 1 ? statement.actions[0] : statement.actions,
    Resource: resources === '*' ? '*' : resources.length === 1 ? toValue(context, resources[0]!) : resources.map((expr) => toValue(context, expr)),
  };
}

/** Trust policy for a service role, limited to this account (the confused-deputy guard AWS recommends). */
function trust(service: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ],
  };
}

function role(service: string, policyName: string, statements: Record<string, unknown>[]): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: trust(service),
      Policies: [{ PolicyName: policyName, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}

/** The state machine's role: exactly the derived statements. */
export function buildStateMachineRole(context: CfnWorkflowContext, statements: readonly PolicyStatement[] = context.policy.statements): Record<string, unknown> {
  return role('states.amazonaws.com', 'least-privilege', statements.map((statement) => toIamStatement(context, statement)));
}

export function buildLogGroup(context: CfnWorkflowContext): Record<string, unknown> {
  const name = `/aws/vendedlogs/states/${getStateMachineNameText(context.workflow, context.flavor)}`;
  return {
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: context.flavor === 'serverless' ? name : { 'Fn::Sub': name }, RetentionInDays: LOG_RETENTION_DAYS },
  };
}

export function hasLogging(settings: DeploySettings): boolean {
  return settings.logLevel !== 'OFF';
}

// --- triggers ------------------------------------------------------------------------------------------------

/** What the format writes for each trigger: resources, or (SAM, the Serverless plugin) events on the state machine. */
export interface TriggerOutput {
  resources: Record<string, unknown>;
  /** SAM `Events` entries, or the Serverless plugin's `events` list items. */
  events: { id: string; event: unknown }[];
}

/** The state machine's ARN, by its logical id (a `Ref` works for both state machine types). */
function stateMachineRef(context: CfnWorkflowContext): unknown {
  return { Ref: context.workflow.logicalId };
}

/** The API an HTTP route belongs to, as a value of the output: its logical id when the output can refer to it. */
function getApiId(context: CfnWorkflowContext, trigger: Extract<EntryTrigger, { kind: 'http' }>): unknown {
  const sameFamily = (file: string | undefined) =>
    file !== undefined && (context.flavor === 'serverless' ? /serverless\.(ya?ml|json|ts|js)$/.test(file) : /\.(ya?ml|json|template)$/.test(file) && !/serverless\./.test(file));
  if (trigger.apiId && sameFamily(trigger.apiFile)) return { Ref: trigger.apiId };
  // The APIs the frameworks create for routes declared on functions.
  const implicit =
    context.flavor === 'serverless' && context.settings.repositoryFormat === 'serverless'
      ? 'HttpApi'
      : context.flavor === 'sam' && context.settings.repositoryFormat === 'sam' && !trigger.apiId
        ? 'ServerlessHttpApi'
        : undefined;
  if (implicit) {
    context.notes.manual.push(
      `The route is added to ${implicit}, the HTTP API the framework creates only while a function has an HTTP API event: if ${trigger.method} ${trigger.path} was the last one, declare ${implicit} yourself (an AWS::ApiGatewayV2::Api with a $default stage) under the same logical id.`,
    );
    return { Ref: implicit };
  }
  const parameter = `${context.workflow.logicalId}HttpApiId`;
  context.parameters.set(parameter, `the id of the API Gateway HTTP API that serves ${trigger.method} ${trigger.path}`);
  return toCfnValue([{ parameter }], context.flavor);
}

function startPolicy(context: CfnWorkflowContext, action: string): Record<string, unknown> {
  return { Effect: 'Allow', Action: `states:${action}`, Resource: stateMachineRef(context) };
}

function addHttpApiRoute(context: CfnWorkflowContext, trigger: Extract<EntryTrigger, { kind: 'http' }>, out: TriggerOutput, index: string): void {
  const id = context.workflow.logicalId;
  const action = getStartAction(context.workflow);
  const apiId = getApiId(context, trigger);
  out.resources[`${id}HttpApiRole${index}`] = role('apigateway.amazonaws.com', 'start-execution', [startPolicy(context, action)]);
  out.resources[`${id}HttpIntegration${index}`] = {
    Type: 'AWS::ApiGatewayV2::Integration',
    Properties: {
      ApiId: apiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationSubtype: `StepFunctions-${action}`,
      PayloadFormatVersion: '1.0',
      CredentialsArn: { 'Fn::GetAtt': [`${id}HttpApiRole${index}`, 'Arn'] },
      RequestParameters: { StateMachineArn: stateMachineRef(context), Input: '$request.body' },
    },
  };
  out.resources[`${id}HttpRoute${index}`] = {
    Type: 'AWS::ApiGatewayV2::Route',
    Properties: {
      ApiId: apiId,
      RouteKey: `${trigger.method.toUpperCase()} ${trigger.path.startsWith('/') ? trigger.path : `/${trigger.path}`}`,
      Target: { 'Fn::Sub': `integrations/\${${id}HttpIntegration${index}}` },
    },
  };
}

function addSchedule(context: CfnWorkflowContext, trigger: Extract<EntryTrigger, { kind: 'schedule' }>, out: TriggerOutput, index: string): void {
  const id = context.workflow.logicalId;
  if (context.flavor === 'sam') {
    out.events.push({ id: `Schedule${index}`, event: { Type: 'ScheduleV2', Properties: { ScheduleExpression: trigger.expression } } });
  } else if (context.flavor === 'serverless') {
    out.events.push({ id: `Schedule${index}`, event: { schedule: trigger.expression } });
  } else {
    out.resources[`${id}ScheduleRole${index}`] = role('scheduler.amazonaws.com', 'start-execution', [startPolicy(context, 'StartExecution')]);
    out.resources[`${id}Schedule${index}`] = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        ScheduleExpression: trigger.expression,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: stateMachineRef(context), RoleArn: { 'Fn::GetAtt': [`${id}ScheduleRole${index}`, 'Arn'] } },
      },
    };
  }
}

function addS3Rule(context: CfnWorkflowContext, trigger: Extract<EntryTrigger, { kind: 's3' }>, out: TriggerOutput, index: string): void {
  const id = context.workflow.logicalId;
  const pattern = getS3EventPattern(trigger);
  if (context.flavor === 'sam') {
    out.events.push({ id: `ObjectEvents${index}`, event: { Type: 'EventBridgeRule', Properties: { Pattern: pattern } } });
  } else if (context.flavor === 'serverless') {
    out.events.push({ id: `ObjectEvents${index}`, event: { eventBridge: { event: pattern } } });
  } else {
    out.resources[`${id}EventsRole${index}`] = role('events.amazonaws.com', 'start-execution', [startPolicy(context, 'StartExecution')]);
    out.resources[`${id}ObjectEvents${index}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: pattern,
        Targets: [{ Id: 'StateMachine', Arn: stateMachineRef(context), RoleArn: { 'Fn::GetAtt': [`${id}EventsRole${index}`, 'Arn'] } }],
      },
    };
  }
}

function addPipe(context: CfnWorkflowContext, trigger: Extract<EntryTrigger, { kind: 'sqs' }>, out: TriggerOutput, index: string): void {
  const id = context.workflow.logicalId;
  const queue = bindResource(context.plan, trigger.queue, context.flavor, context.settings.repositoryFormat);
  if (queue.how === 'parameter') context.parameters.set(queue.parameter, `the name of queue ${trigger.queue.id}, which started ${context.workflow.chain.entry}`);
  const queueArn = toValue(context, getArn(queue));
  out.resources[`${id}PipeRole${index}`] = role('pipes.amazonaws.com', 'queue-to-state-machine', [
    { Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], Resource: queueArn },
    startPolicy(context, 'StartExecution'),
  ]);
  out.resources[`${id}Pipe${index}`] = {
    Type: 'AWS::Pipes::Pipe',
    Properties: {
      RoleArn: { 'Fn::GetAtt': [`${id}PipeRole${index}`, 'Arn'] },
      Source: queueArn,
      ...(trigger.batchSize !== undefined ? { SourceParameters: { SqsQueueParameters: { BatchSize: trigger.batchSize } } } : {}),
      Target: stateMachineRef(context),
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } },
    },
  };
}

/**
 * Re-points every trigger the format can. A REST route is handled by the caller (each flavor differs), so it is
 * passed back in `rest` for it.
 */
export function buildTriggers(context: CfnWorkflowContext): TriggerOutput & { rest: Extract<EntryTrigger, { kind: 'http' }>[] } {
  const out: TriggerOutput & { rest: Extract<EntryTrigger, { kind: 'http' }>[] } = { resources: {}, events: [], rest: [] };
  const counts = new Map<string, number>();
  const indexOf = (kind: string) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    return n === 1 ? '' : String(n);
  };
  for (const trigger of getTriggers(context.workflow, context.settings)) {
    if (trigger.kind === 'http' && trigger.api === 'rest') {
      out.rest.push(trigger);
      continue;
    }
    if (trigger.kind === 'other') {
      context.notes.manual.push(...getTriggerFollowUps(trigger, context.workflow));
      continue;
    }
    if (trigger.kind === 'http') addHttpApiRoute(context, trigger, out, indexOf('http'));
    else if (trigger.kind === 'schedule') addSchedule(context, trigger, out, indexOf('schedule'));
    else if (trigger.kind === 's3') addS3Rule(context, trigger, out, indexOf('s3'));
    else addPipe(context, trigger, out, indexOf('sqs'));
    context.notes.repointed.push(describeTrigger(trigger));
    context.notes.manual.push(...getTriggerFollowUps(trigger, context.workflow));
  }
  return out;
}

/** Template `Parameters` for the values the user supplies (SAM and CloudFormation). */
export function buildParameters(context: CfnWorkflowContext): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [name, meaning] of context.parameters) {
    parameters[name] = { Type: 'String', Description: meaning.length > 250 ? `${meaning.slice(0, 247)}...` : meaning };
    context.notes.parameters.push({ name, meaning });
  }
  return parameters;
}
