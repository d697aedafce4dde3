import { toDistinctSegment } from '../../src/safe-path.js';
import type { Step, WorkflowPlan, WorkflowResource } from '../../src/types/plan.js';

/**
 * The ASL file of a workflow, relative to the output folder, as the ASL generator writes it. The name goes through
 * safe-path.ts: a hand-edited plan's `../x` or `CON` stays inside, and `Orders` and `orders` stay apart.
 */
export function getAslFileName(workflow: WorkflowPlan): string {
  return `statemachines/${toDistinctSegment(workflow.name, '.asl.json')}`;
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Every `${Name}` in a value (strings anywhere inside objects and arrays), in the order met. */
export function findPlaceholders(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(PLACEHOLDER)) found.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) findPlaceholders(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) findPlaceholders(item, found);
  }
  return found;
}

/** Every step of a model, nested ones included (Choice branches, Map iterations, Parallel branches, Catch steps). */
export function listSteps(steps: readonly Step[]): Step[] {
  const all: Step[] = [];
  const visit = (list: readonly Step[]) => {
    for (const step of list) {
      all.push(step);
      if ('catch' in step) for (const rule of step.catch) visit(rule.steps);
      if (step.type === 'map') visit(step.steps);
      if (step.type === 'parallel') for (const branch of step.branches) visit(branch.steps);
      if (step.type === 'choice') {
        for (const branch of step.branches) visit(branch.steps);
        visit(step.otherwise);
      }
    }
  };
  visit(steps);
  return all;
}

/**
 * A placeholder the ASL uses that names no resource of the plan (a distributed Map's `${SweepBucketName}`): the
 * deployable asks the user for its value (a template parameter, a Terraform variable, a construct property).
 */
export interface FreePlaceholder {
  placeholder: string;
  /** The state that uses it. */
  state: string;
}

/** The placeholders of the definition's parameters that no resource stands for, each once, in model order. */
export function getFreePlaceholders(workflow: WorkflowPlan): FreePlaceholder[] {
  const bound = new Set(workflow.resources.map((resource) => resource.placeholder));
  for (const fn of workflow.functions) bound.add(fn.placeholder);
  const free = new Map<string, FreePlaceholder>();
  for (const step of listSteps(workflow.model.steps)) {
    const values: unknown[] = [];
    if (step.type === 'service') values.push(step.parameters);
    if (step.type === 'map') values.push(step.itemReader?.parameters, step.itemSelector);
    if (step.type === 'task' && step.input.kind === 'template') values.push(step.input.template);
    for (const placeholder of findPlaceholders(values)) {
      if (!bound.has(placeholder) && !free.has(placeholder)) free.set(placeholder, { placeholder, state: step.name });
    }
  }
  return [...free.values()];
}

/** The resources the definition refers to, by id. */
export function getResourceById(workflow: WorkflowPlan): Map<string, WorkflowResource> {
  return new Map(workflow.resources.map((resource) => [resource.id, resource]));
}

/** `place-order` → `PlaceOrder`; `app/bus` → `AppBus`; `OrdersDLQ` stays. */
export function toPascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** `ReserveInventoryFunctionName` → `reserve_inventory_function_name` (Terraform variable names). */
export function toSnakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
}

/** `PlaceOrderWorkflow` → `placeOrderWorkflow`. */
export function toCamelCase(text: string): string {
  const pascal = toPascalCase(text);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}
