/** A best-practice finding on an ASL definition (`lambda2sfn lint`, and `check`). */
export interface LintFinding {
  /** The rule's id (`missing-timeout`): also its file in src/lint/rules/ and its heading in docs/propose.md. */
  rule: string;
  severity: 'warning' | 'info';
  /** The state it is about, as a path of state names for nested states (`ReserveEachItem/ReserveInventory`); absent for the whole definition. */
  state?: string;
  message: string;
}
