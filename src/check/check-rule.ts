import type { CheckSeverity, CheckThresholds, RuleFinding } from '../types/check.js';
import type { SourceLocation } from '../types/diagnostics.js';
import type { EdgeKind, Graph, GraphEdge, NodeKind } from '../types/graph.js';
import type { AslFile } from './asl-files.js';
import type { IgnoreDirective } from './ignore-comments.js';

/** What the rules read: the Graph of the analysis, the ASL files of the repository, and the inline ignore comments. */
export interface CheckContext {
  graph: Graph;
  thresholds: CheckThresholds;
  aslFiles: readonly AslFile[];
  /** The `lambda2sfn-ignore` comments; for rules of the `ignores` phase, with the findings each one suppressed. */
  ignores: readonly IgnoreDirective[];
  /** Whether a rule (or an `asl-lint/<sub>` rule) is on: the `ignores` rules only judge ignores of rules that ran. */
  isEnabled(ruleId: string): boolean;
  /** Whether the id names a rule (or an `asl-lint/<sub>` rule) of `check`. */
  isKnownRule(ruleId: string): boolean;
}

/**
 * One rule of `lambda2sfn check`: its id is its file name in src/check/rules/, its docs page docs/rules/<id>.md and
 * its fixture folder fixtures/check/<id>/ (test/check-rules.test.ts keeps the four in step).
 */
export interface CheckRule {
  id: string;
  defaultSeverity: CheckSeverity;
  /** One line: what the rule finds (SARIF's shortDescription). */
  description: string;
  /** One line: why it matters (SARIF's fullDescription). */
  rationale: string;
  /** One line: what to do instead. */
  fix: string;
  /** `ignores`: runs after the inline ignores have been matched to the other rules' findings. */
  phase?: 'ignores';
  /** Sub-rules a user can configure one by one as `<id>/<sub>` (the ASL lint rules). */
  subRules?: readonly { id: string; description: string }[];
  check(context: CheckContext): RuleFinding[];
}

/** The call site of a code edge, as a location. */
export function getCallSite(edge: GraphEdge): SourceLocation {
  return edge.column === undefined ? { file: edge.file, line: edge.line } : { file: edge.file, line: edge.line, column: edge.column };
}

/** Node kinds by id. */
export function getNodeKinds(graph: Graph): Map<string, NodeKind> {
  return new Map(graph.nodes.map((node) => [node.id, node.kind]));
}

/** Edges that a line of code makes (not the IaC's triggers and redrives). */
export function isCodeEdge(edge: GraphEdge): boolean {
  return edge.kind !== 'triggers' && edge.kind !== 'dead-letter';
}

/** How a sentence names the call of an edge. */
export function describeCall(kind: EdgeKind, to: string): string {
  switch (kind) {
    case 'invoke-sync':
      return `invoke of ${to}`;
    case 'invoke-async':
      return `asynchronous invoke of ${to}`;
    case 'sqs':
      return `send to ${to}`;
    case 'sns':
      return `publish to ${to}`;
    case 'eventbridge':
      return `put of events on ${to}`;
    case 'sfn-start':
      return `start of ${to}`;
    case 'http':
      return `HTTP call to ${to}`;
    default:
      return `${kind} edge to ${to}`;
  }
}
