import { statSync } from 'node:fs';
import path from 'node:path';
import { getCacheDir } from '../cache/cache-dir.js';
import type { Streams } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { renderGraph, type GraphFormat } from '../format/index.js';
import { analyze, type Analysis } from '../pipeline.js';
import { createProgress } from '../progress.js';
import type { AnalysisLimits } from '../types/analyzers.js';
import type { Graph } from '../types/graph.js';
import { writeFileAtomic } from '../write-output.js';

/** The options of every command that analyses a folder (analyze, check, propose, migrate, report, generate). */
export interface AnalysisCommandOptions {
  maxFileSize?: number;
  maxDepth?: number;
  maxYamlAliases?: number;
  ignore?: string[];
  progress: boolean;
  /** false with --no-cache. */
  cache: boolean;
  cacheDir?: string;
}

export interface AnalyzeCommandOptions extends AnalysisCommandOptions {
  format: GraphFormat;
  output?: string;
  force: boolean;
}

/** `lambda2sfn analyze [dir]`: the Graph in the chosen format, to stdout or a file. */
export async function runAnalyze(dir: string, options: AnalyzeCommandOptions, streams: Streams): Promise<number> {
  const root = getRootOrThrow(dir);
  const { graph } = await analyzeFolder(root, options, streams);
  const output = renderGraph(graph, options.format, { title: path.basename(root) });
  if (options.output) {
    writeFileAtomic(options.output, output, { force: options.force });
    streams.stderr.write(`lambda2sfn: wrote ${options.output}\n`);
  } else {
    streams.stdout.write(output);
  }
  return getExitCode(graph);
}

/** The analysis as the command line asks for it: limits, ignores, the cache, a progress indicator on a terminal (every command that analyses uses it). */
export async function analyzeFolder(root: string, options: AnalysisCommandOptions, streams: Streams): Promise<Analysis> {
  const progress = createProgress(streams.stderr, options.progress);
  const cacheDir = options.cache ? getCacheDir(root, options.cacheDir) : undefined;
  const onCacheWarning = (message: string) => streams.stderr.write(`lambda2sfn: ${message}\n`);
  const analysis = await analyze(root, { limits: toAnalysisLimits(options), ignore: options.ignore, onProgress: progress.update, cacheDir, onCacheWarning });
  progress.done();
  return analysis;
}

/** The limits the command line sets (--max-file-size, --max-depth, --max-yaml-aliases); the others keep their defaults. */
export function toAnalysisLimits(options: AnalysisCommandOptions): Partial<AnalysisLimits> {
  const limits: Partial<AnalysisLimits> = {};
  if (options.maxFileSize) limits.maxFileBytes = options.maxFileSize;
  if (options.maxDepth) limits.maxDepth = options.maxDepth;
  if (options.maxYamlAliases) limits.maxYamlAliases = options.maxYamlAliases;
  return limits;
}

export function getRootOrThrow(dir: string): string {
  const root = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`${dir}: no such folder`, 'give the folder of the Lambda project to analyse');
  }
  if (!isDir) throw new UsageError(`${dir} is not a folder`, 'give the folder of the Lambda project to analyse');
  return root;
}

/** 1 when part of the input could not be analysed (error or warning diagnostics), else 0. */
export function getExitCode(graph: Graph): number {
  return graph.diagnostics.some((d) => d.severity === 'error' || d.severity === 'warning') ? EXIT.findings : EXIT.ok;
}
