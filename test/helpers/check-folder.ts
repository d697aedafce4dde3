import path from 'node:path';
import { loadCheckConfig } from '../../src/check/config.js';
import { runChecks } from '../../src/check/run-checks.js';
import { analyze } from '../../src/pipeline.js';
import { createRootReader } from '../../src/root-reader.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import type { Baseline, CheckConfig, CheckFinding, CheckResult } from '../../src/types/check.js';

/** `lambda2sfn check` as a function: analyse the folder, read its configuration, run the rules (no cache). */
export async function checkFolder(dir: string, options: { baseline?: Baseline; config?: Partial<CheckConfig> } = {}): Promise<CheckResult> {
  const root = path.resolve(dir);
  const reader = createRootReader(root, DEFAULT_LIMITS.maxFileBytes);
  const config = { ...loadCheckConfig(reader), ...options.config };
  const analysis = await analyze(root);
  return runChecks({ analysis, reader, config, ...(options.baseline ? { baseline: options.baseline } : {}) });
}

/** A finding as fixtures write it: rule, severity, place, function; status only when not new. */
export interface ExpectedFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  function?: string;
  status?: 'baselined' | 'suppressed';
}

export function toExpectedFinding(finding: CheckFinding): ExpectedFinding {
  return {
    rule: finding.rule,
    severity: finding.severity,
    file: finding.location.file,
    line: finding.location.line,
    ...(finding.function === undefined ? {} : { function: finding.function }),
    ...(finding.status === 'new' ? {} : { status: finding.status }),
  };
}
