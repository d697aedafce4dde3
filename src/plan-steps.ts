import type { Step } from './types/plan.js';

/** Calls `visit` on every step of a sequence and of everything nested in it (catches, iterations, branches). */
export function forEachStep(steps: readonly Step[], where: string, visit: (step: Step, where: string) => void): void {
  steps.forEach((step, index) => {
    const here = `${where}[${index}] (${JSON.stringify(step.name)})`;
    visit(step, here);
    for (const [label, nested] of getNestedSequences(step)) forEachStep(nested, `${here}.${label}`, visit);
  });
}

/** The step sequences a step holds, with the property path that leads to each. */
export function getNestedSequences(step: Step): [string, Step[]][] {
  const nested: [string, Step[]][] = [];
  if ('catch' in step) step.catch.forEach((rule, index) => nested.push([`catch[${index}].steps`, rule.steps]));
  if (step.type === 'map') nested.push(['steps', step.steps]);
  if (step.type === 'parallel') step.branches.forEach((branch, index) => nested.push([`branches[${index}].steps`, branch.steps]));
  if (step.type === 'choice') {
    step.branches.forEach((branch, index) => nested.push([`branches[${index}].steps`, branch.steps]));
    nested.push(['otherwise', step.otherwise]);
  }
  return nested;
}
