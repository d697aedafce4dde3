import { LINT_RULES, lintDefinition } from '../../lint/index.js';
import type { CheckRule } from '../check-rule.js';

/** The best-practice rules of `lambda2sfn lint`, run on the state machine definitions kept in the repository. */
export const aslLint: CheckRule = {
  id: 'asl-lint',
  defaultSeverity: 'warning',
  description: 'Best-practice findings of lambda2sfn lint on the *.asl.json (and *.asl.yaml) files of the repository.',
  rationale: 'Workflows already written by hand drift from the practices a generated one follows: timeouts, specific retries, comments, names, payload and history limits.',
  fix: 'Follow the lint finding (each sub-rule is described in docs/rules/asl-lint.md); turn a sub-rule off with "asl-lint/<sub-rule>": "off".',
  subRules: LINT_RULES.map((rule) => ({ id: rule.id, description: rule.description })),
  check: ({ aslFiles }) =>
    aslFiles.flatMap((asl) =>
      lintDefinition(asl.definition, { file: asl.file }).map((finding) => ({
        message: `${finding.state ? `${finding.state}: ` : ''}${finding.message}`,
        location: { file: asl.file, line: asl.getStateLine(finding.state) },
        key: [asl.file, finding.state ?? ''],
        severity: finding.severity,
        subRule: finding.rule,
      })),
    ),
};
