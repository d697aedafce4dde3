import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ignore, Options as IgnoreOptions } from 'ignore';
import { isAslFile } from '../discover.js';
import type { DiagnosingRootReader } from '../root-reader.js';
import type { Baseline, CheckConfig, CheckFinding, CheckResult, CheckSeverity, FailOn, RuleFinding, RuleSetting } from '../types/check.js';
import type { DiscoveredFile } from '../types/discover.js';
import type { SourceLocation } from '../types/diagnostics.js';
import type { Graph } from '../types/graph.js';
import { compareByteOrder } from '../util/byte-order.js';
import { readAslFiles } from './asl-files.js';
import { applyBaseline } from './baseline.js';
import type { CheckContext, CheckRule } from './check-rule.js';
import { readIgnoreComments, type IgnoreDirective } from './ignore-comments.js';
import { CHECK_RULES, getConfigurableRuleIds } from './index.js';

export interface CheckInput {
  /** What the analysis found: the discovered files and the Graph. */
  analysis: { files: readonly DiscoveredFile[]; graph: Graph };
  /** Reads files of the analysed folder (ignore comments, source lines for fingerprints, ASL files). */
  reader: DiagnosingRootReader;
  config: CheckConfig;
  baseline?: Baseline;
}

/** Longest source line kept with a finding (`code`). */
const MAX_CODE = 200;

/**
 * The check: every enabled rule over the analysis; findings in files the configuration ignores dropped; inline
 * ignores applied, then the rules about ignores; each finding's severity and fingerprint; the baseline matched.
 */
export function runChecks(input: CheckInput): CheckResult {
  const { analysis, reader, config } = input;
  const ignored = createIgnore(config.ignore);
  const isReported = (location: SourceLocation) => !isIgnoredPath(ignored, location.file);
  const { aslFiles, diagnostics: aslDiagnostics } = readAslFiles(analysis.files, reader);
  // Ignore comments are read where findings can be: code, IaC and ASL files (`#` comments in YAML definitions).
  const commentFiles = analysis.files.filter((file) => (file.kind === 'code' || file.kind === 'iac' || isAslFile(file.path)) && !file.isTest && isReported({ file: file.path, line: 1 }));
  const ignores = readIgnoreComments(commentFiles, reader);
  const knownIds = new Set(getConfigurableRuleIds());
  const context: CheckContext = {
    graph: analysis.graph,
    thresholds: config.thresholds,
    aslFiles,
    ignores,
    isEnabled: (ruleId) => getSetting(config, ruleId) !== 'off',
    isKnownRule: (ruleId) => knownIds.has(ruleId),
  };
  const lines = createLineReader(reader);
  const run = (rules: readonly CheckRule[]) =>
    rules.flatMap((rule) => (context.isEnabled(rule.id) ? rule.check(context).map((finding) => toCheckFinding(rule, finding, config, lines)) : []));

  const findings = run(CHECK_RULES.filter((rule) => rule.phase !== 'ignores')).filter((finding): finding is Pending => finding !== undefined && isReported(finding.location));
  for (const finding of findings) suppress(finding, ignores);
  findings.push(...run(CHECK_RULES.filter((rule) => rule.phase === 'ignores')).filter((finding): finding is Pending => finding !== undefined));

  const result = assignFingerprints(findings);
  const fixed = input.baseline ? applyBaseline(result, input.baseline) : [];
  return {
    findings: result.sort(compareFindings),
    fixed,
    diagnostics: [...analysis.graph.diagnostics, ...aslDiagnostics],
    ...(input.baseline ? { baseline: config.baseline } : {}),
  };
}

/** A finding before its fingerprint's occurrence number is known. */
interface Pending extends Omit<CheckFinding, 'fingerprint'> {
  hash: string;
  ignoreAt: SourceLocation[];
}

/** The configured setting of a rule id (`asl-lint/x` falls back to `asl-lint`); undefined when not configured. */
function getSetting(config: CheckConfig, ruleId: string): RuleSetting | undefined {
  return config.rules[ruleId] ?? (ruleId.includes('/') ? config.rules[ruleId.split('/')[0]] : undefined);
}

function toCheckFinding(rule: CheckRule, finding: RuleFinding, config: CheckConfig, lines: LineReader): Pending | undefined {
  const ruleId = finding.subRule ? `${rule.id}/${finding.subRule}` : rule.id;
  const setting = getSetting(config, ruleId) ?? finding.severity ?? rule.defaultSeverity;
  if (setting === 'off') return undefined;
  const evidence = (finding.evidence ?? []).map((location) => lines(location) ?? '');
  const code = lines(finding.location);
  return {
    rule: ruleId,
    severity: setting,
    message: finding.message,
    location: finding.location,
    ...(finding.function === undefined ? {} : { function: finding.function }),
    ...(finding.related && finding.related.length > 0 ? { related: finding.related } : {}),
    status: 'new',
    ...(code === undefined ? {} : { code: code.length > MAX_CODE ? `${code.slice(0, MAX_CODE - 1)}…` : code }),
    hash: hash([ruleId, finding.function ?? '', ...finding.key, ...evidence]),
    ignoreAt: [finding.location, ...(finding.ignoreAlsoAt ?? [])],
  };
}

/** Marks the finding suppressed when an ignore comment naming its rule (or the rule it belongs to) covers one of its places. */
function suppress(finding: Pending, ignores: readonly IgnoreDirective[]): void {
  const base = finding.rule.split('/')[0];
  for (const directive of ignores) {
    const covers = finding.ignoreAt.some((at) => at.file === directive.file && at.line === directive.target);
    const named = directive.rules.find((rule) => rule === finding.rule || rule === base);
    if (!covers || named === undefined) continue;
    directive.used.add(named);
    finding.status = 'suppressed';
    finding.suppression = { location: { file: directive.file, line: directive.line }, reason: directive.reason };
    return;
  }
}

/**
 * The fingerprint: the hash of the rule, function, key and evidence text, then `:n` for the n-th finding with that
 * hash in file and line order, so that two identical calls in one function stay two findings.
 */
function assignFingerprints(pending: readonly Pending[]): CheckFinding[] {
  const counts = new Map<string, number>();
  return [...pending].sort(compareFindings).map(({ hash: base, ignoreAt: _ignoreAt, ...finding }) => {
    const occurrence = (counts.get(base) ?? 0) + 1;
    counts.set(base, occurrence);
    return { ...finding, fingerprint: `${base}:${occurrence}` };
  });
}

function compareFindings(a: Omit<CheckFinding, 'fingerprint'>, b: Omit<CheckFinding, 'fingerprint'>): number {
  return (
    compareByteOrder(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    compareByteOrder(a.rule, b.rule) ||
    compareByteOrder(a.message, b.message)
  );
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

type LineReader = (location: SourceLocation) => string | undefined;

/** A source line with its whitespace normalised (trimmed, runs collapsed): what a fingerprint hashes instead of a line number. */
function createLineReader(reader: DiagnosingRootReader): LineReader {
  const cache = new Map<string, string[] | undefined>();
  return ({ file, line }) => {
    if (!cache.has(file)) cache.set(file, reader.readText(file)?.split(/\r?\n/));
    const text = cache.get(file)?.[line - 1]?.trim().replace(/\s+/g, ' ');
    return text === undefined || text === '' ? undefined : text;
  };
}

/** `ignore` is CommonJS: required rather than imported, as discover.ts does. */
const ignore = createRequire(import.meta.url)('ignore') as (options?: IgnoreOptions) => Ignore;

/** `ignore` refuses paths that are not relative (`.`, `../x`): those are never ignored. */
function isIgnoredPath(rules: Ignore, file: string): boolean {
  try {
    return rules.ignores(file);
  } catch {
    return false;
  }
}

function createIgnore(patterns: readonly string[]): Ignore {
  return ignore({ ignorecase: false }).add(patterns.filter((pattern) => pattern.trim() !== '').join('\n'));
}

const SEVERITY_RANK: Record<CheckSeverity, number> = { error: 3, warning: 2, info: 1 };

/** Whether a severity is at or above the `--fail-on` level. */
export function isAtOrAbove(severity: CheckSeverity, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** Whether the run fails: a new finding at or above `failOn` (baselined and suppressed findings never fail it). */
export function hasFailingFindings(result: CheckResult, failOn: FailOn): boolean {
  return result.findings.some((finding) => finding.status === 'new' && isAtOrAbove(finding.severity, failOn));
}
