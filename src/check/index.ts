import type { CheckRule } from './check-rule.js';
import { aslLint } from './rules/asl-lint.js';
import { deepChain } from './rules/deep-chain.js';
import { fanOutInvoke } from './rules/fan-out-invoke.js';
import { handWrittenRetry } from './rules/hand-written-retry.js';
import { ignoreWithoutReason } from './rules/ignore-without-reason.js';
import { queueWithoutDlq } from './rules/queue-without-dlq.js';
import { recursiveInvoke } from './rules/recursive-invoke.js';
import { syncLambdaInvoke } from './rules/sync-lambda-invoke.js';
import { unresolvedTarget } from './rules/unresolved-target.js';
import { unusedIgnore } from './rules/unused-ignore.js';

/** The one list of `lambda2sfn check` rules: each is src/check/rules/<id>.ts, docs/rules/<id>.md and fixtures/check/<id>/. */
export const CHECK_RULES: readonly CheckRule[] = [
  syncLambdaInvoke,
  handWrittenRetry,
  deepChain,
  recursiveInvoke,
  fanOutInvoke,
  unresolvedTarget,
  queueWithoutDlq,
  aslLint,
  ignoreWithoutReason,
  unusedIgnore,
];

/** The rule of a finding's rule id (`asl-lint/missing-timeout` belongs to `asl-lint`). */
export function getCheckRule(ruleId: string): CheckRule | undefined {
  const base = ruleId.split('/')[0];
  return CHECK_RULES.find((rule) => rule.id === base);
}

/** Every id a user can configure or ignore: the rules, and `<rule>/<sub>` for rules with sub-rules. */
export function getConfigurableRuleIds(): string[] {
  return CHECK_RULES.flatMap((rule) => [rule.id, ...(rule.subRules ?? []).map((sub) => `${rule.id}/${sub.id}`)]);
}
