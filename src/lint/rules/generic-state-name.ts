import type { LintRule } from '../lint-rule.js';

/** Names Workflow Studio and tutorials hand out (`Lambda Invoke (1)`, `Task 2`, `Pass`, `Choice`): they say nothing in a trace. */
const GENERIC = /^(?:lambda invoke|task|state|step|pass|choice|map|parallel|wait|succeed|fail|success|lambda|function|invoke|sqs sendmessage|sns publish)\s*\(?\d*\)?$/i;

export const genericStateName: LintRule = {
  id: 'generic-state-name',
  description: 'State names that say nothing (Task 1, Lambda Invoke (2))',
  check: ({ states }) =>
    states
      .filter(({ name }) => GENERIC.test(name.trim()))
      .map(({ path, name }) => ({ rule: 'generic-state-name', severity: 'warning' as const, state: path, message: `"${name}" says nothing in an execution history: name the state after what it does` })),
};
