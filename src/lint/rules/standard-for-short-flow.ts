import type { LintRule } from '../lint-rule.js';
import { isRecord } from '../lint-rule.js';

/** An Express execution may run five minutes. */
const EXPRESS_LIMIT_SECONDS = 300;

/**
 * A Standard workflow bills every state transition; a short flow run at high volume costs less as Express (billed
 * per request and duration). Short: no waits for callbacks or nested executions, no long Wait, no loop, and the
 * Tasks' timeouts add up to five minutes or less.
 */
export const standardForShortFlow: LintRule = {
  id: 'standard-for-short-flow',
  description: 'Standard used for a short flow that Express would run for less at high volume',
  check: ({ type, states }) => {
    if (type !== 'STANDARD') return [];
    let budget = 0;
    for (const { state } of states) {
      const resource = String(state.Resource ?? '');
      if (resource.includes('.sync') || resource.includes('.waitForTaskToken') || resource.startsWith('arn:aws:states:::activity')) return [];
      if (state.Type === 'Wait' && (typeof state.Seconds !== 'number' || state.Seconds > EXPRESS_LIMIT_SECONDS)) return [];
      if (state.Type === 'Map' && isRecord(state.ItemProcessor) && isRecord(state.ItemProcessor.ProcessorConfig) && state.ItemProcessor.ProcessorConfig.Mode === 'DISTRIBUTED') return [];
      if (state.Type === 'Task') {
        if (typeof state.TimeoutSeconds !== 'number') return [];
        budget += state.TimeoutSeconds;
      }
    }
    if (budget > EXPRESS_LIMIT_SECONDS) return [];
    return [{ rule: 'standard-for-short-flow', severity: 'info' as const, message: `a Standard workflow whose tasks end within ${budget} s: at high volume an Express workflow costs less (per request and duration instead of per state transition)` }];
  },
};
