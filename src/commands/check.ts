import path from 'node:path';
import { applyBaseline, readBaseline, renderBaseline } from '../check/baseline.js';
import { loadCheckConfig } from '../check/config.js';
import { CHECK_FORMATS, type CheckFormat } from '../check/format/index.js';
import { getPathPrefix, plural, type CheckReport } from '../check/format/render-context.js';
import { hasFailingFindings, runChecks } from '../check/run-checks.js';
import type { Streams } from '../cli.js';
import { getVersion } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { createRootReader } from '../root-reader.js';
import { DEFAULT_LIMITS } from '../types/analyzers.js';
import type { Baseline, CheckConfig, CheckResult, FailOn } from '../types/check.js';
import { writeFileAtomic } from '../write-output.js';
import { analyzeFolder, getRootOrThrow, toAnalysisLimits, type AnalysisCommandOptions } from './analyze.js';

export interface CheckCommandOptions extends AnalysisCommandOptions {
  format: CheckFormat;
  output?: string;
  force: boolean;
  /** `--config FILE`: instead of looking for one in the analysed folder. */
  config?: string;
  /** `--baseline FILE` (relative to the current folder); false with `--no-baseline`. */
  baseline?: string | false;
  updateBaseline: boolean;
  failOn?: FailOn;
  maxChainDepth?: number;
}

/**
 * `lambda2sfn check [dir]`: the rules over the analysis, inline ignores and the baseline applied, in the chosen
 * format. Exit 1 only for a new finding at or above --fail-on; a broken configuration or baseline is a usage error.
 */
export async function runCheck(dir: string, options: CheckCommandOptions, streams: Streams): Promise<number> {
  const root = getRootOrThrow(dir);
  const reader = createRootReader(root, toAnalysisLimits(options).maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes);
  const config = applyOverrides(loadCheckConfig(reader, options.config), root, options);
  const baselinePath = path.resolve(root, config.baseline);
  // --update-baseline rewrites the file, so a broken one is no obstacle (it is only read to count what changed).
  const baseline = options.baseline === false ? undefined : options.updateBaseline ? readBaselineOrSkip(root, config.baseline) : readBaseline(root, config.baseline);

  const analysis = await analyzeFolder(root, options, streams);
  let result = runChecks({ analysis, reader, config, ...(baseline ? { baseline } : {}) });

  if (options.updateBaseline) {
    const text = renderBaseline(result.findings);
    const added = result.findings.filter((finding) => finding.status === 'new').length;
    const pruned = result.fixed.length;
    writeFileAtomic(baselinePath, text, { force: true });
    result = withBaseline(result, config, text);
    const recorded = result.findings.filter((finding) => finding.status === 'baselined').length;
    const change = baseline ? `: ${added} added, ${pruned} fixed and removed` : '';
    streams.stderr.write(`lambda2sfn: wrote ${path.relative(process.cwd(), baselinePath) || baselinePath} (${plural(recorded, 'finding')}${change})\n`);
  }

  const failed = hasFailingFindings(result, config.failOn);
  const report: CheckReport = { result, config, failOn: config.failOn, failed, version: getVersion(), pathPrefix: getPathPrefix(root, process.cwd()) };
  const output = CHECK_FORMATS[options.format](report);
  if (options.output) {
    writeFileAtomic(options.output, output, { force: options.force });
    streams.stderr.write(`lambda2sfn: wrote ${options.output}\n`);
  } else {
    streams.stdout.write(output);
  }
  // On GitHub Actions, annotations on the pull request too, unless standard output carries a machine format.
  if (process.env.GITHUB_ACTIONS === 'true' && options.format !== 'github' && (options.format === 'text' || options.output)) {
    streams.stdout.write(CHECK_FORMATS.github(report));
  }
  return failed ? EXIT.findings : EXIT.ok;
}

/** The baseline to compare against before it is rewritten; a broken one counts as none. */
function readBaselineOrSkip(root: string, file: string): Baseline | undefined {
  try {
    return readBaseline(root, file);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

/** The command line wins over the configuration file: --fail-on, --max-chain-depth, --baseline. */
function applyOverrides(config: CheckConfig, root: string, options: CheckCommandOptions): CheckConfig {
  return {
    ...config,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.maxChainDepth ? { thresholds: { ...config.thresholds, maxChainDepth: options.maxChainDepth } } : {}),
    ...(typeof options.baseline === 'string' ? { baseline: path.relative(root, path.resolve(options.baseline)).split(path.sep).join('/') } : {}),
  };
}

/** The result as the baseline just written sees it: every finding it recorded is `baselined`, none fixed. */
function withBaseline(result: CheckResult, config: CheckConfig, text: string): CheckResult {
  const findings = result.findings.map((finding) => ({ ...finding, status: finding.status === 'suppressed' ? finding.status : ('new' as const) }));
  applyBaseline(findings, JSON.parse(text));
  return { ...result, findings, fixed: [], baseline: config.baseline };
}
