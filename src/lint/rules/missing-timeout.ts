import type { LintRule } from '../lint-rule.js';
import { isTask } from '../lint-rule.js';

/** A Task without TimeoutSeconds waits as long as the workflow may run (a year for Standard) if its target hangs. */
export const missingTimeout: LintRule = {
  id: 'missing-timeout',
  description: 'Tasks without TimeoutSeconds',
  check: ({ states }) =>
    states
      .filter(({ state }) => isTask(state) && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
      .map(({ path, state }) => ({
        rule: 'missing-timeout',
        severity: 'warning' as const,
        state: path,
        message: `no TimeoutSeconds: if ${String(state.Resource ?? 'the task')} hangs, the state waits until the execution times out${String(state.Resource).includes('lambda') ? ' (and a Lambda timeout surfaces as States.TaskFailed, not States.Timeout)' : ''}`,
      })),
};
