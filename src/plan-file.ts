import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { InputError } from './errors.js';
import { validatePlan } from './schema/validate-plan.js';
import type { Plan } from './types/plan.js';

/** The plan file's default name. */
export const PLAN_FILE_NAME = 'lambda2sfn.plan.yaml';

const HEADER = [
  '# lambda2sfn plan: the decisions and the workflow model for each chain (docs/plan.md).',
  '# Edit a decision\'s `choice` and replay with `lambda2sfn propose --plan <this file>` or `migrate --plan`.',
  '',
].join('\n');

/** The plan as YAML: keys in the order of `src/types/plan.ts`, no line folding, so the same plan gives the same bytes. */
export function renderPlanYaml(plan: Plan): string {
  return HEADER + stringify(plan, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Reads a plan file and checks it against the schema and for consistency. Any problem is an InputError that names
 * the file and lists what is wrong (with the line for YAML syntax errors).
 */
export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the plan ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'give the path of a lambda2sfn.plan.yaml');
  }
  return parsePlanYaml(text, file);
}

export function parsePlanYaml(text: string, file: string): Plan {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const { line } = lineCounter.linePos(first.pos[0]);
    throw new InputError(`${file}:${line}: the plan is not valid YAML: ${first.message.split('\n')[0]}`, 'fix the YAML, or write the plan again with lambda2sfn propose');
  }
  const validation = validatePlan(document.toJS({ maxAliasCount: 100 }));
  if (!validation.valid) {
    throw new InputError(`${file} is not a valid plan:\n${validation.errors.map((error) => `  - ${error}`).join('\n')}`, 'see docs/plan.md for the format');
  }
  return validation.plan;
}
