import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { hashText, type CachedFileInfo, type CachedSummary, type SummaryCache } from './cache/summary-cache.js';
import { SummaryMap } from './cache/summary-map.js';
import { isIacCandidate } from './read-infrastructure.js';
import { readSourceText } from './read-source-text.js';
import { summarizeFile, type SummarizeOptions } from './summarize/summarize-file.js';
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
}

export interface ReadCodeOptions {
  summarize: SummarizeOptions;
  /** Summaries of earlier runs: unchanged files are neither parsed nor, when their size and times match, read. */
  cache?: SummaryCache;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Code files → one summary each: every file is read once, parsed and walked once, and only its summary is kept.
 * Unreadable, oversized and binary files become diagnostics.
 */
export async function readCode(root: string, files: readonly DiscoveredFile[], options: ReadCodeOptions): Promise<CodeResult> {
  const out: CodeResult = { summaries: new SummaryMap(), diagnostics: [], iacTexts: new Map(), parsed: 0 };
  const { cache } = options;
  const maxFileBytes = options.summarize.limits.maxFileBytes;
  for (const [i, file] of files.entries()) {
    if (i % 200 === 0) options.onProgress?.(i, files.length);
    // Let signal handlers run now and then, so Ctrl-C stops a long parse promptly (see interrupt.ts).
    if (i % 50 === 49) await yieldToEventLoop();
    const absolute = path.join(root, file.path);
    const stats = cache ? statFile(absolute) : undefined;
    const known = stats && cache?.getByStat(file.path, stats);
    // A summary damaged inside its cache entry is seen when first read, then made again from the file.
    const again = (text?: string) => {
      const read = text === undefined ? readSourceText(absolute, { file: file.path, maxFileBytes }) : { text };
      const source = 'text' in read ? read.text : '';
      const info = stats && { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, hash: hashText(source), iac: isIacCandidate(file.path, source) };
      return summarizeNew(out, file.path, { text: source }, options, info);
    };
    if (known && !known.info.iac) {
      addCached(out, file.path, known.summary, () => again());
      continue;
    }
    const read = readSourceText(absolute, { file: file.path, maxFileBytes });
    if (!('text' in read)) {
      out.diagnostics.push(read.diagnostic);
      continue;
    }
    const iac = isIacCandidate(file.path, read.text);
    if (iac) out.iacTexts.set(file.path, read.text);
    if (known) {
      addCached(out, file.path, known.summary, () => again(read.text));
      continue;
    }
    const hash = cache && stats ? hashText(read.text) : undefined;
    const cached = hash && stats ? cache?.getByHash(file.path, hash, stats) : undefined;
    if (cached) {
      addCached(out, file.path, cached, () => again(read.text));
      continue;
    }
    const kept = summarizeNew(out, file.path, read, options, hash && stats ? { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, hash, iac } : undefined);
    addSummary(out, file.path, kept);
  }
  options.onProgress?.(files.length, files.length);
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function addSummary(out: CodeResult, file: string, summary: FileSummary): void {
  out.diagnostics.push(...summary.diagnostics);
  out.summaries.set(file, summary);
}

/** A summary from the cache, parsed when first read; one damaged in the cache is made again from the file. */
function addCached(out: CodeResult, file: string, cached: CachedSummary, again: () => FileSummary): void {
  out.diagnostics.push(...cached.diagnostics);
  out.summaries.setLazy(file, () => cached.load() ?? again());
}

/** Parses and walks a file; the summary kept (with a cache: the one read back from its JSON). */
function summarizeNew(
  out: CodeResult,
  file: string,
  read: { text: string; notice?: Diagnostic },
  options: ReadCodeOptions,
  info: CachedFileInfo | undefined,
): FileSummary {
  const summary = summarizeFile(file, read.text, options.summarize);
  // The reader's notice (bytes that are not UTF-8) travels with the summary, so a cached run reports it too.
  if (read.notice) summary.diagnostics.unshift(read.notice);
  out.parsed++;
  if (!info || !options.cache) return summary;
  return options.cache.set(file, info, summary);
}

function statFile(absolute: string): Stats | undefined {
  try {
    return statSync(absolute);
  } catch {
    // readSourceText reports it.
    return undefined;
  }
}
