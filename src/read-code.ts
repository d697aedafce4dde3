import { availableParallelism } from 'node:os';
import path from 'node:path';
import { hashText, type CachedFileInfo, type CachedSummary, type SummaryCache } from './cache/summary-cache.js';
import { SummaryMap } from './cache/summary-map.js';
import { isIacCandidate } from './read-infrastructure.js';
import { readSourceText } from './read-source-text.js';
import { summarizeFile, type SummarizeOptions } from './summarize/summarize-file.js';
import { SummarizePool, type SummarizeJob } from './summarize/summarize-pool.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { DiscoveredFile } from './types/discover.js';
import type { FileSummary } from './types/summary.js';

export interface CodeResult {
  summaries: SummaryMap;
  diagnostics: Diagnostic[];
  /** Texts of the code files an IaC analyzer reads too (serverless.ts, CDK apps), so they are not read twice. */
  iacTexts: Map<string, string>;
  /** Files parsed in this run (the others came from the cache). */
  parsed: number;
  /** Worker threads that parsed some of them (0: all parsed on the main thread). */
  workers: number;
}

export interface ReadCodeOptions {
  summarize: SummarizeOptions;
  /**
   * Worker threads to parse with once many files need a parse (see `POOL_AFTER`); 0 or none: the main thread parses
   * everything. Workers build their options with `getDefaultSummarizeOptions`, so `summarize` must be those.
   */
  workers?: number;
  /** Summaries of earlier runs: unchanged files are neither parsed nor, when their size and times match, read. */
  cache?: SummaryCache;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Workers start when this many files needed a parse: a re-run that parses a few changed files never pays for
 * starting them, and the main thread parses the first files while they start.
 */
const POOL_AFTER = 64;
/** Files handed to the workers and not yet answered, at most: the main thread keeps up, and memory stays flat. */
const MAX_IN_FLIGHT = 256;

/** Worker threads for a run: `LAMBDA2SFN_WORKERS` if set (0: none), else one per core when there are two or more. */
export function getWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.LAMBDA2SFN_WORKERS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(Number(set), 16);
  const cores = availableParallelism();
  return cores >= 2 ? Math.min(cores, 4) : 0;
}

/** What became of one file, kept in the order of `files` so the result does not depend on when workers answer. */
type Slot = { summary: FileSummary } | { cached: CachedSummary; again: () => FileSummary } | { diagnostic: Diagnostic } | undefined;

/**
 * Code files → one summary each: every file is read once, parsed and walked once, and only its summary is kept.
 * Unreadable, oversized and binary files become diagnostics. With many files to parse, worker threads parse them
 * while the main thread reads the next ones; the result is the same, in the same order.
 */
export async function readCode(root: string, files: readonly DiscoveredFile[], options: ReadCodeOptions): Promise<CodeResult> {
  const out: CodeResult = { summaries: new SummaryMap(), diagnostics: [], iacTexts: new Map(), parsed: 0, workers: 0 };
  const { cache } = options;
  const maxFileBytes = options.summarize.limits.maxFileBytes;
  const slots: Slot[] = Array.from({ length: files.length });
  let pool: SummarizePool | undefined;
  const answered: Promise<void>[] = [];
  let toParse = 0;

  /** The summary of a file parsed in this thread, recorded in the cache. */
  const summarizeHere = (job: SummarizeJob, info: CachedFileInfo | undefined): FileSummary => {
    const summary = summarizeFile(job.file, job.text, options.summarize);
    // The reader's notice (bytes that are not UTF-8) travels with the summary, so a cached run reports it too.
    if (job.notice) summary.diagnostics.unshift(job.notice);
    return info && cache ? cache.set(job.file, info, summary) : summary;
  };
  /** A worker's summary (JSON), recorded in the cache; a file the worker could not do is parsed here. */
  const keepJson = (job: SummarizeJob, info: CachedFileInfo | undefined, json: string | null): FileSummary => {
    if (json === null) return summarizeHere(job, info);
    return info && cache ? cache.setJson(job.file, info, json) : (JSON.parse(json) as FileSummary);
  };

  try {
    for (const [i, file] of files.entries()) {
      if (i % 200 === 0) options.onProgress?.(i, files.length);
      // Let signal handlers run now and then, so Ctrl-C stops a long parse promptly (see interrupt.ts).
      if (i % 50 === 49) await yieldToEventLoop();
      const absolute = path.join(root, file.path);
      // The stat discovery made, not a second one: the run analyses the files as they were then (a file changed since
      // has other times at the next run, which reads it again).
      const stats = cache ? file : undefined;
      const known = stats && cache?.getByStat(file.path, stats);
      // A cached summary is parsed when first read; one damaged inside its entry is then made again from the file.
      const again = (text?: string) => () => {
        const read = text === undefined ? readSourceText(absolute, { file: file.path, maxFileBytes }) : { text };
        const source = 'text' in read ? read.text : '';
        out.parsed++;
        const info = stats && toInfo(stats, hashText(source), isIacCandidate(file.path, source));
        return summarizeHere({ file: file.path, text: source }, info);
      };
      if (known && !known.info.iac) {
        slots[i] = { cached: known.summary, again: again() };
        continue;
      }
      const read = readSourceText(absolute, { file: file.path, maxFileBytes });
      if (!('text' in read)) {
        slots[i] = { diagnostic: read.diagnostic };
        continue;
      }
      const iac = isIacCandidate(file.path, read.text);
      if (iac) out.iacTexts.set(file.path, read.text);
      if (known) {
        slots[i] = { cached: known.summary, again: again(read.text) };
        continue;
      }
      const hash = cache && stats ? hashText(read.text) : undefined;
      const cached = hash && stats ? cache?.getByHash(file.path, hash, stats) : undefined;
      if (cached) {
        slots[i] = { cached, again: again(read.text) };
        continue;
      }
      out.parsed++;
      const job: SummarizeJob = { file: file.path, text: read.text, ...(read.notice ? { notice: read.notice } : {}) };
      const info = hash && stats ? toInfo(stats, hash, iac) : undefined;
      if (++toParse === POOL_AFTER) {
        pool = SummarizePool.start(options.workers ?? 0, options.summarize.limits);
        out.workers = pool ? (options.workers ?? 0) : 0;
      }
      if (!pool) {
        slots[i] = { summary: summarizeHere(job, info) };
        continue;
      }
      answered.push(pool.summarize(job).then((json) => void (slots[i] = { summary: keepJson(job, info, json) })));
      if (pool.pending > MAX_IN_FLIGHT) await pool.waitUntilPendingAtMost(MAX_IN_FLIGHT / 2);
    }
    // The last files may wait for a full batch: send them, then wait for every answer.
    pool?.flush();
    await Promise.all(answered);
  } finally {
    await pool?.close();
  }
  for (const [i, file] of files.entries()) {
    const slot = slots[i];
    if (!slot) continue;
    if ('diagnostic' in slot) {
      out.diagnostics.push(slot.diagnostic);
      continue;
    }
    if ('cached' in slot) {
      const { cached, again } = slot;
      out.diagnostics.push(...cached.diagnostics);
      out.summaries.setLazy(file.path, () => cached.load() ?? again());
      continue;
    }
    out.diagnostics.push(...slot.summary.diagnostics);
    out.summaries.set(file.path, slot.summary);
  }
  options.onProgress?.(files.length, files.length);
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What the cache records of a file: the times and size of discovery's stat, the hash of its text. */
function toInfo(stats: Pick<DiscoveredFile, 'size' | 'mtimeMs' | 'ctimeMs'>, hash: string, iac: boolean): CachedFileInfo {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, hash, iac };
}
