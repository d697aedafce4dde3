import type { EntryTrigger } from '../src/types/deploy.js';
import type { Generator } from '../src/types/generator.js';
import { renderAsl } from './asl.js';
import { buildLoggingConfiguration, getDeploySettings, renderNotesFor } from './cloudformation.js';
import {
  buildLogGroup,
  buildStateMachineRole,
  buildSubstitutions,
  buildTriggers,
  getNameValue,
  hasLogging,
  newCfnContext,
  type CfnWorkflowContext,
} from './shared/cfn-stack.js';
import { toCfnYaml } from './shared/cfn-values.js';
import { toCamelCase } from './shared/placeholders.js';
import { describeTrigger, getTriggerFollowUps, isSynchronous } from './shared/triggers.js';

export const SERVERLESS_FILE = 'serverless/stepfunctions.yml';

/**
 * `stepFunctions.stateMachines` for the serverless-step-functions plugin, in a file that serverless.yml includes.
 * The plugin has no DefinitionSubstitutions: the definition is written inline, each `${Placeholder}` replaced by the
 * long-form intrinsic (`Fn::GetAtt: [ValidatePaymentLambdaFunction, Arn]`), which the plugin turns into its own
 * `Fn::Sub`. Short-form tags are rejected by the plugin's schema, so the whole file uses the long form.
 */

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The definition with its placeholders replaced by their values (an intrinsic, or text for a Serverless variable). */
export function inlineSubstitutions(value: unknown, substitutions: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(value);
    const only = whole?.[1];
    if (only !== undefined && only in substitutions) return substitutions[only];
    const used = [...value.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => name in substitutions);
    if (used.length === 0) return value;
    // Inside a longer string: an Fn::Sub whose variables are the substitutions it uses; other `${` stay literal.
    const text = value.replace(/\$\{([^}]*)\}/g, (match, name: string) => (used.includes(name) ? match : `\${!${name}}`));
    return { 'Fn::Sub': [text, Object.fromEntries(used.map((name) => [name, substitutions[name]]))] };
  }
  if (Array.isArray(value)) return value.map((item) => inlineSubstitutions(item, substitutions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inlineSubstitutions(item, substitutions)]));
  }
  return value;
}

/** The REST routes as the plugin's `http` events: the request arrives as the proxy event the function received. */
function restEvents(context: CfnWorkflowContext, rest: readonly Extract<EntryTrigger, { kind: 'http' }>[]): unknown[] {
  const sync = isSynchronous(context.workflow);
  return rest.map((trigger) => {
    context.notes.repointed.push(describeTrigger(trigger));
    context.notes.manual.push(...getTriggerFollowUps(trigger, context.workflow));
    context.notes.manual.push(
      sync
        ? `${describeTrigger(trigger)} now passes the API Gateway proxy event to StartSyncExecution, and its response template answers with the workflow's { statusCode, body }; a failed execution answers 500: check clients.`
        : `${describeTrigger(trigger)} now answers with the StartExecution response (the execution ARN) as soon as the Standard workflow starts, not with the function's result: check clients.`,
    );
    return {
      http: {
        path: trigger.path.replace(/^\//, ''),
        method: trigger.method.toLowerCase(),
        ...(sync ? { action: 'StartSyncExecution' } : {}),
        request: { template: 'lambda_proxy' },
        ...(sync
          ? {
              response: {
                template: {
                  'application/json': [
                    "#set($output = $util.parseJson($input.path('$.output')))",
                    '#set($context.responseOverride.status = $output.statusCode)',
                    '$output.body',
                  ].join('\n'),
                },
              },
            }
          : {}),
      },
    };
  });
}

function buildStateMachine(context: CfnWorkflowContext, definition: unknown, resources: Record<string, unknown>): Record<string, unknown> {
  const { workflow, settings } = context;
  const id = workflow.logicalId;
  const triggers = buildTriggers(context);
  const events = [...triggers.events.map(({ event }) => event), ...restEvents(context, triggers.rest)];
  if (hasLogging(settings)) resources[`${id}LogGroup`] = buildLogGroup(context);
  resources[`${id}Role`] = buildStateMachineRole(context);
  Object.assign(resources, triggers.resources);
  const logging = hasLogging(settings) ? buildLoggingConfiguration(context) : undefined;
  return {
    id,
    name: getNameValue(context),
    type: workflow.type,
    role: { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
    definition: inlineSubstitutions(definition, buildSubstitutions(context)),
    ...(logging
      ? { loggingConfig: { level: logging.Level, includeExecutionData: logging.IncludeExecutionData, destinations: [{ 'Fn::GetAtt': [`${id}LogGroup`, 'Arn'] }] } }
      : {}),
    ...(settings.tracing ? { tracingConfig: { enabled: true } } : {}),
    ...(events.length > 0 ? { events } : {}),
  };
}

export const serverless: Generator = {
  id: 'serverless',
  description: 'stepFunctions.stateMachines for the serverless-step-functions plugin, with the role, log group and re-pointed triggers as resources, in a file to include from serverless.yml',
  generate(plan, options) {
    const settings = getDeploySettings(options, 'serverless');
    const stateMachines: Record<string, unknown> = {};
    const resources: Record<string, unknown> = {};
    const contexts = plan.workflows.map((workflow) => {
      const context = newCfnContext(plan, workflow, 'serverless', settings);
      // The same definition the asl generator writes, with its placeholders inlined.
      // Keyed by the workflow's name; by its logical id when the name gives no key or one already taken (`Orders`, `orders`).
      const named = toCamelCase(workflow.name);
      const key = named === '' || named in stateMachines ? toCamelCase(workflow.logicalId) : named;
      stateMachines[key] = buildStateMachine(context, renderAsl(workflow), resources);
      for (const [name, meaning] of context.parameters) context.notes.parameters.push({ name: `\${param:${name}}`, meaning });
      return context;
    });
    const include = `./${SERVERLESS_FILE}`;
    const contents = toCfnYaml(
      { stepFunctions: { stateMachines }, resources: { Resources: resources } },
      {
        shortTags: false,
        header: [
          'Generated by lambda2sfn from the plan, for the serverless-step-functions plugin. In serverless.yml:',
          '  plugins: [serverless-step-functions]',
          `  stepFunctions: \${file(${include}):stepFunctions}`,
          `  resources: [\${file(${include}):resources}]   (or add it to your list of resources)`,
        ],
      },
    );
    const parameters = contexts.flatMap((context) => context.notes.parameters.map((parameter) => parameter.name));
    return [
      { path: SERVERLESS_FILE, contents },
      renderNotesFor(
        'the Serverless Framework',
        [{ path: SERVERLESS_FILE, holds: 'the state machines (definitions inline, with intrinsics for the resources), their roles, log groups and the resources that re-point the triggers' }],
        [
          '`npm install --save-dev serverless-step-functions` and add it to `plugins` in serverless.yml.',
          `Include the file: \`stepFunctions: \${file(${include}):stepFunctions}\`, and add \`\${file(${include}):resources}\` to \`resources\` (a list of files or objects).`,
          parameters.length > 0 ? `Deploy with the values: \`serverless deploy ${[...new Set(parameters)].map((name) => `--param="${name.slice('${param:'.length, -1)}=..."`).join(' ')}\`.` : '`serverless deploy`.',
        ],
        contexts.map((context) => context.notes),
      ),
    ];
  },
};
