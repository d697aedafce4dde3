import path from 'node:path';
import { isIacCandidate } from './read-infrastructure.js';
import { readSourceText } from './read-source-text.js';
import { summarizeFile, type SummarizeOptions } from './summarize/summarize-file.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { DiscoveredFile } from './types/discover.js';
import type { FileSummary } from './types/summary.js';

export interface CodeResult {
  summaries: Map<string, FileSummary>;
  diagnostics: Diagnostic[];
  /** Texts of the code files an IaC analyzer reads too (serverless.ts, CDK apps), so they are not read twice. */
  iacTexts: Map<string, string>;
}

export interface ReadCodeOptions {
  summarize: SummarizeOptions;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Code files → one summary each: every file is read once, parsed and walked once, and only its summary is kept.
 * Unreadable, oversized and binary files become diagnostics.
 */
export function readCode(root: string, files: readonly DiscoveredFile[], options: ReadCodeOptions): CodeResult {
  const out: CodeResult = { summaries: new Map(), diagnostics: [], iacTexts: new Map() };
  const maxFileBytes = options.summarize.limits.maxFileBytes;
  const summarize = options.summarize;
  files.forEach((file, i) => {
    if (i % 200 === 0) options.onProgress?.(i, files.length);
    const read = readSourceText(path.join(root, file.path), { file: file.path, maxFileBytes });
    if ('diagnostic' in read) {
      out.diagnostics.push(read.diagnostic);
      return;
    }
    if (isIacCandidate(file.path, read.text)) out.iacTexts.set(file.path, read.text);
    const summary = summarizeFile(file.path, read.text, summarize);
    out.diagnostics.push(...summary.diagnostics);
    out.summaries.set(file.path, summary);
  });
  options.onProgress?.(files.length, files.length);
  return out;
}
