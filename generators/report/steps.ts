import type { Step } from '../../src/types/plan.js';

/** Every step with where it sits (`in ReserveInventoryForEachItem`, `catch of ValidatePayment`), in drawing order. */
export function flattenSteps(steps: readonly Step[], scope: string): { step: Step; scope: string }[] {
  return steps.flatMap((step) => {
    const own = [{ step, scope }];
    const catches = 'catch' in step ? step.catch.flatMap((rule) => flattenSteps(rule.steps, `catch of ${step.name}`)) : [];
    switch (step.type) {
      case 'map':
        return [...own, ...flattenSteps(step.steps, `in ${step.name}`), ...catches];
      case 'parallel':
        return [...own, ...step.branches.flatMap((branch) => flattenSteps(branch.steps, `branch ${branch.label} of ${step.name}`)), ...catches];
      case 'choice':
        return [...own, ...step.branches.flatMap((branch) => flattenSteps(branch.steps, `when ${branch.sourceText}`)), ...flattenSteps(step.otherwise, `otherwise (${step.name})`)];
      default:
        return [...own, ...catches];
    }
  });
}
