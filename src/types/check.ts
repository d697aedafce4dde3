// The artifacts of `lambda2sfn check`: its configuration, its findings, and the baseline file. The JSON output and
// the baseline are public contracts, documented in docs/check.md (the baseline also by
// schema/check-baseline.schema.json, the configuration by schema/check-config.schema.json).

import type { Diagnostic, SourceLocation } from './diagnostics.js';

/** How much a finding matters; `off` turns a rule off. */
export type CheckSeverity = 'error' | 'warning' | 'info';
export type RuleSetting = CheckSeverity | 'off';
/** The lowest severity of a new finding that fails the run (`never`: no finding does). */
export type FailOn = CheckSeverity | 'never';

/** The configuration, as read from `lambda2sfn.config.json|yaml|yml` or package.json's `lambda2sfn` key. */
export interface CheckConfig {
  /** Severity per rule id (and per ASL lint rule as `asl-lint/<id>`), or `off`. */
  rules: Record<string, RuleSetting>;
  thresholds: CheckThresholds;
  /** The baseline file, relative to the analysed folder. */
  baseline: string;
  /** gitignore-style patterns: findings in matching files are not reported. */
  ignore: string[];
  failOn: FailOn;
  /** Where the configuration came from (relative to the analysed folder, or as given), when from a file. */
  source?: string;
}

export interface CheckThresholds {
  /** `deep-chain`: a chain deeper than this many function hops is reported. */
  maxChainDepth: number;
}

/** What a rule reports, before configuration, suppressions and the baseline are applied. */
export interface RuleFinding {
  message: string;
  /** Where the finding shows (SARIF's primary location): a path relative to the analysed folder. */
  location: SourceLocation;
  /** The function it belongs to, when it belongs to one (part of the baseline match). */
  function?: string;
  /**
   * What identifies the finding apart from its rule and function, without line numbers: the target node, the edge
   * kind, the state path... (hashed into the fingerprint).
   */
  key: string[];
  /** Lines whose normalised source text joins the fingerprint (the call line, the loop line): text, not numbers. */
  evidence?: SourceLocation[];
  /** More lines where an inline ignore also suppresses the finding (the call site of a retry loop's finding). */
  ignoreAlsoAt?: SourceLocation[];
  /** Other places that explain the finding (the call inside a retry loop, the hops of a chain). */
  related?: { location: SourceLocation; message: string }[];
  /** The finding's own severity, when the rule grades its findings (ASL lint); else the rule's. */
  severity?: CheckSeverity;
  /** For rules that group sub-rules (`asl-lint`): the sub-rule, which can be configured as `<rule>/<sub>`. */
  subRule?: string;
}

/** Whether a reported finding is new, already in the baseline, or suppressed by an inline ignore. */
export type FindingStatus = 'new' | 'baselined' | 'suppressed';

export interface CheckFinding {
  rule: string;
  subRule?: string;
  severity: CheckSeverity;
  message: string;
  location: SourceLocation;
  function?: string;
  /** Stable across unrelated line moves: a hash of the rule, function, key and evidence text, then `:<occurrence>`. */
  fingerprint: string;
  related?: { location: SourceLocation; message: string }[];
  status: FindingStatus;
  /** For suppressed findings: the reason given in the ignore comment ('' when none was given). */
  suppression?: { location: SourceLocation; reason: string };
  /** The normalised source line the finding points at, when there is one (kept in the baseline for readers). */
  code?: string;
}

/** One entry of the baseline file. */
export interface BaselineEntry {
  rule: string;
  function?: string;
  fingerprint: string;
  /** For the reader: where the finding was when the baseline was written, and its source line. */
  file: string;
  code?: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

export interface CheckResult {
  /** Every finding of an enabled rule, sorted by file, line, column, rule. */
  findings: CheckFinding[];
  /** Baseline entries no finding matches any more: fixed (or moved beyond recognition); `--update-baseline` prunes them. */
  fixed: BaselineEntry[];
  /** Problems with the input: files that could not be read or parsed (analysis diagnostics, unreadable ASL files). */
  diagnostics: Diagnostic[];
  /** The baseline file used, relative to the analysed folder, when there was one. */
  baseline?: string;
}
