import type { DeploySettings, EntryTrigger } from '../src/types/deploy.js';
import type { Generator } from '../src/types/generator.js';
import type { Plan, WorkflowPlan } from '../src/types/plan.js';
import { getDeploySettings, relativeTo, renderNotesFor } from './cloudformation.js';
import { derivePolicy, getStatementResources } from './iam-policy.js';
import type { Binding } from './shared/bindings.js';
import { bindResource, bindWorkflow } from './shared/bindings.js';
import { LOG_RETENTION_DAYS } from './shared/cfn-stack.js';
import type { WorkflowNotes } from './shared/deploy-notes.js';
import { newWorkflowNotes } from './shared/deploy-notes.js';
import { compact, getArn, getResourceType, getSubstitution, type Attribute, type Expr, type Part } from './shared/expressions.js';
import { attribute, block, comment, list, object, quote, renderHcl, type HclExpr, type HclItem } from './shared/hcl.js';
import { getAslFileName, getFreePlaceholders, toSnakeCase } from './shared/placeholders.js';
import { describeTrigger, getS3EventPattern, getStartAction, getTriggerFollowUps, getTriggers } from './shared/triggers.js';

export const TERRAFORM_FILE = 'terraform/stepfunctions.tf';

/** Data sources of our own, so they never clash with the user's `data "aws_region" "current"`. */
const PARTITION = 'data.aws_partition.lambda2sfn.partition';
const DNS_SUFFIX = 'data.aws_partition.lambda2sfn.dns_suffix';
const REGION = 'data.aws_region.lambda2sfn.region';
const ACCOUNT = 'data.aws_caller_identity.lambda2sfn.account_id';
const NAME_PREFIX = 'var.state_machine_name_prefix';

/** The Terraform attribute that gives a resource attribute, by resource type. */
const TF_ATTRIBUTE: Record<ReturnType<typeof getResourceType>, Record<Attribute, string>> = {
  function: { arn: 'arn', name: 'function_name', url: 'arn' },
  queue: { arn: 'arn', name: 'name', url: 'url' },
  topic: { arn: 'arn', name: 'name', url: 'arn' },
  bus: { arn: 'arn', name: 'name', url: 'arn' },
  'state-machine': { arn: 'arn', name: 'name', url: 'arn' },
};

/** `PlaceOrderWorkflow` → `place_order`: the name of a workflow's resources. */
function resourceName(workflow: WorkflowPlan): string {
  return toSnakeCase(workflow.logicalId.replace(/Workflow$/, '') || workflow.logicalId);
}

interface TerraformContext {
  plan: Plan;
  workflow: WorkflowPlan;
  settings: DeploySettings;
  bindings: Map<string, Binding>;
  /** Variables the output declares, by Terraform name, with their description. */
  variables: Map<string, string>;
  notes: WorkflowNotes;
}

function variableName(parameter: string): string {
  return toSnakeCase(parameter);
}

function renderPart(context: TerraformContext, part: Part): { expr: string } | { text: string } {
  if (typeof part === 'string') return { text: part };
  if ('pseudo' in part) return { expr: { partition: PARTITION, region: REGION, account: ACCOUNT, urlSuffix: DNS_SUFFIX }[part.pseudo] };
  if ('parameter' in part) {
    const name = variableName(part.parameter);
    if (!context.variables.has(name)) context.variables.set(name, `a value the output needs (${part.parameter})`);
    return { expr: `var.${name}` };
  }
  if ('stateMachineName' in part) return { expr: `"\${${NAME_PREFIX}}${part.stateMachineName.name}"` };
  const address = part.ref.how === 'workflow' ? `aws_sfn_state_machine.${resourceName(part.ref.workflow)}` : part.ref.logicalId;
  return { expr: `${address}.${TF_ATTRIBUTE[getResourceType(part.ref.resource)][part.attribute]}` };
}

/** An expression in HCL: a bare reference when it is one, else a string template. */
function toHcl(context: TerraformContext, expr: Expr): HclExpr {
  const parts = compact(expr).map((part) => renderPart(context, part));
  if (parts.length === 1 && 'expr' in parts[0]!) return parts[0].expr;
  return `"${parts
    .map((part) => {
      if ('text' in part) return quote(part.text).slice(1, -1);
      // A nested string template (the state machine's name) is spliced in without its quotes.
      return part.expr.startsWith('"') ? part.expr.slice(1, -1) : `\${${part.expr}}`;
    })
    .join('')}"`;
}

function newContext(plan: Plan, workflow: WorkflowPlan, settings: DeploySettings): TerraformContext {
  const context: TerraformContext = { plan, workflow, settings, bindings: bindWorkflow(plan, workflow, 'terraform', settings.repositoryFormat), variables: new Map(), notes: newWorkflowNotes(workflow.name) };
  for (const binding of context.bindings.values()) {
    if (binding.how === 'parameter') context.variables.set(variableName(binding.parameter), `the deployed name of ${binding.resource.id}${binding.pattern ? ` (the code reaches ${binding.pattern})` : ''}`);
  }
  for (const free of getFreePlaceholders(workflow)) context.variables.set(variableName(free.placeholder), `the value of \${${free.placeholder}} in the definition (state ${free.state})`);
  return context;
}

function assumeRoleDocument(name: string, service: string): HclItem {
  return block('data', ['aws_iam_policy_document', name], [
    block('statement', [], [
      attribute('actions', list([quote('sts:AssumeRole')])),
      block('principals', [], [attribute('type', quote('Service')), attribute('identifiers', list([quote(service)]))]),
      block('condition', [], [attribute('test', quote('StringEquals')), attribute('variable', quote('aws:SourceAccount')), attribute('values', list([ACCOUNT]))]),
    ]),
  ]);
}

/** A role for a service, with its trust policy and an inline policy from a policy document. */
function serviceRole(name: string, service: string, statements: HclItem[]): HclItem[] {
  return [
    assumeRoleDocument(`${name}_assume`, service),
    block('resource', ['aws_iam_role', name], [attribute('assume_role_policy', `data.aws_iam_policy_document.${name}_assume.json`)]),
    block('data', ['aws_iam_policy_document', name], statements),
    block('resource', ['aws_iam_role_policy', name], [attribute('role', `aws_iam_role.${name}.id`), attribute('policy', `data.aws_iam_policy_document.${name}.json`)]),
  ];
}

function statement(actions: readonly string[], resources: readonly HclExpr[], sid?: string): HclItem {
  return block('statement', [], [...(sid ? [attribute('sid', quote(sid))] : []), attribute('actions', list(actions.map(quote))), attribute('resources', list(resources))]);
}

function stateMachineArn(context: TerraformContext): HclExpr {
  return `aws_sfn_state_machine.${resourceName(context.workflow)}.arn`;
}

function getApiId(context: TerraformContext, trigger: Extract<EntryTrigger, { kind: 'http' }>): HclExpr {
  if (trigger.apiId && trigger.apiFile?.endsWith('.tf') && /^[A-Za-z0-9_-]+$/.test(trigger.apiId)) return `aws_apigatewayv2_api.${trigger.apiId}.id`;
  const name = `${resourceName(context.workflow)}_http_api_id`;
  context.variables.set(name, `the id of the API Gateway HTTP API that serves ${trigger.method} ${trigger.path}`);
  return `var.${name}`;
}

function triggerItems(context: TerraformContext, trigger: EntryTrigger, suffix: string): HclItem[] | undefined {
  const base = `${resourceName(context.workflow)}${suffix}`;
  const start = (action: string) => statement([`states:${action}`], [stateMachineArn(context)]);
  switch (trigger.kind) {
    case 'http': {
      if (trigger.api === 'rest') return undefined;
      const action = getStartAction(context.workflow);
      const apiId = getApiId(context, trigger);
      return [
        ...serviceRole(`${base}_http_api`, 'apigateway.amazonaws.com', [start(action)]),
        block('resource', ['aws_apigatewayv2_integration', base], [
          attribute('api_id', apiId),
          attribute('integration_type', quote('AWS_PROXY')),
          attribute('integration_subtype', quote(`StepFunctions-${action}`)),
          attribute('payload_format_version', quote('1.0')),
          attribute('credentials_arn', `aws_iam_role.${base}_http_api.arn`),
          attribute('request_parameters', object([['StateMachineArn', stateMachineArn(context)], ['Input', quote('$request.body')]])),
        ]),
        block('resource', ['aws_apigatewayv2_route', base], [
          attribute('api_id', apiId),
          attribute('route_key', quote(`${trigger.method.toUpperCase()} ${trigger.path.startsWith('/') ? trigger.path : `/${trigger.path}`}`)),
          attribute('target', `"integrations/\${aws_apigatewayv2_integration.${base}.id}"`),
        ]),
      ];
    }
    case 'schedule':
      return [
        ...serviceRole(`${base}_schedule`, 'scheduler.amazonaws.com', [start('StartExecution')]),
        block('resource', ['aws_scheduler_schedule', base], [
          attribute('schedule_expression', quote(trigger.expression)),
          block('flexible_time_window', [], [attribute('mode', quote('OFF'))]),
          block('target', [], [attribute('arn', stateMachineArn(context)), attribute('role_arn', `aws_iam_role.${base}_schedule.arn`)]),
        ]),
      ];
    case 's3':
      return [
        ...serviceRole(`${base}_events`, 'events.amazonaws.com', [start('StartExecution')]),
        block('resource', ['aws_cloudwatch_event_rule', `${base}_objects`], [attribute('event_pattern', `jsonencode(${JSON.stringify(getS3EventPattern(trigger))})`)]),
        block('resource', ['aws_cloudwatch_event_target', `${base}_objects`], [
          attribute('rule', `aws_cloudwatch_event_rule.${base}_objects.name`),
          attribute('arn', stateMachineArn(context)),
          attribute('role_arn', `aws_iam_role.${base}_events.arn`),
        ]),
      ];
    case 'sqs': {
      const queue = bindResource(context.plan, trigger.queue, 'terraform', context.settings.repositoryFormat);
      if (queue.how === 'parameter') context.variables.set(variableName(queue.parameter), `the name of queue ${trigger.queue.id}, which started ${context.workflow.chain.entry}`);
      const queueArn = toHcl(context, getArn(queue));
      return [
        ...serviceRole(`${base}_pipe`, 'pipes.amazonaws.com', [
          statement(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], [queueArn]),
          start('StartExecution'),
        ]),
        block('resource', ['aws_pipes_pipe', base], [
          attribute('role_arn', `aws_iam_role.${base}_pipe.arn`),
          attribute('source', queueArn),
          attribute('target', stateMachineArn(context)),
          ...(trigger.batchSize !== undefined ? [block('source_parameters', [], [block('sqs_queue_parameters', [], [attribute('batch_size', String(trigger.batchSize))])])] : []),
          block('target_parameters', [], [block('step_function_state_machine_parameters', [], [attribute('invocation_type', quote('FIRE_AND_FORGET'))])]),
          attribute('depends_on', list([`aws_iam_role_policy.${base}_pipe`])),
        ]),
      ];
    }
    case 'other':
      return undefined;
  }
}

function workflowItems(context: TerraformContext): HclItem[] {
  const { workflow, settings } = context;
  const name = resourceName(workflow);
  const policy = derivePolicy(workflow, settings);
  context.notes.warnings.push(...policy.warnings);
  const logging = settings.logLevel !== 'OFF';
  const substitutions: [string, HclExpr][] = [...context.bindings.values()].map((binding) => [binding.resource.placeholder, toHcl(context, getSubstitution(binding))]);
  for (const free of getFreePlaceholders(workflow)) substitutions.push([free.placeholder, toHcl(context, [{ parameter: free.placeholder }])]);
  const nameExpr = `"\${${NAME_PREFIX}}${workflow.name}"`;
  const items: HclItem[] = [comment(`${workflow.name}: ${workflow.model.comment}`)];
  items.push(
    ...serviceRole(
      name,
      'states.amazonaws.com',
      policy.statements.map((entry) => {
        const resources = getStatementResources(entry, workflow, context.bindings);
        return statement(entry.actions, resources === '*' ? [quote('*')] : resources.map((expr) => toHcl(context, expr)), entry.sid);
      }),
    ),
  );
  if (logging) {
    items.push(block('resource', ['aws_cloudwatch_log_group', name], [attribute('name', `"/aws/vendedlogs/states/\${${NAME_PREFIX}}${workflow.name}"`), attribute('retention_in_days', String(LOG_RETENTION_DAYS))]));
  }
  items.push(
    block('resource', ['aws_sfn_state_machine', name], [
      attribute('name', nameExpr),
      attribute('type', quote(workflow.type)),
      attribute('role_arn', `aws_iam_role.${name}.arn`),
      attribute('definition', `templatefile("\${path.module}/${relativeTo(TERRAFORM_FILE, getAslFileName(workflow))}", ${object(substitutions)})`),
      ...(logging
        ? [
            block('logging_configuration', [], [
              attribute('log_destination', `"\${aws_cloudwatch_log_group.${name}.arn}:*"`),
              attribute('include_execution_data', String(settings.includeExecutionData)),
              attribute('level', quote(settings.logLevel)),
            ]),
          ]
        : []),
      ...(settings.tracing ? [block('tracing_configuration', [], [attribute('enabled', 'true')])] : []),
      // Step Functions checks the role's logging permissions when the state machine is created.
      attribute('depends_on', list([`aws_iam_role_policy.${name}`])),
    ]),
  );
  const counts = new Map<string, number>();
  for (const trigger of getTriggers(workflow, settings)) {
    const n = (counts.get(trigger.kind) ?? 0) + 1;
    counts.set(trigger.kind, n);
    const written = triggerItems(context, trigger, n === 1 ? '' : `_${n}`);
    if (written) {
      items.push(...written);
      context.notes.repointed.push(describeTrigger(trigger));
      context.notes.manual.push(...getTriggerFollowUps(trigger, workflow));
    } else if (trigger.kind === 'http') {
      context.notes.manual.push(`Point ${describeTrigger(trigger)} at the state machine by hand (an aws_api_gateway_integration calling states:${getStartAction(workflow)} with a request template), then remove the route from ${workflow.chain.entry}.`);
    } else {
      context.notes.manual.push(...getTriggerFollowUps(trigger, workflow));
    }
  }
  return items;
}

/** The data sources the expressions use, declared once. */
function dataSources(text: string): HclItem[] {
  const items: HclItem[] = [];
  if (text.includes('data.aws_partition.lambda2sfn')) items.push(block('data', ['aws_partition', 'lambda2sfn'], []));
  if (text.includes('data.aws_region.lambda2sfn')) items.push(block('data', ['aws_region', 'lambda2sfn'], []));
  if (text.includes('data.aws_caller_identity.lambda2sfn')) items.push(block('data', ['aws_caller_identity', 'lambda2sfn'], []));
  return items;
}

export const terraform: Generator = {
  id: 'terraform',
  description: 'an aws_sfn_state_machine per workflow (definition through templatefile), its role with aws_iam_policy_document statements, log group and re-pointed triggers',
  generate(plan, options) {
    const settings = getDeploySettings(options, 'terraform');
    const contexts = plan.workflows.map((workflow) => newContext(plan, workflow, settings));
    const body = contexts.flatMap((context) => workflowItems(context));
    const variables = new Map<string, string>([['state_machine_name_prefix', 'prefix of the state machine names (an environment, a service name), e.g. "orders-dev-"']]);
    for (const context of contexts) for (const [name, description] of context.variables) variables.set(name, description);
    const variableItems = [...variables].map(([name, description]) =>
      block('variable', [name], [attribute('type', 'string'), attribute('description', quote(description)), ...(name === 'state_machine_name_prefix' ? [attribute('default', quote(''))] : [])]),
    );
    const bodyText = renderHcl(body);
    const header = [
      comment('Generated by lambda2sfn from the plan. Copy this file into the Terraform configuration that declares your functions.'),
      comment('Needs the hashicorp/aws provider 6.0 or later (data.aws_region region attribute).'),
    ];
    const contents = renderHcl([...header, ...variableItems, ...dataSources(bodyText), ...body]);
    for (const context of contexts) {
      for (const [name, description] of context.variables) context.notes.parameters.push({ name: `var.${name}`, meaning: description });
    }
    return [
      { path: TERRAFORM_FILE, contents },
      renderNotesFor(
        'Terraform',
        [
          { path: TERRAFORM_FILE, holds: 'the state machines, their roles, policy documents and log groups, and the resources that re-point the triggers' },
          ...plan.workflows.map((workflow) => ({ path: getAslFileName(workflow), holds: `the definition of ${workflow.name}, read by templatefile (written by the asl generator)` })),
        ],
        [
          `Copy \`${TERRAFORM_FILE}\` into the configuration that declares your functions, so that references such as \`aws_lambda_function.x.arn\` resolve, and keep the definitions at the relative path templatefile reads (or change the path).`,
          'Set the variables (a .tfvars file or -var), then `terraform plan` and `terraform apply`.',
        ],
        contexts.map((context) => context.notes),
      ),
    ];
  },
};

