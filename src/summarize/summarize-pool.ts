import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalysisLimits } from '../types/analyzers.js';
import type { Diagnostic } from '../types/diagnostics.js';

/** A file to summarize: its path relative to the analysed folder, its text, and the reader's notice if any. */
export interface SummarizeJob {
  file: string;
  text: string;
  notice?: Diagnostic;
}

/** A worker's answer to one batch: each summary as JSON, or null for a file the main thread must summarize itself. */
export interface SummarizeReply {
  id: number;
  results: (string | null)[];
}

/** Files sent to a worker at a time: one message per file would cost more than small files take to parse. */
const BATCH_SIZE = 16;

/**
 * The stack of a worker thread, in MiB: that of the main thread (V8's default, just under 1 MiB), so that a file
 * nested too deeply to parse gets the same diagnostic with or without workers.
 */
const STACK_SIZE_MB = 1;

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not yet answered. */
  batches: Set<number>;
  alive: boolean;
}

interface Waiting {
  worker: PoolWorker;
  answers: ((json: string | null) => void)[];
}

/**
 * Worker threads that parse and walk source files, each answering with the file's summary as JSON: the form the
 * cache writes and the main thread keeps anyway (a summary read back from JSON is smaller in memory), so handing
 * it over costs little. The main thread meanwhile reads files, checks the cache and keeps the summaries.
 *
 * Never an error: a worker that cannot start or dies answers null for its files, and the main thread summarizes
 * them itself. Measured on the benchmark's monorepo (docs/performance.md).
 */
export class SummarizePool {
  private readonly workers: PoolWorker[];
  private readonly waiting = new Map<number, Waiting>();
  private batch: SummarizeJob[] = [];
  private batchAnswers: ((json: string | null) => void)[] = [];
  private nextId = 0;
  private unanswered = 0;
  private onAnswer?: () => void;

  private constructor(count: number, workerFile: string, limits: AnalysisLimits) {
    this.workers = [];
    for (let i = 0; i < count; i++) {
      const worker = new Worker(workerFile, { workerData: { limits }, resourceLimits: { stackSizeMb: STACK_SIZE_MB } });
      const entry: PoolWorker = { worker, batches: new Set(), alive: true };
      worker.on('message', (reply: SummarizeReply) => this.answer(reply.id, reply.results));
      worker.on('error', () => this.lose(entry));
      worker.on('exit', () => this.lose(entry));
      // A worker left idle must not keep the process alive.
      worker.unref();
      this.workers.push(entry);
    }
  }

  /**
   * A pool of `count` workers, or undefined when there are none to start: a count below 1, or the compiled worker
   * module missing (lambda2sfn run from its TypeScript sources, as the tests do in-process).
   */
  static start(count: number, limits: AnalysisLimits): SummarizePool | undefined {
    if (count < 1) return undefined;
    const workerFile = fileURLToPath(new URL('./summarize-worker.js', import.meta.url));
    if (!existsSync(workerFile)) return undefined;
    return new SummarizePool(count, workerFile, limits);
  }

  /** The summary of a file as JSON, or null when the main thread must make it (the worker failed). */
  summarize(job: SummarizeJob): Promise<string | null> {
    this.unanswered++;
    return new Promise((resolve) => {
      this.batch.push(job);
      this.batchAnswers.push(resolve);
      if (this.batch.length >= BATCH_SIZE) this.flush();
    });
  }

  /** Files sent or queued and not yet answered. */
  get pending(): number {
    return this.unanswered;
  }

  /** Sends the files queued so far, even if fewer than a batch. */
  flush(): void {
    if (this.batch.length === 0) return;
    const jobs = this.batch;
    const answers = this.batchAnswers;
    this.batch = [];
    this.batchAnswers = [];
    const worker = this.pickWorker();
    if (!worker) {
      for (const answer of answers) this.settle(answer, null);
      return;
    }
    const id = this.nextId++;
    worker.batches.add(id);
    this.waiting.set(id, { worker, answers });
    worker.worker.ref();
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
    worker.worker.postMessage({ id, jobs });
  }

  /** Resolves once at most `count` files are unanswered (sending any partial batch first). */
  async waitUntilPendingAtMost(count: number): Promise<void> {
    this.flush();
    while (this.unanswered > count) {
      await new Promise<void>((resolve) => (this.onAnswer = resolve));
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((entry) => (entry.alive ? entry.worker.terminate() : undefined)));
  }

  private pickWorker(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const entry of this.workers) if (entry.alive && (!best || entry.batches.size < best.batches.size)) best = entry;
    return best;
  }

  private answer(id: number, results: readonly (string | null)[]): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    waiting.worker.batches.delete(id);
    if (waiting.worker.batches.size === 0) waiting.worker.worker.unref();
    waiting.answers.forEach((answer, i) => this.settle(answer, results[i] ?? null));
  }

  /** A worker that failed or exited: its unanswered files go back to the main thread. */
  private lose(entry: PoolWorker): void {
    if (!entry.alive) return;
    entry.alive = false;
    for (const id of entry.batches) this.answer(id, []);
  }

  private settle(answer: (json: string | null) => void, json: string | null): void {
    this.unanswered--;
    answer(json);
    const wake = this.onAnswer;
    this.onAnswer = undefined;
    wake?.();
  }
}
