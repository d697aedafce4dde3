import type { Generator } from '../src/types/generator.js';
import type { PolicyStatement, PolicyTarget } from './iam-policy.js';
import type { Binding } from './shared/bindings.js';
import {
  buildLogGroup,
  buildSubstitutions,
  buildTriggers,
  getNameValue,
  hasLogging,
  needsExplicitName,
  newCfnContext,
  toIamStatement,
  toValue,
  type CfnWorkflowContext,
} from './shared/cfn-stack.js';
import { toCfnYaml } from './shared/cfn-values.js';
import { getResourceType } from './shared/expressions.js';
import { getAslFileName } from './shared/placeholders.js';
import { describeTrigger, getTriggerFollowUps } from './shared/triggers.js';
import { assembleTemplate, buildLoggingConfiguration, getDeploySettings, noteRestRoutesAsManual, relativeTo, renderNotesFor } from './cloudformation.js';

export const SAM_TEMPLATE = 'sam/template.yaml';

/**
 * The SAM policy templates that grant what a statement grants on a resource, with the parameter they take.
 * `LambdaInvokePolicy` allows `function:<name>*`, which covers the versions and aliases (`:*`) too.
 */
const POLICY_TEMPLATES: Record<string, { template: string; parameter: string; type: ReturnType<typeof getResourceType> }> = {
  'lambda:InvokeFunction': { template: 'LambdaInvokePolicy', parameter: 'FunctionName', type: 'function' },
  'sqs:SendMessage': { template: 'SQSSendMessagePolicy', parameter: 'QueueName', type: 'queue' },
  'sns:Publish': { template: 'SNSPublishMessagePolicy', parameter: 'TopicName', type: 'topic' },
  'events:PutEvents': { template: 'EventBridgePutEventsPolicy', parameter: 'EventBusName', type: 'bus' },
  'states:StartExecution': { template: 'StepFunctionsExecutionPolicy', parameter: 'StateMachineName', type: 'state-machine' },
};

function nameValue(context: CfnWorkflowContext, binding: Binding): unknown {
  switch (binding.how) {
    case 'declared':
    case 'workflow':
      return toValue(context, [{ ref: binding, attribute: 'name' }]);
    case 'name':
      return binding.name;
    case 'parameter':
      return toValue(context, [{ parameter: binding.parameter }]);
  }
}

/**
 * Splits the derived policy into SAM policy templates (one per resource reached with a single templated action)
 * and the statements left (executions, the `.sync` rule, S3, log delivery, X-Ray), kept as an inline policy.
 */
function buildPolicies(context: CfnWorkflowContext): unknown[] {
  const templates: unknown[] = [];
  const rest: PolicyStatement[] = [];
  for (const statement of context.policy.statements) {
    const spec = statement.actions.length === 1 ? POLICY_TEMPLATES[statement.actions[0]!] : undefined;
    const templated: PolicyTarget[] = [];
    const left: PolicyTarget[] = [];
    for (const target of statement.targets) {
      const binding = target.kind === 'resource' ? context.bindings.get(target.id) : undefined;
      const fits = spec && binding && target.kind === 'resource' && target.form !== 'executions' && getResourceType(binding.resource) === spec.type;
      (fits ? templated : left).push(target);
    }
    const seen = new Set<string>();
    for (const target of templated) {
      if (target.kind !== 'resource' || seen.has(target.id)) continue;
      seen.add(target.id);
      templates.push({ [spec!.template]: { [spec!.parameter]: nameValue(context, context.bindings.get(target.id)!) } });
    }
    if (left.length > 0) rest.push({ ...statement, targets: left });
  }
  const inline = rest.length > 0 ? [{ Version: '2012-10-17', Statement: rest.map((statement) => toIamStatement(context, statement)) }] : [];
  return [...templates, ...inline];
}

function buildWorkflowResources(context: CfnWorkflowContext): Record<string, unknown> {
  const { workflow, settings } = context;
  const id = workflow.logicalId;
  const triggers = buildTriggers(context);
  // SAM's Api event starts an execution (StartExecution): right for Standard workflows only.
  const restEvents: Record<string, unknown> = {};
  const manualRest = workflow.type === 'STANDARD' ? [] : triggers.rest;
  if (workflow.type === 'STANDARD') {
    triggers.rest.forEach((trigger, index) => {
      restEvents[`Api${index === 0 ? '' : index + 1}`] = {
        Type: 'Api',
        Properties: { Method: trigger.method.toLowerCase(), Path: trigger.path.startsWith('/') ? trigger.path : `/${trigger.path}`, ...(trigger.apiId ? { RestApiId: { Ref: trigger.apiId } } : {}) },
      };
      context.notes.repointed.push(describeTrigger(trigger));
      context.notes.manual.push(...getTriggerFollowUps(trigger, workflow));
    });
  }
  noteRestRoutesAsManual(context, manualRest);
  const events = { ...Object.fromEntries(triggers.events.map(({ id: eventId, event }) => [eventId, event])), ...restEvents };
  const resources: Record<string, unknown> = {};
  if (hasLogging(settings)) resources[`${id}LogGroup`] = buildLogGroup(context);
  resources[id] = {
    Type: 'AWS::Serverless::StateMachine',
    Properties: {
      ...(needsExplicitName(workflow) ? { Name: getNameValue(context) } : {}),
      Type: workflow.type,
      DefinitionUri: relativeTo(SAM_TEMPLATE, getAslFileName(workflow)),
      DefinitionSubstitutions: buildSubstitutions(context),
      Policies: buildPolicies(context),
      ...(hasLogging(settings) ? { Logging: buildLoggingConfiguration(context) } : {}),
      ...(settings.tracing ? { Tracing: { Enabled: true } } : {}),
      ...(Object.keys(events).length > 0 ? { Events: events } : {}),
    },
  };
  Object.assign(resources, triggers.resources);
  return resources;
}

export const sam: Generator = {
  id: 'sam',
  description: 'an AWS::Serverless::StateMachine per workflow with SAM policy templates, logging, tracing and events (SAM YAML)',
  generate(plan, options) {
    const settings = getDeploySettings(options, 'sam');
    const parts = plan.workflows.map((workflow) => {
      const context = newCfnContext(plan, workflow, 'sam', settings);
      return { context, resources: buildWorkflowResources(context) };
    });
    const template = assembleTemplate('sam', plan, parts);
    return [
      {
        path: SAM_TEMPLATE,
        contents: toCfnYaml(template, { shortTags: true, header: ['Generated by lambda2sfn from the plan: merge these resources into your SAM template (see DEPLOY.md).'] }),
      },
      renderNotesFor(
        'AWS SAM',
        [
          { path: SAM_TEMPLATE, holds: 'the state machines with their policies, logging and events, and the resources that re-point the other triggers' },
          ...plan.workflows.map((workflow) => ({ path: getAslFileName(workflow), holds: `the definition of ${workflow.name} (written by the asl generator)` })),
        ],
        [
          'Copy the Resources (and Parameters) into the template that declares your functions, so that `!GetAtt`/`!Ref` reach them, and the definitions next to it (DefinitionUri is relative to the template).',
          '`sam build && sam deploy`: SAM uploads the definitions and expands the policy templates.',
        ],
        parts.map(({ context }) => context.notes),
      ),
    ];
  },
};
