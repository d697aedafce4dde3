import type { LintRule } from '../lint-rule.js';
import { isRecord } from '../lint-rule.js';

/** Names that are not the service's or Step Functions' own: errors the author knows about. */
function isSpecific(error: string): boolean {
  return !error.startsWith('States.') && !error.startsWith('Lambda.');
}

/**
 * `States.ALL` in a Retry retries permanent failures (bad input, declined payments, bugs) as well as transient ones.
 * Fine when the specific errors are handled before it (a `MaxAttempts: 0` rule); flagged when none are named.
 */
export const retryAllErrors: LintRule = {
  id: 'retry-all-errors',
  description: 'Retry on States.ALL where specific errors should be named',
  check: ({ states }) =>
    states.flatMap(({ path, state }) => {
      const retriers = Array.isArray(state.Retry) ? state.Retry.filter(isRecord) : [];
      const errors = retriers.flatMap((retrier) => (Array.isArray(retrier.ErrorEquals) ? retrier.ErrorEquals.map(String) : []));
      if (!errors.includes('States.ALL') || errors.some(isSpecific)) return [];
      return [{ rule: 'retry-all-errors', severity: 'warning' as const, state: path, message: 'retries States.ALL: permanent errors are retried too; name the errors worth retrying, or stop the others first with MaxAttempts 0' }];
    }),
};
