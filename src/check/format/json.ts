import type { BaselineEntry, CheckFinding } from '../../types/check.js';
import type { Diagnostic } from '../../types/diagnostics.js';
import type { CheckReport } from './render-context.js';

/** The version of the JSON report's format (docs/check.md); bumped when a change is not backwards compatible. */
export const CHECK_JSON_VERSION = 1;

/**
 * The JSON report: every finding (new, baselined and suppressed, each with its status), the baseline entries fixed
 * since, the input problems, and the outcome. Paths are relative to the analysed folder; keys in a fixed order.
 */
export function renderCheckJson(report: CheckReport): string {
  const { result } = report;
  const count = (status: CheckFinding['status']) => result.findings.filter((finding) => finding.status === status).length;
  const value = {
    version: CHECK_JSON_VERSION,
    tool: { name: 'lambda2sfn', version: report.version },
    failOn: report.failOn,
    failed: report.failed,
    summary: { new: count('new'), baselined: count('baselined'), suppressed: count('suppressed'), fixed: result.fixed.length },
    ...(result.baseline === undefined ? {} : { baseline: result.baseline }),
    findings: result.findings.map(orderFinding),
    fixed: result.fixed.map(orderEntry),
    diagnostics: result.diagnostics.map(orderDiagnostic),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

function orderFinding(finding: CheckFinding): Record<string, unknown> {
  return {
    rule: finding.rule,
    severity: finding.severity,
    status: finding.status,
    message: finding.message,
    file: finding.location.file,
    line: finding.location.line,
    column: finding.location.column,
    function: finding.function,
    fingerprint: finding.fingerprint,
    code: finding.code,
    related: finding.related?.map((related) => ({ file: related.location.file, line: related.location.line, column: related.location.column, message: related.message })),
    suppression: finding.suppression && { file: finding.suppression.location.file, line: finding.suppression.location.line, reason: finding.suppression.reason },
  };
}

function orderEntry(entry: BaselineEntry): Record<string, unknown> {
  return { rule: entry.rule, function: entry.function, fingerprint: entry.fingerprint, file: entry.file, code: entry.code };
}

function orderDiagnostic(diagnostic: Diagnostic): Record<string, unknown> {
  return { code: diagnostic.code, severity: diagnostic.severity, message: diagnostic.message, file: diagnostic.file, line: diagnostic.line, column: diagnostic.column, hint: diagnostic.hint };
}
