import type { CheckSeverity } from '../../types/check.js';
import { toShownPath, type CheckReport } from './render-context.js';

const COMMAND: Record<CheckSeverity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands (`::error file=...,line=...,title=...::message`), one per new finding, which the
 * runner turns into annotations on the pull request's diff. GitHub shows at most 10 of each level per step; the
 * SARIF upload has no such limit.
 */
export function renderGithubAnnotations(report: CheckReport): string {
  return report.result.findings
    .filter((finding) => finding.status === 'new')
    .map((finding) => {
      const properties = [
        `file=${escapeProperty(toShownPath(report, finding.location.file))}`,
        `line=${finding.location.line}`,
        ...(finding.location.column === undefined ? [] : [`col=${finding.location.column}`]),
        `title=${escapeProperty(`lambda2sfn ${finding.rule}`)}`,
      ];
      return `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}\n`;
    })
    .join('');
}

/** The escaping of @actions/core: data escapes %, CR and LF; properties also `:` and `,`. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
