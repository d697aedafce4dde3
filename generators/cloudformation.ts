import { DEFAULT_DEPLOY_SETTINGS, type DeploySettings } from '../src/types/deploy.js';
import type { GeneratedFile, Generator, GeneratorOptions } from '../src/types/generator.js';
import type { Plan } from '../src/types/plan.js';
import {
  buildLogGroup,
  buildParameters,
  buildStateMachineRole,
  buildSubstitutions,
  buildTriggers,
  getNameValue,
  hasLogging,
  needsExplicitName,
  newCfnContext,
  type CfnWorkflowContext,
} from './shared/cfn-stack.js';
import type { CfnFlavor } from './shared/cfn-values.js';
import { toCfnYaml } from './shared/cfn-values.js';
import { renderDeployNotes, type WorkflowNotes } from './shared/deploy-notes.js';
import { getAslFileName } from './shared/placeholders.js';
import { describeTrigger } from './shared/triggers.js';

export const CLOUDFORMATION_TEMPLATE = 'cloudformation/statemachines.yaml';

/** The settings a deployable generator runs with when the command gave none (tests, library use). */
export function getDeploySettings(options: GeneratorOptions, iac: DeploySettings['iac']): DeploySettings {
  return options.deploy ?? { iac, ...DEFAULT_DEPLOY_SETTINGS };
}

/** `LoggingConfiguration` / SAM `Logging`: the level, execution data, the log group. */
export function buildLoggingConfiguration(context: CfnWorkflowContext): Record<string, unknown> {
  return {
    Level: context.settings.logLevel,
    IncludeExecutionData: context.settings.includeExecutionData,
    Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [`${context.workflow.logicalId}LogGroup`, 'Arn'] } } }],
  };
}

/** A template from the per-workflow resources, with Parameters and Outputs. */
export function assembleTemplate(flavor: Exclude<CfnFlavor, 'serverless'>, plan: Plan, parts: { context: CfnWorkflowContext; resources: Record<string, unknown> }[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  for (const { context, resources: own } of parts) {
    Object.assign(resources, own);
    Object.assign(parameters, buildParameters(context));
    outputs[`${context.workflow.logicalId}Arn`] = { Description: `The ${context.workflow.name} state machine`, Value: { Ref: context.workflow.logicalId } };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(flavor === 'sam' ? { Transform: 'AWS::Serverless-2016-10-31' } : {}),
    Description: `Step Functions workflows proposed by lambda2sfn (${plan.workflows.map((workflow) => workflow.name).join(', ')})`,
    ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: outputs,
  };
}

/** REST routes: SAM's `Api` event starts Standard workflows; everything else is left to the user. */
export function noteRestRoutesAsManual(context: CfnWorkflowContext, rest: readonly Extract<DeploySettings['triggers'][string][number], { kind: 'http' }>[]): void {
  for (const trigger of rest) {
    context.notes.manual.push(
      `Point ${describeTrigger(trigger)} at the state machine by hand: an AWS integration calling states:${context.workflow.type === 'EXPRESS' ? 'StartSyncExecution' : 'StartExecution'} with a request template (see docs/deploy.md), then remove the route from ${context.workflow.chain.entry}.`,
    );
  }
}

function buildWorkflowResources(context: CfnWorkflowContext, template: string): Record<string, unknown> {
  const { workflow, settings } = context;
  const id = workflow.logicalId;
  const triggers = buildTriggers(context);
  noteRestRoutesAsManual(context, triggers.rest);
  const resources: Record<string, unknown> = {};
  if (hasLogging(settings)) resources[`${id}LogGroup`] = buildLogGroup(context);
  resources[`${id}Role`] = buildStateMachineRole(context);
  resources[id] = {
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      ...(needsExplicitName(workflow) ? { StateMachineName: getNameValue(context) } : {}),
      StateMachineType: workflow.type,
      // A local path: `aws cloudformation package` uploads it and writes the S3 location.
      DefinitionS3Location: relativeTo(template, getAslFileName(workflow)),
      DefinitionSubstitutions: buildSubstitutions(context),
      RoleArn: { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
      ...(hasLogging(settings) ? { LoggingConfiguration: buildLoggingConfiguration(context) } : {}),
      ...(settings.tracing ? { TracingConfiguration: { Enabled: true } } : {}),
    },
  };
  Object.assign(resources, triggers.resources);
  return resources;
}

/** `a/b.yaml` + `statemachines/x.json` → `../statemachines/x.json`: a path from one output file to another. */
export function relativeTo(fromFile: string, toFile: string): string {
  const depth = fromFile.split('/').length - 1;
  return `${'../'.repeat(depth)}${toFile}`;
}

export function renderNotesFor(format: string, files: { path: string; holds: string }[], howTo: string[], notes: WorkflowNotes[]): GeneratedFile {
  return renderDeployNotes({ format, files, howTo, workflows: notes });
}

export const cloudformation: Generator = {
  id: 'cloudformation',
  description: 'an AWS::StepFunctions::StateMachine per workflow with its least-privilege role, log group and re-pointed triggers (CloudFormation YAML)',
  generate(plan, options) {
    const settings = getDeploySettings(options, 'cloudformation');
    const parts = plan.workflows.map((workflow) => {
      const context = newCfnContext(plan, workflow, 'cloudformation', settings);
      return { context, resources: buildWorkflowResources(context, CLOUDFORMATION_TEMPLATE) };
    });
    const template = assembleTemplate('cloudformation', plan, parts);
    return [
      {
        path: CLOUDFORMATION_TEMPLATE,
        contents: toCfnYaml(template, {
          shortTags: true,
          header: ['Generated by lambda2sfn from the plan: merge these resources into your template, or deploy them as a stack', 'after `aws cloudformation package` (which uploads the definitions named by DefinitionS3Location).'],
        }),
      },
      renderNotesFor(
        'AWS CloudFormation',
        [
          { path: CLOUDFORMATION_TEMPLATE, holds: 'the state machines, their roles and log groups, and the resources that re-point the triggers' },
          ...plan.workflows.map((workflow) => ({ path: getAslFileName(workflow), holds: `the definition of ${workflow.name} (written by the asl generator)` })),
        ],
        [
          'Merge the Resources (and Parameters) into the template that declares your functions, so that `!GetAtt`/`!Ref` reach them; or deploy the file as its own stack when every resource is referenced by name or parameter.',
          `Package and deploy: \`aws cloudformation package --template-file ${CLOUDFORMATION_TEMPLATE} --s3-bucket <bucket> --output-template-file packaged.yaml\`, then \`aws cloudformation deploy --template-file packaged.yaml --capabilities CAPABILITY_IAM\`.`,
        ],
        parts.map(({ context }) => context.notes),
      ),
    ];
  },
};
