import type { CheckFinding } from '../../types/check.js';
import { plural, toShownPath, type CheckReport } from './render-context.js';

/** Input problems listed before the rest are summed up. */
const MAX_DIAGNOSTICS = 10;

/**
 * The text report: the new findings grouped by file (`line:column  severity  message  rule`), then a summary of what
 * the baseline and the ignore comments hold, what was fixed since the baseline, and whether the run fails.
 */
export function renderCheckText(report: CheckReport): string {
  const { result } = report;
  const shown = result.findings.filter((finding) => finding.status === 'new');
  const out: string[] = [];
  let file: string | undefined;
  for (const finding of shown) {
    if (finding.location.file !== file) {
      if (file !== undefined) out.push('');
      file = finding.location.file;
      out.push(toShownPath(report, file));
    }
    out.push(`  ${toPlace(finding).padEnd(8)} ${finding.severity.padEnd(7)} ${finding.message}  ${finding.rule}`);
  }
  if (shown.length > 0) out.push('');

  const baselined = result.findings.filter((finding) => finding.status === 'baselined').length;
  const suppressed = result.findings.filter((finding) => finding.status === 'suppressed').length;
  const counts = (['error', 'warning', 'info'] as const).map((severity) => [severity, shown.filter((finding) => finding.severity === severity).length] as const).filter(([, count]) => count > 0);
  out.push(
    shown.length === 0
      ? 'No new findings.'
      : `${plural(shown.length, 'new finding')} (${counts.map(([severity, count]) => plural(count, severity)).join(', ')}).`,
  );
  if (result.baseline !== undefined) out.push(`${plural(baselined, 'finding')} in the baseline (${result.baseline}).`);
  if (suppressed > 0) out.push(`${plural(suppressed, 'finding')} suppressed by lambda2sfn-ignore comments.`);
  if (result.fixed.length > 0) {
    const entries = result.fixed.length === 1 ? '1 baseline entry' : `${result.fixed.length} baseline entries`;
    out.push(`${entries} no longer found (fixed): run lambda2sfn check --update-baseline to prune ${result.fixed.length === 1 ? 'it' : 'them'}.`);
    for (const entry of result.fixed) out.push(`  ${[entry.rule, entry.function, toShownPath(report, entry.file), entry.code].filter(Boolean).join('  ')}`);
  }
  const problems = result.diagnostics.filter((diagnostic) => diagnostic.severity !== 'info');
  if (problems.length > 0) {
    out.push(`${plural(problems.length, 'input problem')}: findings in what could not be read are missing.`);
    for (const diagnostic of problems.slice(0, MAX_DIAGNOSTICS)) {
      out.push(`  ${diagnostic.file ? `${toShownPath(report, diagnostic.file)}${diagnostic.line ? `:${diagnostic.line}` : ''}  ` : ''}${diagnostic.message}`);
    }
    if (problems.length > MAX_DIAGNOSTICS) out.push(`  ... and ${problems.length - MAX_DIAGNOSTICS} more (lambda2sfn analyze lists them all)`);
  }
  out.push(report.failed ? `Failed: new findings at or above ${report.failOn}.` : report.failOn === 'never' ? 'Passed (--fail-on never).' : `Passed: no new finding at or above ${report.failOn}.`);
  return `${out.join('\n')}\n`;
}

function toPlace(finding: CheckFinding): string {
  return `${finding.location.line}${finding.location.column === undefined ? '' : `:${finding.location.column}`}`;
}
