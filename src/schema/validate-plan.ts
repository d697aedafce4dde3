import type { ValidateFunction } from 'ajv/dist/2020.js';
import { forEachStep } from '../plan-steps.js';
import type { Plan, WorkflowPlan } from '../types/plan.js';
import { compileSchema, isObject, limitErrors, toReadableErrors } from './schema-errors.js';

export type PlanValidation = { valid: true; plan: Plan } | { valid: false; errors: string[] };

const SCHEMA_FILE = 'plan.schema.json';

let compiled: ValidateFunction<Plan> | undefined;

/**
 * Checks that a value (typically read from `lambda2sfn.plan.yaml`) is a Plan: first against
 * `schema/plan.schema.json`, then for what a schema cannot say: names are unique (workflows, states, decisions,
 * placeholders), steps name functions, parts and resources the workflow declares, and each decision's choice is
 * one of its alternatives. Errors are sentences that name the place, at most 50 of them.
 */
export function validatePlan(value: unknown): PlanValidation {
  compiled ??= compileSchema<Plan>(SCHEMA_FILE);
  if (!compiled(value)) return { valid: false, errors: limitErrors(toReadableErrors(value, compiled.errors ?? [], 'plan', describeItem)) };
  const errors = getConsistencyErrors(value);
  if (errors.length > 0) return { valid: false, errors: limitErrors(errors) };
  return { valid: true, plan: value };
}

/** Workflows, decisions, functions, resources and steps carry their name in error messages. */
function describeItem(_collection: string, item: unknown): string {
  if (!isObject(item)) return '';
  for (const key of ['name', 'id', 'label']) {
    if (typeof item[key] === 'string') return ` (${JSON.stringify(item[key])})`;
  }
  return '';
}

function getConsistencyErrors(plan: Plan): string[] {
  const errors: string[] = [];
  const workflowNames = new Set<string>();
  plan.workflows.forEach((workflow, index) => {
    const where = `workflows[${index}] (${JSON.stringify(workflow.name)})`;
    if (workflowNames.has(workflow.name)) errors.push(`${where}.name: another workflow has the same name`);
    workflowNames.add(workflow.name);
    errors.push(...getWorkflowErrors(workflow).map((error) => `${where}.${error}`));
  });
  return errors;
}

function getWorkflowErrors(workflow: WorkflowPlan): string[] {
  const errors: string[] = [];
  const decisionIds = new Set<string>();
  workflow.decisions.forEach((decision, index) => {
    const where = `decisions[${index}] (${JSON.stringify(decision.id)})`;
    if (decisionIds.has(decision.id)) errors.push(`${where}.id: another decision has the same id`);
    decisionIds.add(decision.id);
    const values = decision.alternatives.map((alternative) => alternative.value);
    if (!values.includes(decision.choice)) errors.push(`${where}.choice: ${JSON.stringify(decision.choice)} is not one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    if (!values.includes(decision.default)) errors.push(`${where}.default: ${JSON.stringify(decision.default)} is not one of the alternatives`);
  });
  const placeholders = new Map<string, string>();
  const resourceIds = new Set<string>();
  workflow.resources.forEach((resource, index) => {
    const owner = placeholders.get(resource.placeholder);
    if (owner !== undefined) errors.push(`resources[${index}].placeholder: ${resource.placeholder} is also the placeholder of ${owner}`);
    placeholders.set(resource.placeholder, resource.id);
    resourceIds.add(resource.id);
  });
  const parts = new Map<string, Set<string>>();
  workflow.functions.forEach((fn, index) => {
    parts.set(fn.id, new Set(fn.parts.map((part) => part.name)));
    if (placeholders.get(fn.placeholder) !== fn.id) errors.push(`functions[${index}].placeholder: ${fn.placeholder} is not the placeholder of a resource ${JSON.stringify(fn.id)}`);
    if (fn.invocation === 'parts' && fn.parts.length === 0) errors.push(`functions[${index}].parts: a function invoked in parts needs at least one part`);
    if (fn.invocation === 'whole' && fn.parts.length > 0) errors.push(`functions[${index}].parts: a function invoked whole has no parts`);
  });
  const stateNames = new Set<string>();
  forEachStep(workflow.model.steps, 'model.steps', (step, where) => {
    if (stateNames.has(step.name)) errors.push(`${where}.name: the state name ${JSON.stringify(step.name)} is used twice`);
    stateNames.add(step.name);
    if (step.type === 'task') {
      const known = parts.get(step.function);
      if (!known) errors.push(`${where}.function: ${JSON.stringify(step.function)} is not in functions`);
      else if (step.part !== undefined && !known.has(step.part)) errors.push(`${where}.part: ${JSON.stringify(step.part)} is not a part of ${step.function}`);
      else if (step.part === undefined && known.size > 0) errors.push(`${where}.part: ${step.function} is invoked in parts; say which part this Task runs`);
    }
    if (step.type === 'service' && !resourceIds.has(step.resource)) errors.push(`${where}.resource: ${JSON.stringify(step.resource)} is not in resources`);
  });
  if (workflow.model.steps.length === 0) errors.push('model.steps: a workflow needs at least one step');
  return errors;
}
