import { getAslPath, renderAsl } from '../../generators/asl.js';
import type { Plan } from '../types/plan.js';
import type { ValidationResult } from '../types/report.js';
import { validateAsl } from './validate-asl.js';

/** What checks each ASL definition, as the report names it. */
export const ASL_CHECKS = 'asl-validator (ARN and path checks), ASL language service, JSONata expressions';

/** The ASL of every workflow of a plan, rendered in memory and validated: one result per definition. */
export async function validatePlanAsl(plan: Plan): Promise<ValidationResult[]> {
  const results: ValidationResult[] = [];
  for (const workflow of plan.workflows) {
    const { valid, errors } = await validateAsl(renderAsl(workflow));
    results.push({ file: getAslPath(workflow), check: ASL_CHECKS, valid, errors });
  }
  return results;
}
