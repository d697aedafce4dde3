import { renderAsl, type AslDefinition } from '../../generators/asl.js';
import type { Step, WorkflowPlan } from '../types/plan.js';
import { forEachState } from '../validate/validate-asl.js';
import type { SimulatedResources } from './resources.js';

/** What a Task state of the definition runs in the simulation. */
export type TaskTarget =
  | { kind: 'function'; function: string; part?: string; startPart?: string; lambdaInvoke: boolean }
  | { kind: 'service'; service: 'sqs' | 'sns' | 'events' | 'states' | 'dynamodb'; action: string };

export interface SimulatedDefinition {
  definition: AslDefinition;
  tasks: Map<string, TaskTarget>;
  /** States with a Retry (their waits are shortened) and Wait states (skipped). */
  retried: string[];
  waits: string[];
}

/** Service integrations the simulation answers: Lambda, and the services a workflow hands messages to. */
const SERVICE_ACTIONS: Record<string, string[]> = {
  sqs: ['sendMessage'],
  sns: ['publish'],
  events: ['putEvents'],
  states: ['startExecution'],
  dynamodb: ['putItem', 'getItem', 'updateItem', 'deleteItem'],
};

/** A definition the simulation cannot run faithfully: what it uses, to tell the user. */
export class UnsupportedDefinition extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
    this.name = 'UnsupportedDefinition';
  }
}

/**
 * The definition to run for a workflow: the plan's ASL (or one given with `--asl`), with each `${Placeholder}` replaced
 * by the simulated resource's ARN, URL or name, and each Task state bound to what it runs. Refuses what the local
 * runner gets silently wrong: JSONata, variables (`Assign`), Distributed Map, and integrations it cannot answer.
 */
export function prepareDefinition(workflow: WorkflowPlan, resources: SimulatedResources, given?: AslDefinition): SimulatedDefinition {
  const definition = substitutePlaceholders(given ?? renderAsl(workflow), getPlaceholderValues(workflow, resources)) as AslDefinition;
  const reasons = new Set<string>();
  if (definition.QueryLanguage === 'JSONata') reasons.add('it is written in JSONata, which the local runner does not evaluate');
  const steps = collectPlanSteps(workflow.model.steps);
  const tasks = new Map<string, TaskTarget>();
  const retried: string[] = [];
  const waits: string[] = [];
  forEachState(definition, (name, state) => {
    if (state.QueryLanguage === 'JSONata') reasons.add(`state ${name} is written in JSONata, which the local runner does not evaluate`);
    if ('Assign' in state) reasons.add(`state ${name} assigns variables (Assign), which the local runner ignores`);
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? {}) as { ProcessorConfig?: { Mode?: string } };
      if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED' || 'ItemReader' in state || 'ItemBatcher' in state || 'ResultWriter' in state) reasons.add(`state ${name} is a Distributed Map, which the local runner does not support`);
    }
    if (Array.isArray(state.Retry) && state.Retry.length > 0) retried.push(name);
    if (state.Type === 'Wait') waits.push(name);
    if (state.Type !== 'Task') return;
    const target = toTaskTarget(name, state, steps.get(name), workflow, resources);
    if (typeof target === 'string') reasons.add(target);
    else tasks.set(name, target);
  });
  if (reasons.size > 0) throw new UnsupportedDefinition([...reasons]);
  return { definition, tasks, retried, waits };
}

function toTaskTarget(name: string, state: Record<string, unknown>, step: Step | undefined, workflow: WorkflowPlan, resources: SimulatedResources): TaskTarget | string {
  const resource = String(state.Resource ?? '');
  const lambdaInvoke = resource === 'arn:aws:states:::lambda:invoke';
  if (lambdaInvoke || resource.startsWith('arn:aws:lambda:')) {
    const functionName = lambdaInvoke ? String((state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? '') : resource;
    const fn = step?.type === 'task' ? step.function : resources.findNode('function', functionName)?.id;
    if (!fn) return `state ${name} invokes ${functionName}, which is no function of the app`;
    const part = step?.type === 'task' ? step.part : undefined;
    const startPart = workflow.functions.find((entry) => entry.id === fn)?.parts.find((entry) => entry.role === 'start')?.name;
    return { kind: 'function', function: fn, ...(part ? { part } : {}), ...(startPart ? { startPart } : {}), lambdaInvoke };
  }
  const match = /^arn:aws:states:::(\w+):(\w+)$/.exec(resource);
  const service = match?.[1];
  const action = match?.[2];
  if (!service || !action || !SERVICE_ACTIONS[service]?.includes(action)) {
    return `state ${name} uses the integration ${resource}, which the simulation does not answer (it runs Lambda functions and sends to SQS, SNS, EventBridge, Step Functions and DynamoDB)`;
  }
  return { kind: 'service', service: service as 'sqs', action };
}

/** The plan's steps by state name, at any depth. */
function collectPlanSteps(steps: readonly Step[], into = new Map<string, Step>()): Map<string, Step> {
  for (const step of steps) {
    into.set(step.name, step);
    if ('catch' in step) for (const rule of step.catch) collectPlanSteps(rule.steps, into);
    if (step.type === 'map') collectPlanSteps(step.steps, into);
    if (step.type === 'parallel') for (const branch of step.branches) collectPlanSteps(branch.steps, into);
    if (step.type === 'choice') {
      for (const branch of step.branches) collectPlanSteps(branch.steps, into);
      collectPlanSteps(step.otherwise, into);
    }
  }
  return into;
}

/** The value each placeholder of the plan stands for in the simulation. */
function getPlaceholderValues(workflow: WorkflowPlan, resources: SimulatedResources): Map<string, string> {
  const values = new Map<string, string>();
  for (const resource of workflow.resources) {
    const value = resource.kind === 'queue' && resource.attribute === 'url' ? resources.getQueueUrl(resource.id) : resource.attribute === 'name' ? resources.getName(resource.id) : resources.getArn(resource.id);
    values.set(resource.placeholder, value);
  }
  for (const fn of workflow.functions) if (!values.has(fn.placeholder)) values.set(fn.placeholder, resources.getArn(fn.id));
  return values;
}

function substitutePlaceholders(value: unknown, values: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([\w-]+)\}/g, (whole, key: string) => values.get(key) ?? whole);
  if (Array.isArray(value)) return value.map((entry) => substitutePlaceholders(entry, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, substitutePlaceholders(entry, values)]));
  return value;
}
