import path from 'node:path';
import { CONTEXT_COLLECTORS, HTTP_CLIENTS, SDK_DETECTORS } from '../analyzers/index.js';
import { discoverFiles, type DiscoveredFile } from './discover.js';
import { getCacheKey } from './cache/cache-key.js';
import { InfrastructureCache, recordingReader, type RecordedInputs } from './cache/infrastructure-cache.js';
import { SummaryCache } from './cache/summary-cache.js';
import { buildGraph } from './graph.js';
import { buildInventory, resolveHandlerFiles } from './inventory.js';
import { getWorkerCount, readCode } from './read-code.js';
import { getDefaultSummarizeOptions } from './summarize/default-options.js';
import { readInfrastructure, type InfrastructureResult } from './read-infrastructure.js';
import { ModuleResolver, toWorkspacePackage, type PathAlias, type WorkspacePackage } from './link/module-resolver.js';
import { resolveCalls } from './resolve/resolve-calls.js';
import { readConfigJson } from './read-config-json.js';
import { createRootReader, type DiagnosingRootReader } from './root-reader.js';
import { DEFAULT_LIMITS, type AnalysisLimits } from './types/analyzers.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { Graph } from './types/graph.js';
import type { Inventory } from './types/inventory.js';
import type { FileSummary } from './types/summary.js';

export interface AnalyzeOptions {
  limits?: Partial<AnalysisLimits>;
  /** More gitignore-style patterns to skip (`--ignore`), relative to the root. */
  ignore?: string[];
  /** Called as the run moves through its stages, for a progress indicator. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** The folder of this root's cache (see src/cache/): unchanged files are not parsed again. None: no cache. */
  cacheDir?: string;
  /** Told when the cache could not be written; the analysis is complete all the same. */
  onCacheWarning?: (message: string) => void;
}

export interface Analysis {
  root: string;
  files: DiscoveredFile[];
  inventory: Inventory;
  summaries: Map<string, FileSummary>;
  graph: Graph;
  /** Source files parsed in this run; the others' summaries came from the cache. */
  parsedFiles: number;
}

/** The analyze pipeline: discover; code → summaries; IaC → Inventory; resolve → Graph. Reads only; runs nothing. */
export async function analyze(rootDir: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const root = path.resolve(rootDir);
  const limits: AnalysisLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const report = options.onProgress ?? (() => {});
  // LAMBDA2SFN_TIMING=1 prints how long each stage took, for performance work.
  const timing = process.env.LAMBDA2SFN_TIMING ? { last: performance.now() } : undefined;
  const progress = (stage: string, done: number, total: number) => {
    if (timing && done === total) {
      const now = performance.now();
      process.stderr.write(`timing: ${stage} ${(now - timing.last).toFixed(0)} ms\n`);
      timing.last = now;
    }
    report(stage, done, total);
  };
  const diagnostics: Diagnostic[] = [];

  // 1. Discover the files (gitignore, default skips, symlink loops, size limit).
  const discovered = await discoverFiles(root, { limits, extraIgnores: options.ignore });
  progress('discovering', 1, 1);
  diagnostics.push(...discovered.diagnostics);
  const files = discovered.files;
  const reader = createRootReader(root, limits.maxFileBytes);

  // 2. Code files → one summary each (read, parsed and walked once; the AST is dropped). Test code never contributes
  // edges. Code that an IaC analyzer also reads (serverless.ts, CDK apps) is handed over, not read again.
  const codeFiles = files.filter((file) => file.kind === 'code' && !file.isTest);
  const summarizeOptions = getDefaultSummarizeOptions(limits);
  const startedAt = Date.now();
  const summaryConfiguration = {
    limits,
    sdkMethods: [...summarizeOptions.sdkMethods].sort(),
    keptGlobals: [...(summarizeOptions.keptGlobals ?? [])].sort(),
    textKeys: [...summarizeOptions.textKeys].sort(),
    collectors: CONTEXT_COLLECTORS.map((collector) => collector.id),
  };
  const summaryCache = options.cacheDir ? SummaryCache.load(options.cacheDir, getCacheKey(['summaries', summaryConfiguration]), startedAt) : undefined;
  const code = await readCode(root, codeFiles, { summarize: summarizeOptions, workers: getWorkerCount(), cache: summaryCache, onProgress: (done, total) => progress('parsing', done, total) });
  diagnostics.push(...code.diagnostics);
  if (timing) process.stderr.write(`timing: parsed ${code.parsed} of ${codeFiles.length} files, ${code.workers} worker threads\n`);
  const summaries = code.summaries;
  const unsaved = summaryCache?.save();
  if (unsaved) options.onCacheWarning?.(`the cache was not written: ${unsaved}`);

  // 3. IaC files → Inventory.
  const infrastructure = await readInfrastructureCached(files, reader, limits, code.iacTexts, options);
  diagnostics.push(...infrastructure.diagnostics);
  progress('reading infrastructure', 1, 1);
  const inventory = buildInventory(infrastructure.fragments);

  // 4. Resolve: handlers to files, imports to modules, SDK targets to inventory entities.
  const exportsName = (file: string, name: string) => {
    const exports = summaries.get(file)?.exports;
    const commonJs = exports?.['module.exports'];
    return Boolean(exports && (name in exports || (commonJs?.k === 'obj' && commonJs.props.some((prop) => prop.key === name))));
  };
  diagnostics.push(...resolveHandlerFiles(inventory, codeFiles.map((file) => file.path), exportsName));
  const resolver = new ModuleResolver(
    new Set(summaries.keys()),
    getWorkspacePackages(files, reader, diagnostics),
    getPathAliases(files, reader, diagnostics),
  );
  const calls = resolveCalls(summaries, resolver, inventory, SDK_DETECTORS, HTTP_CLIENTS);
  diagnostics.push(...calls.diagnostics);
  progress('resolving', 1, 1);

  // 5. The Graph.
  const graph = buildGraph(inventory, calls, diagnostics);
  progress('building the graph', 1, 1);
  return { root, files, inventory, summaries, graph, parsedFiles: code.parsed };
}

/** The IaC stage, its result taken from the cache when no file it read has changed (and no candidate came or went). */
async function readInfrastructureCached(
  files: readonly DiscoveredFile[],
  reader: DiagnosingRootReader,
  limits: AnalysisLimits,
  codeTexts: ReadonlyMap<string, string>,
  options: AnalyzeOptions,
): Promise<InfrastructureResult> {
  if (!options.cacheDir) return readInfrastructure(files, reader, limits, codeTexts);
  const candidates = files.filter((file) => !file.isTest && (file.kind === 'iac' || codeTexts.has(file.path))).map((file) => file.path);
  const cache = new InfrastructureCache(options.cacheDir, getCacheKey(['infrastructure', limits, candidates]));
  const cached = cache.load(reader);
  if (cached) return cached;
  const inputs: RecordedInputs = { texts: new Map(codeTexts), exists: new Map() };
  const result = await readInfrastructure(files, recordingReader(reader, inputs), limits, codeTexts);
  const unsaved = cache.save(result, inputs);
  if (unsaved) options.onCacheWarning?.(`the cache was not written: ${unsaved}`);
  return result;
}

function getWorkspacePackages(files: readonly DiscoveredFile[], reader: DiagnosingRootReader, diagnostics: Diagnostic[]): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const file of files) {
    if (path.posix.basename(file.path) !== 'package.json') continue;
    const manifest = readConfigJson(reader, file.path);
    diagnostics.push(...manifest.diagnostics);
    const pkg = toWorkspacePackage(path.posix.dirname(file.path), manifest.value);
    if (pkg) packages.push(pkg);
  }
  // Deeper folders first, so a nested package wins over the repository root's own name.
  return packages.sort((a, b) => b.dir.length - a.dir.length);
}

function getPathAliases(files: readonly DiscoveredFile[], reader: DiagnosingRootReader, diagnostics: Diagnostic[]): PathAlias[] {
  const aliases: PathAlias[] = [];
  for (const file of files) {
    if (!/(^|\/)tsconfig(\..+)?\.json$/.test(file.path)) continue;
    const read = readConfigJson(reader, file.path);
    diagnostics.push(...read.diagnostics);
    const config = read.value as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
    const paths = config?.compilerOptions?.paths;
    if (!paths || typeof paths !== 'object') continue;
    aliases.push({ dir: path.posix.dirname(file.path), baseUrl: config.compilerOptions?.baseUrl ?? '.', paths });
  }
  return aliases;
}
