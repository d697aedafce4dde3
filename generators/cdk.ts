import type { DeploySettings, EntryTrigger } from '../src/types/deploy.js';
import type { Generator } from '../src/types/generator.js';
import type { Plan, WorkflowPlan, WorkflowResource } from '../src/types/plan.js';
import { getDeploySettings, relativeTo, renderNotesFor } from './cloudformation.js';
import { derivePolicy, getStatementResources, LOG_DELIVERY_ACTIONS, XRAY_ACTIONS } from './iam-policy.js';
import type { Binding } from './shared/bindings.js';
import { bindResource } from './shared/bindings.js';
import { needsExplicitName } from './shared/cfn-stack.js';
import type { WorkflowNotes } from './shared/deploy-notes.js';
import { newWorkflowNotes } from './shared/deploy-notes.js';
import { compact, getResourceType, getSubstitution, type Attribute, type Expr, type Part, type ResourceType } from './shared/expressions.js';
import { getAslFileName, getFreePlaceholders, toCamelCase, toPascalCase } from './shared/placeholders.js';
import { describeTrigger, getS3EventPattern, getTriggerFollowUps, getTriggers, isSynchronous } from './shared/triggers.js';

export const CDK_FILE = 'cdk/lambda2sfn-workflows.ts';

/**
 * A CDK construct per workflow. Every resource the definition reaches is a property typed by its interface
 * (`lambda.IFunction`, `sqs.IQueue`...): pass the constructs of your app; where the plan knows the deployed name the
 * property is optional and defaults to a lookup by that name. The definition is loaded with
 * `DefinitionBody.fromFile` and filled through `definitionSubstitutions`; the role gets the derived least-privilege
 * statements (CDK itself adds the log delivery and X-Ray permissions when logging and tracing are on).
 */

const TYPE_INFO: Record<ResourceType, { module: string; iface: string; attributes: Record<Attribute, string> }> = {
  function: { module: 'lambda', iface: 'lambda.IFunction', attributes: { arn: 'functionArn', name: 'functionName', url: 'functionArn' } },
  queue: { module: 'sqs', iface: 'sqs.IQueue', attributes: { arn: 'queueArn', name: 'queueName', url: 'queueUrl' } },
  topic: { module: 'sns', iface: 'sns.ITopic', attributes: { arn: 'topicArn', name: 'topicName', url: 'topicArn' } },
  bus: { module: 'events', iface: 'events.IEventBus', attributes: { arn: 'eventBusArn', name: 'eventBusName', url: 'eventBusArn' } },
  'state-machine': { module: 'sfn', iface: 'sfn.IStateMachine', attributes: { arn: 'stateMachineArn', name: 'stateMachineArn', url: 'stateMachineArn' } },
};

const MODULE_PATHS: Record<string, string> = {
  apigwv2: 'aws-cdk-lib/aws-apigatewayv2',
  events: 'aws-cdk-lib/aws-events',
  iam: 'aws-cdk-lib/aws-iam',
  integrations: 'aws-cdk-lib/aws-apigatewayv2-integrations',
  lambda: 'aws-cdk-lib/aws-lambda',
  logs: 'aws-cdk-lib/aws-logs',
  pipes: 'aws-cdk-lib/aws-pipes',
  sfn: 'aws-cdk-lib/aws-stepfunctions',
  sns: 'aws-cdk-lib/aws-sns',
  sqs: 'aws-cdk-lib/aws-sqs',
  targets: 'aws-cdk-lib/aws-events-targets',
};

/** `apigwv2.HttpMethod` members: a route with another method is left to the user. */
const HTTP_METHODS = new Set(['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

const RESERVED = new Set(['props', 'stack', 'this', 'scope', 'id', 'logGroup', 'definitionFile', 'stateMachine', 'name']);

interface CdkContext {
  plan: Plan;
  workflow: WorkflowPlan;
  settings: DeploySettings;
  /** Each resource as a local constant: the binding is `declared` with the constant's name as its logical id. */
  bindings: Map<string, Binding>;
  /** Properties of the construct: `name?: type` with their doc comment. */
  props: { name: string; type: string; optional: boolean; doc: string }[];
  /** Statements of the constructor, in order. */
  body: string[];
  modules: Set<string>;
  /** `Aws`, `ArnFormat`... from aws-cdk-lib. */
  core: Set<string>;
  notes: WorkflowNotes;
}

function toIdentifier(id: string, taken: Set<string>): string {
  let name = toCamelCase(id) || 'resource';
  if (/^[0-9]/.test(name)) name = `r${name}`;
  if (RESERVED.has(name)) name = `${name}Resource`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/** A lookup by deployed name, for resources the plan knows the name of. */
function lookup(context: CdkContext, type: ResourceType, constructId: string, name: string): string {
  const literal = tsString(name);
  switch (type) {
    case 'function':
      return `lambda.Function.fromFunctionName(this, '${constructId}', ${literal})`;
    case 'queue':
      return `sqs.Queue.fromQueueArn(this, '${constructId}', stack.formatArn({ service: 'sqs', resource: ${literal} }))`;
    case 'topic':
      return `sns.Topic.fromTopicArn(this, '${constructId}', stack.formatArn({ service: 'sns', resource: ${literal} }))`;
    case 'bus':
      return `events.EventBus.fromEventBusName(this, '${constructId}', ${literal})`;
    case 'state-machine':
      return `sfn.StateMachine.fromStateMachineName(this, '${constructId}', ${literal})`;
  }
}

function describeResource(resource: WorkflowResource): string {
  const where = resource.declaredAt ? ` (${resource.declaredAt.file}:${resource.declaredAt.line})` : '';
  return `${resource.id}${where}${resource.name ? `, deployed as ${resource.name}` : ''}`;
}

/** Declares a resource as a property (and a local constant, with its lookup default). */
function addResource(context: CdkContext, resource: WorkflowResource, taken: Set<string>): string {
  const type = getResourceType(resource);
  const info = TYPE_INFO[type];
  context.modules.add(info.module);
  const name = toIdentifier(resource.id, taken);
  const plain = bindResource(context.plan, resource, 'cdk', context.settings.repositoryFormat);
  const defaultName = plain.how === 'name' ? plain.name : undefined;
  const doc = resource.kind === 'workflow' ? `the state machine of workflow ${resource.id} (its construct's \`stateMachine\`)` : describeResource(resource);
  context.props.push({ name, type: info.iface, optional: defaultName !== undefined, doc: defaultName ? `${doc}; default: looked up by name` : doc });
  context.body.push(defaultName !== undefined ? `const ${name} = props.${name} ?? ${lookup(context, type, `${toPascalCase(resource.id)}Lookup`, defaultName)};` : `const ${name} = props.${name};`);
  return name;
}

/** A TypeScript string literal in single quotes. */
function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A JSON value as a TypeScript literal: single-quoted strings, unquoted keys where they are identifiers. */
function toTsLiteral(value: unknown): string {
  if (typeof value === 'string') return tsString(value);
  if (Array.isArray(value)) return `[${value.map(toTsLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : tsString(key)}: ${toTsLiteral(item)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function renderPart(context: CdkContext, part: Part): { code: string } | { text: string } {
  if (typeof part === 'string') return { text: part };
  if ('pseudo' in part) {
    context.core.add('Aws');
    return { code: { partition: 'Aws.PARTITION', region: 'Aws.REGION', account: 'Aws.ACCOUNT_ID', urlSuffix: 'Aws.URL_SUFFIX' }[part.pseudo] };
  }
  if ('parameter' in part) return { code: `props.${toCamelCase(part.parameter)}` };
  if ('stateMachineName' in part) return { code: 'stateMachineName' };
  const local = part.ref.how === 'declared' ? part.ref.logicalId : toCamelCase(part.ref.resource.id);
  const type = getResourceType(part.ref.resource);
  if (type === 'state-machine' && part.attribute === 'name') {
    // IStateMachine has no name: it is the last part of the ARN, as CDK's own StartExecution task reads it.
    context.core.add('ArnFormat');
    return { code: `stack.splitArn(${local}.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName!` };
  }
  return { code: `${local}.${TYPE_INFO[type].attributes[part.attribute]}` };
}

function toTs(context: CdkContext, expr: Expr): string {
  const parts = compact(expr).map((part) => renderPart(context, part));
  if (parts.length === 1 && 'code' in parts[0]!) return parts[0].code;
  return `\`${parts.map((part) => ('text' in part ? escapeTemplate(part.text) : `\${${part.code}}`)).join('')}\``;
}

function addTrigger(context: CdkContext, trigger: EntryTrigger, index: number, taken: Set<string>): boolean {
  const suffix = index === 1 ? '' : String(index);
  switch (trigger.kind) {
    case 'http': {
      const method = trigger.method.toUpperCase();
      if (trigger.api === 'rest' || !HTTP_METHODS.has(method)) return false;
      context.modules.add('apigwv2').add('integrations');
      const prop = `httpApi${suffix}`;
      context.props.push({ name: prop, type: 'apigwv2.IHttpApi', optional: true, doc: `the HTTP API of ${describeTrigger(trigger)}: when given, the route is added to it and starts the state machine` });
      const subtype = isSynchronous(context.workflow) ? 'STEPFUNCTIONS_START_SYNC_EXECUTION' : 'STEPFUNCTIONS_START_EXECUTION';
      context.body.push(
        `if (props.${prop}) {`,
        `  new apigwv2.HttpRoute(this, 'Route${suffix}', {`,
        `    httpApi: props.${prop},`,
        `    routeKey: apigwv2.HttpRouteKey.with(${tsString(trigger.path.startsWith('/') ? trigger.path : `/${trigger.path}`)}, apigwv2.HttpMethod.${method}),`,
        `    integration: new integrations.HttpStepFunctionsIntegration('StartExecution${suffix}', { stateMachine: this.stateMachine, subtype: apigwv2.HttpIntegrationSubtype.${subtype} }),`,
        '  });',
        '}',
      );
      return true;
    }
    case 'schedule':
      context.modules.add('events').add('targets');
      context.body.push(`new events.Rule(this, 'Schedule${suffix}', { schedule: events.Schedule.expression(${tsString(trigger.expression)}), targets: [new targets.SfnStateMachine(this.stateMachine)] });`);
      return true;
    case 's3': {
      context.modules.add('events').add('targets');
      const pattern = getS3EventPattern(trigger);
      context.body.push(
        `new events.Rule(this, 'ObjectEvents${suffix}', {`,
        `  eventPattern: { source: ${toTsLiteral(pattern.source)}, detailType: ${toTsLiteral(pattern['detail-type'])}, detail: ${toTsLiteral(pattern.detail)} },`,
        '  targets: [new targets.SfnStateMachine(this.stateMachine)],',
        '});',
      );
      return true;
    }
    case 'sqs': {
      context.modules.add('pipes').add('iam');
      const queue = addResource(context, trigger.queue, taken);
      context.body.push(
        `const pipeRole${suffix} = new iam.Role(this, 'PipeRole${suffix}', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });`,
        `pipeRole${suffix}.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: [${queue}.queueArn] }));`,
        `pipeRole${suffix}.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }));`,
        `new pipes.CfnPipe(this, 'Pipe${suffix}', {`,
        `  roleArn: pipeRole${suffix}.roleArn,`,
        `  source: ${queue}.queueArn,`,
        '  target: this.stateMachine.stateMachineArn,',
        ...(trigger.batchSize !== undefined ? [`  sourceParameters: { sqsQueueParameters: { batchSize: ${trigger.batchSize} } },`] : []),
        "  targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' } },",
        '});',
      );
      return true;
    }
    case 'other':
      return false;
  }
}

function renderWorkflow(context: CdkContext): string {
  const { workflow, settings } = context;
  const taken = new Set<string>();
  context.modules.add('sfn').add('iam');
  context.core.add('Stack');
  context.body.push('const stack = Stack.of(this);');
  for (const resource of workflow.resources) {
    const local = addResource(context, resource, taken);
    context.bindings.set(resource.id, { how: 'declared', resource, logicalId: local });
  }
  for (const free of getFreePlaceholders(workflow)) {
    context.props.push({ name: toCamelCase(free.placeholder), type: 'string', optional: false, doc: `the value of \${${free.placeholder}} in the definition (state ${free.state})` });
  }
  context.props.push({ name: 'definitionFile', type: 'string', optional: true, doc: `the ASL file; default: ${relativeTo(CDK_FILE, getAslFileName(workflow))} next to this file` });
  const explicitName = needsExplicitName(workflow);
  if (explicitName) {
    context.props.push({ name: 'stateMachineName', type: 'string', optional: true, doc: `the state machine's name, which its own policy refers to; default: <stack name>-${workflow.name}` });
    context.body.push(`const stateMachineName = props.stateMachineName ?? \`\${stack.stackName}-${workflow.name}\`;`);
  }
  const substitutions = [...context.bindings.values()].map((binding) => `    ${binding.resource.placeholder}: ${toTs(context, getSubstitution(binding))},`);
  for (const free of getFreePlaceholders(workflow)) substitutions.push(`    ${free.placeholder}: props.${toCamelCase(free.placeholder)},`);
  const logging = settings.logLevel !== 'OFF';
  if (logging) {
    context.modules.add('logs');
    context.body.push(
      `const logGroup = new logs.LogGroup(this, 'Logs', { logGroupName: \`/aws/vendedlogs/states/\${stack.stackName}-${workflow.name}\`, retention: logs.RetentionDays.ONE_MONTH });`,
    );
  }
  context.body.push(
    "this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {",
    ...(explicitName ? ['  stateMachineName,'] : []),
    `  stateMachineType: sfn.StateMachineType.${workflow.type},`,
    `  definitionBody: sfn.DefinitionBody.fromFile(props.definitionFile ?? path.join(__dirname, ${tsString(relativeTo(CDK_FILE, getAslFileName(workflow)))})),`,
    '  definitionSubstitutions: {',
    ...substitutions,
    '  },',
    ...(logging ? [`  logs: { destination: logGroup, level: sfn.LogLevel.${settings.logLevel}, includeExecutionData: ${settings.includeExecutionData} },`] : []),
    ...(settings.tracing ? ['  tracingEnabled: true,'] : []),
    '});',
  );
  const policy = derivePolicy(workflow, settings);
  context.notes.warnings.push(...policy.warnings);
  context.body.push('// The least-privilege statements derived from the definition (CDK adds log delivery and X-Ray itself).');
  for (const statement of policy.statements) {
    if (statement.actions.every((action) => LOG_DELIVERY_ACTIONS.includes(action) || XRAY_ACTIONS.includes(action))) continue;
    const resources = getStatementResources(statement, workflow, context.bindings);
    const list = resources === '*' ? "'*'" : resources.map((expr) => toTs(context, expr)).join(', ');
    context.body.push(`this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ sid: '${statement.sid}', actions: [${statement.actions.map(tsString).join(', ')}], resources: [${list}] }));`);
  }
  const counts = new Map<string, number>();
  for (const trigger of getTriggers(workflow, settings)) {
    const n = (counts.get(trigger.kind) ?? 0) + 1;
    counts.set(trigger.kind, n);
    if (addTrigger(context, trigger, n, taken)) {
      context.notes.repointed.push(describeTrigger(trigger) + (trigger.kind === 'http' ? ' (when the construct is given the API)' : ''));
      context.notes.manual.push(...getTriggerFollowUps(trigger, workflow));
    } else if (trigger.kind === 'http') {
      context.notes.manual.push(`Point ${describeTrigger(trigger)} at the state machine by hand (apigateway.StepFunctionsIntegration.startExecution on the REST API), then remove the route from ${workflow.chain.entry}.`);
    } else {
      context.notes.manual.push(...getTriggerFollowUps(trigger, workflow));
    }
  }
  for (const prop of context.props) if (!prop.optional) context.notes.parameters.push({ name: `props.${prop.name}`, meaning: prop.doc });
  const className = workflow.logicalId;
  const propsLines = context.props.map((prop) => `  /** ${prop.doc.replace(/\*\//g, '* /')} */\n  readonly ${prop.name}${prop.optional ? '?' : ''}: ${prop.type};`);
  return [
    `/** ${workflow.name}: ${workflow.model.comment.replace(/\*\//g, '* /')} */`,
    `export interface ${className}Props {`,
    propsLines.join('\n'),
    '}',
    '',
    `export class ${className} extends Construct {`,
    '  public readonly stateMachine: sfn.StateMachine;',
    '',
    `  constructor(scope: Construct, id: string, props: ${className}Props) {`,
    '    super(scope, id);',
    ...context.body.map((line) => `    ${line}`),
    '  }',
    '}',
  ].join('\n');
}

function renderFile(contexts: readonly CdkContext[], classes: readonly string[]): string {
  const modules = new Set<string>();
  const core = new Set<string>();
  for (const context of contexts) {
    for (const module of context.modules) modules.add(module);
    for (const name of context.core) core.add(name);
  }
  const imports = [
    "import * as path from 'node:path';",
    `import { ${[...core].sort().join(', ')} } from 'aws-cdk-lib';`,
    ...[...modules].sort().map((module) => `import * as ${module} from '${MODULE_PATHS[module]}';`),
    "import { Construct } from 'constructs';",
  ];
  return [
    '// Generated by lambda2sfn from the plan: one construct per workflow. Add this file to your CDK app and create the',
    '// constructs in a stack, passing the functions, queues, topics and buses of your app (see DEPLOY.md).',
    ...imports,
    '',
    classes.join('\n\n'),
    '',
  ].join('\n');
}

export const cdk: Generator = {
  id: 'cdk',
  description: 'a CDK construct per workflow (TypeScript): DefinitionBody.fromFile with definitionSubstitutions, least-privilege statements, logging, tracing and re-pointed triggers',
  generate(plan, options) {
    const settings = getDeploySettings(options, 'cdk');
    const contexts: CdkContext[] = plan.workflows.map((workflow) => ({
      plan,
      workflow,
      settings,
      bindings: new Map(),
      props: [],
      body: [],
      modules: new Set(),
      core: new Set(),
      notes: newWorkflowNotes(workflow.name),
    }));
    const classes = contexts.map((context) => renderWorkflow(context));
    return [
      { path: CDK_FILE, contents: renderFile(contexts, classes) },
      renderNotesFor(
        'the AWS CDK',
        [
          { path: CDK_FILE, holds: `${plan.workflows.map((workflow) => workflow.logicalId).join(', ')}: a construct per workflow` },
          ...plan.workflows.map((workflow) => ({ path: getAslFileName(workflow), holds: `the definition of ${workflow.name}, loaded with DefinitionBody.fromFile (written by the asl generator)` })),
        ],
        [
          `Copy \`${CDK_FILE}\` into your CDK app (it needs aws-cdk-lib 2 and constructs 10) and the definitions to the path \`definitionFile\` defaults to, or pass \`definitionFile\`.`,
          `In a stack: \`new ${plan.workflows[0]?.logicalId ?? 'Workflow'}(this, '${plan.workflows[0]?.logicalId ?? 'Workflow'}', { ... })\`, passing the constructs listed under each workflow below.`,
          '`cdk diff`, then `cdk deploy`.',
        ],
        contexts.map((context) => context.notes),
      ),
    ];
  },
};

