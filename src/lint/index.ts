import type { LintFinding } from '../types/report.js';
import { getStates, type LintRule } from './lint-rule.js';
import { genericStateName } from './rules/generic-state-name.js';
import { historyLimit } from './rules/history-limit.js';
import { missingComment } from './rules/missing-comment.js';
import { missingTimeout } from './rules/missing-timeout.js';
import { payloadSize } from './rules/payload-size.js';
import { retryAllErrors } from './rules/retry-all-errors.js';
import { standardForShortFlow } from './rules/standard-for-short-flow.js';

/** The one list of lint rules (`lambda2sfn lint`, and the `check` command). */
export const LINT_RULES: readonly LintRule[] = [missingTimeout, retryAllErrors, missingComment, genericStateName, payloadSize, historyLimit, standardForShortFlow];

/** Every rule's findings on one definition (the file it is, as it should be shown), in rule order then state order. */
export function lintDefinition(definition: Record<string, unknown>, options: { file: string; type?: 'STANDARD' | 'EXPRESS' }): LintFinding[] {
  const context = { definition, states: getStates(definition), ...(options.type ? { type: options.type } : {}) };
  return LINT_RULES.flatMap((rule) => rule.check(context).map((finding) => ({ ...finding, file: options.file })));
}
