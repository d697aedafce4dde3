import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { CheckSeverity } from '../../types/check.js';
import type { SourceLocation } from '../../types/diagnostics.js';
import type { CheckRule } from '../check-rule.js';
import { getRuleDocsUrl, PROJECT_URL } from '../docs-url.js';
import { CHECK_RULES } from '../index.js';
import { toShownPath, type CheckReport } from './render-context.js';

const LEVEL: Record<CheckSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): every rule with its descriptions, help and level as
 * configured; one result per reported finding (new, or in the baseline with baselineState `unchanged`; findings
 * suppressed by an ignore comment are left out, as code scanning would show them as open alerts), located relative to
 * %SRCROOT% with the line, and the fingerprint as partialFingerprints.primaryLocationLineHash, which survives line
 * moves. Input problems become tool notifications. test/check-sarif.test.ts validates it against the SARIF schema.
 */
export function renderCheckSarif(report: CheckReport): string {
  const rules = CHECK_RULES.flatMap((rule) => toDescriptors(rule, report));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const hasBaseline = report.result.baseline !== undefined;
  const results = report.result.findings
    .filter((finding) => finding.status !== 'suppressed')
    .map((finding): Result => ({
      ruleId: finding.rule,
      ruleIndex: ruleIndex.get(finding.rule) ?? -1,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [toLocation(report, finding.location)],
      ...(finding.related ? { relatedLocations: finding.related.map((related, index) => ({ ...toLocation(report, related.location), id: index + 1, message: { text: related.message } })) } : {}),
      partialFingerprints: { primaryLocationLineHash: finding.fingerprint },
      ...(hasBaseline ? { baselineState: finding.status === 'new' ? ('new' as const) : ('unchanged' as const) } : {}),
      ...(finding.function === undefined ? {} : { properties: { function: finding.function } }),
    }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'lambda2sfn', version: report.version, semanticVersion: report.version, informationUri: PROJECT_URL, rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.result.diagnostics.map((diagnostic) => ({
              level: diagnostic.severity === 'info' ? 'note' : diagnostic.severity,
              message: { text: diagnostic.message },
              descriptor: { id: diagnostic.code },
              ...(diagnostic.file ? { locations: [toLocation(report, { file: diagnostic.file, line: diagnostic.line ?? 1 })] } : {}),
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The rule's descriptor; a rule with sub-rules (asl-lint) gives one per sub-rule, as its findings carry `<rule>/<sub>`. */
function toDescriptors(rule: CheckRule, report: CheckReport): ReportingDescriptor[] {
  const ids = rule.subRules ? rule.subRules.map((sub) => ({ id: `${rule.id}/${sub.id}`, description: `${sub.description} (${rule.id})` })) : [{ id: rule.id, description: rule.description }];
  return ids.map(({ id, description }) => {
    const setting = report.config.rules[id] ?? report.config.rules[rule.id] ?? rule.defaultSeverity;
    const helpUri = getRuleDocsUrl(id);
    return {
      id,
      name: toPascalCase(id),
      shortDescription: { text: description },
      fullDescription: { text: rule.rationale },
      help: {
        text: `${description}\n\nWhy: ${rule.rationale}\n\nFix: ${rule.fix}\n\nDocs: ${helpUri}`,
        markdown: `**${description}**\n\n${rule.rationale}\n\n**Fix:** ${rule.fix}\n\nSee [docs/rules/${rule.id}.md](${helpUri}).`,
      },
      helpUri,
      defaultConfiguration: setting === 'off' ? { enabled: false, level: LEVEL[rule.defaultSeverity] } : { enabled: true, level: LEVEL[setting] },
      properties: { tags: ['aws-lambda', 'step-functions', 'maintainability'] },
    };
  });
}

function toLocation(report: CheckReport, location: SourceLocation): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(toShownPath(report, location.file)), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, location.line), ...(location.column === undefined ? {} : { startColumn: location.column }) },
    },
  };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`). */
function toUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** `asl-lint/missing-timeout` → `AslLintMissingTimeout`. */
function toPascalCase(id: string): string {
  return id
    .split(/[-/]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

