import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisLimits } from '../types/analyzers.js';
import { getDefaultSummarizeOptions } from './default-options.js';
import type { SummarizeJob, SummarizeReply } from './summarize-pool.js';
import { summarizeFile } from './summarize-file.js';

/**
 * A worker thread of the summarize pool: parses and walks the files it is sent and answers with each summary as
 * JSON, the form the cache stores and the main thread keeps (see summarize-pool.ts).
 */
const options = getDefaultSummarizeOptions((workerData as { limits: AnalysisLimits }).limits);

parentPort!.on('message', (batch: { id: number; jobs: SummarizeJob[] }) => {
  const results = batch.jobs.map((job): string | null => {
    try {
      const summary = summarizeFile(job.file, job.text, options);
      if (job.notice) summary.diagnostics.unshift(job.notice);
      return JSON.stringify(summary);
    } catch {
      // The main thread summarizes this file itself, so a failure is reported exactly as without workers.
      return null;
    }
  });
  const reply: SummarizeReply = { id: batch.id, results };
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
  parentPort!.postMessage(reply);
});
