import type { CheckRule } from '../check-rule.js';

/** An inline ignore must say why: the reason is what a reviewer reads instead of the finding. */
export const ignoreWithoutReason: CheckRule = {
  id: 'ignore-without-reason',
  defaultSeverity: 'error',
  description: 'A lambda2sfn-ignore comment gives no reason after " -- ".',
  rationale: 'An ignore without a reason silences the gate for good and leaves the next reader guessing whether the finding was understood.',
  fix: 'Write why the finding is acceptable: // lambda2sfn-ignore <rule> -- <reason>.',
  phase: 'ignores',
  check: ({ ignores }) =>
    ignores
      .filter((directive) => directive.reason === '')
      .map((directive) => {
        const at = { file: directive.file, line: directive.line };
        return {
          message: `lambda2sfn-ignore ${directive.rules.join(', ') || '(no rule)'} gives no reason: add " -- <why this is acceptable>"`,
          location: at,
          key: directive.rules,
          evidence: [at],
        };
      }),
};
