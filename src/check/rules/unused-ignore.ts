import type { CheckRule } from '../check-rule.js';

/** An inline ignore that suppresses nothing: the finding was fixed or moved, or the rule id is misspelt. */
export const unusedIgnore: CheckRule = {
  id: 'unused-ignore',
  defaultSeverity: 'warning',
  description: 'A lambda2sfn-ignore comment suppresses no finding: it names no rule, an unknown rule, or a rule with no finding on its line.',
  rationale: 'A stale ignore would silently swallow the next finding that lands on that line; a misspelt one never worked.',
  fix: 'Remove the comment, correct the rule id, or move it to the line before the call site (or onto the call\'s line).',
  phase: 'ignores',
  check: ({ ignores, isEnabled, isKnownRule }) =>
    ignores.flatMap((directive) => {
      const at = { file: directive.file, line: directive.line };
      const finding = (rule: string, message: string) => ({ message, location: at, key: [rule], evidence: [at] });
      if (directive.rules.length === 0) return [finding('', 'lambda2sfn-ignore names no rule: write the rule id it suppresses')];
      return directive.rules.flatMap((rule) => {
        if (directive.used.has(rule)) return [];
        if (!isKnownRule(rule)) return [finding(rule, `lambda2sfn-ignore names ${rule}, which is not a rule of lambda2sfn check`)];
        // A rule that is off found nothing: its ignores are not judged.
        if (!isEnabled(rule)) return [];
        return [finding(rule, `lambda2sfn-ignore ${rule} suppresses nothing: no ${rule} finding on line ${directive.target}`)];
      });
    }),
};

