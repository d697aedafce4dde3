/**
 * The project's public home, for SARIF's informationUri and each rule's helpUri (docs/rules/<id>.md there). One
 * constant, so that moving the repository changes one line; the help text itself is inside the SARIF file, so code
 * scanning shows it even where the link does not resolve.
 */
export const PROJECT_URL = 'https://github.com/lambda2sfn/lambda2sfn';

/** The docs page of a rule (`asl-lint/missing-timeout` → the `missing-timeout` section of docs/rules/asl-lint.md). */
export function getRuleDocsUrl(ruleId: string): string {
  const [base, sub] = ruleId.split('/');
  return `${PROJECT_URL}/blob/main/docs/rules/${base}.md${sub ? `#${sub}` : ''}`;
}
