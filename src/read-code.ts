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
export async function readCode(root: string, files: readonly DiscoveredFile[], options: ReadCodeOptions): Promise<CodeResult> {
  const out: CodeResult = { summaries: new Map(), diagnostics: [], iacTexts: new Map() };
  const maxFileBytes = options.summarize.limits.maxFileBytes;
  for (const [i, file] of files.entries()) {
    if (i % 200 === 0) options.onProgress?.(i, files.length);
    // Let signal handlers run now and then, so Ctrl-C stops a long parse promptly (see interrupt.ts).
    if (i % 50 === 49) await yieldToEventLoop();
    const read = readSourceText(path.join(root, file.path), { file: file.path, maxFileBytes });
    if (!('text' in read)) {
      out.diagnostics.push(read.diagnostic);
      continue;
    }
    if (read.notice) out.diagnostics.push(read.notice);
    if (isIacCandidate(file.path, read.text)) out.iacTexts.set(file.path, read.text);
    const summary = summarizeFile(file.path, read.text, options.summarize);
    out.diagnostics.push(...summary.diagnostics);
    out.summaries.set(file.path, summary);
  }
  options.onProgress?.(files.length, files.length);
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
