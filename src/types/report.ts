import type { CostAssumptions } from '../cost/assumptions.js';
import type { Graph } from './graph.js';
import type { Evidence, Plan } from './plan.js';

/**
 * Everything the migration report renders. Only the Graph is required: each other part is the result of a stage
 * that may not have run (no plan yet, simulation not asked for), and the report says "not run" for it.
 */
export interface ReportInput {
  /** The report's title, usually the analysed folder's name. */
  title: string;
  graph: Graph;
  plan?: Plan;
  /** The check of every generated file (ASL, IaC, handlers). */
  validation?: ValidationResult[];
  /** Best-practice findings on the generated (and existing) ASL. */
  lint?: LintFinding[];
  simulation?: SimulationResult[];
  /** What happened to each handler of the migrated chains. */
  handlers?: HandlerOutcome[];
  /** The figures the cost comparison assumes (defaults when absent). */
  cost?: Partial<CostAssumptions>;
  /**
   * The analysed folder relative to the report's folder (POSIX separators), so that file paths link to their source
   * lines (`../src/a.ts#L12`); absent: paths are shown without links.
   */
  sourceLink?: string;
  /** The text of a source line of the analysed folder, trimmed, to quote evidence that carries no text. */
  getSourceLine?: (file: string, line: number) => string | undefined;
}

export interface ValidationResult {
  /** The generated file, relative to the output folder. */
  file: string;
  /** What checked it: `asl-validator`, `asl-language-service`, `yaml-parse`, `tsc`... */
  check: string;
  valid: boolean;
  /** One line per problem, with its location when known. */
  errors: string[];
}

export interface LintFinding {
  /** The rule's id (`missing-timeout`, `generic-state-name`). */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The ASL file, relative to the output folder or the analysed folder. */
  file: string;
  /** The state the finding is about. */
  state?: string;
  line?: number;
}

export interface SimulationResult {
  /** The workflow name (`place-order`). */
  workflow: string;
  /** A short name for the input and the faults injected (`happy path`, `validatePayment fails once`). */
  scenario: string;
  verdict: 'same' | 'different' | 'not-run';
  /** The first difference, or why it was not run. */
  detail?: string;
}

export interface HandlerOutcome {
  /** The Graph node id of the function. */
  function: string;
  /** The original handler file, relative to the analysed folder. */
  source: string;
  /** The refactored file, relative to the output folder; absent when the handler was kept. */
  output?: string;
  status: 'refactored' | 'kept';
  /** For `kept`: why it was not safe to transform, and what to do. */
  reason?: string;
  /** For `kept`: where the `lambda2sfn:` marker comment sits. */
  marker?: Evidence;
}
