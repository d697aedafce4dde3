import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Streams } from '../cli.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import { isPriceName, type PriceTable } from '../cost/prices.js';
import { UsageError } from '../errors.js';
import { readPlanFile } from '../plan-file.js';
import { readSimulationResults } from '../simulate/read-results.js';
import { createSourceLineReader } from '../source-lines.js';
import type { Plan } from '../types/plan.js';
import { writeOutputFiles } from '../write-output.js';
import { analyzeFolder, getExitCode, getRootOrThrow, type AnalysisCommandOptions } from './analyze.js';

export interface ReportCommandOptions extends AnalysisCommandOptions {
  out: string;
  plan?: string;
  format: string;
  force: boolean;
  invocationsPerMonth?: number;
  duration: Record<string, number>;
  defaultDuration?: number;
  itemsPerMap?: number;
  retryRate?: number;
  arch?: 'x86_64' | 'arm64';
  expressMemory?: number;
  serviceStep?: number;
  price: Partial<PriceTable>;
  /** Files holding `lambda2sfn simulate --format json` output, shown in the report's Simulation section. */
  simulation?: string[];
}

/** `lambda2sfn report [dir] --out DIR`: analyse, read the plan if given, write report.md and report.html. */
export async function runReport(dir: string | undefined, options: ReportCommandOptions, streams: Streams): Promise<number> {
  const plan = options.plan === undefined ? undefined : readPlanFile(options.plan);
  const simulation = options.simulation?.length ? options.simulation.flatMap((file) => readSimulationResults(file)) : undefined;
  const root = getRootOrThrow(dir ?? getPlanRoot(options.plan, plan) ?? '.');
  const formats = parseFormats(options.format);
  const outDir = path.resolve(options.out);
  const targets = formats.map((format) => path.join(outDir, format === 'md' ? 'report.md' : 'report.html'));
  // Refused before the analysis, to fail fast; writeOutputFiles checks again before writing anything.
  const existing = targets.find((target) => existsSync(target));
  if (existing && !options.force) throw new UsageError(`${path.relative(process.cwd(), existing) || existing} already exists`, 'pass --force to replace it, or choose another --out folder');

  const { graph } = await analyzeFolder(root, options, streams);
  const { renderReport } = await import('../../generators/report/index.js');
  // A plan's ASL is rendered in memory and validated, so the report says whether what `migrate` writes is valid.
  const validation = plan ? await (await import('../validate/validate-plan-outputs.js')).validatePlanAsl(plan) : undefined;
  const files = await renderReport(
    {
      title: path.basename(root),
      graph,
      ...(plan ? { plan, validation } : {}),
      ...(simulation ? { simulation } : {}),
      cost: toCostOverrides(options),
      sourceLink: toPosix(path.relative(outDir, root)) || '.',
      getSourceLine: createSourceLineReader(root),
    },
    { formats },
  );
  for (const target of writeOutputFiles(outDir, files, { force: options.force })) {
    streams.stderr.write(`lambda2sfn: wrote ${path.relative(process.cwd(), target) || target}\n`);
  }
  return getExitCode(graph);
}

/** Without a folder argument, a plan names the folder it was made for (`sourceRoot`, relative to the plan file). */
function getPlanRoot(planFile: string | undefined, plan: Plan | undefined): string | undefined {
  if (planFile === undefined || plan === undefined) return undefined;
  return path.resolve(path.dirname(planFile), plan.sourceRoot);
}

function parseFormats(value: string): ('md' | 'html')[] {
  const formats = [...new Set(value.split(',').map((item) => item.trim().toLowerCase()))];
  const unknown = formats.filter((item) => item !== 'md' && item !== 'html');
  if (unknown.length > 0 || formats.length === 0) throw new UsageError(`unknown report format ${unknown.join(', ') || '(none)'}`, 'use --format md, --format html or --format md,html');
  return formats as ('md' | 'html')[];
}

function toCostOverrides(options: ReportCommandOptions): Partial<CostAssumptions> {
  const overrides: Partial<CostAssumptions> = { durationsMs: options.duration };
  if (options.invocationsPerMonth !== undefined) overrides.invocationsPerMonth = options.invocationsPerMonth;
  if (options.defaultDuration !== undefined) overrides.defaultDurationMs = options.defaultDuration;
  if (options.itemsPerMap !== undefined) overrides.itemsPerMap = options.itemsPerMap;
  if (options.retryRate !== undefined) overrides.retryRate = options.retryRate;
  if (options.arch !== undefined) overrides.architecture = options.arch;
  if (options.expressMemory !== undefined) overrides.expressMemoryMb = options.expressMemory;
  if (options.serviceStep !== undefined) overrides.serviceStepMs = options.serviceStep;
  const unknown = Object.keys(options.price).filter((name) => !isPriceName(name));
  if (unknown.length > 0) throw new UsageError(`unknown price ${unknown.join(', ')}`, 'the names are in docs/report.md, "Prices" (lambdaRequest, standardTransition, ...)');
  if (Object.keys(options.price).length > 0) overrides.prices = options.price as PriceTable;
  return overrides;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
