import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import type { FileSummary } from '../types/summary.js';
import { trackTemporaryFile } from '../write-output.js';

/** What the cache knows of a file when its summary was made. */
export interface CachedFileInfo {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** SHA-1 of the text (see `hashText`). */
  hash: string;
  /** Whether an IaC analyzer reads this code file too (it must then be read even when its summary is cached). */
  iac: boolean;
}

interface Entry {
  info: CachedFileInfo;
  /** Parsed when the cache is loaded (or made in this run); written back as JSON when the cache is saved. */
  summary: FileSummary;
}

const FORMAT = 'lambda2sfn-summaries';
const FILE_NAME = 'summaries.ndjson';
/**
 * A file modified less than this before the run that cached it started is checked by content next time, not trusted
 * by its size and times: on a filesystem with coarse timestamps it could change again without its time changing.
 */
const RACY_MS = 2000;

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * File summaries of one analysed folder, kept between runs in one file: a header line (format, the key of the
 * analyzer configuration, when the run that wrote it started), then one line per source file, its path and stat
 * facts, a tab, and its summary as JSON. A file whose size and times are unchanged is not read again; one whose
 * text is unchanged is not parsed again. Anything unreadable in the cache file counts as a miss, never as an error.
 *
 * Memory: the file is read in chunks and each summary parsed as its line is read, so neither the file's text nor
 * the JSON of its entries is held (at 50,000 files that is 300 MB each). A run that finds no usable cache writes
 * each new summary to the new file as it is made, and keeps the summary read back from that JSON: it is a quarter
 * smaller in memory than the one the walk built (no string slices holding the source text, short strings shared).
 */
export class SummaryCache {
  private readonly entries: Map<string, Entry>;
  private readonly used = new Set<string>();
  /** Entries made or updated in this run, in order. */
  private readonly fresh = new Set<string>();
  private changed = false;
  /** Lines in the file that a later line replaced or that were damaged: rewritten away once they are many. */
  private stale = 0;
  /** A run without a usable cache writes the new file as it goes (see `set`). */
  private writer?: LineWriter;

  private constructor(
    private readonly file: string,
    private readonly key: string,
    entries: Map<string, Entry>,
    /** When the run that wrote the cache started. */
    private readonly writtenAt: number,
    /** When this run started (written in the header of the file it writes). */
    private readonly startedAt: number,
  ) {
    this.entries = entries;
  }

  /** Reads the cache of `dir`; a missing, damaged or differently configured one gives an empty cache. */
  static load(dir: string, key: string, startedAt: number): SummaryCache {
    const file = path.join(dir, FILE_NAME);
    const entries = new Map<string, Entry>();
    let header: { key: string; startedAt: number } | undefined;
    let stale = 0;
    const read = forEachLine(file, (line, index) => {
      if (index === 0) {
        header = parseHeader(line);
        return header?.key === key;
      }
      if (line === '') return true;
      const entry = parseEntryLine(line);
      const summary = entry && parseSummary(entry.json, entry.path);
      // A later line for the same file (appended by a later run) replaces the earlier one; a damaged one is a miss.
      if (!entry || !summary || entries.has(entry.path)) stale++;
      if (entry && summary) entries.set(entry.path, { info: entry.info, summary });
      else if (entry) entries.delete(entry.path);
      return true;
    });
    if (!read || !header || header.key !== key) return new SummaryCache(file, key, new Map(), 0, startedAt);
    const cache = new SummaryCache(file, key, entries, header.startedAt, startedAt);
    cache.stale = stale;
    return cache;
  }

  /** The summary of a file whose size and times are those it had when cached (and that was not changing then). */
  getByStat(relativePath: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs'>): { summary: FileSummary; info: CachedFileInfo } | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry) return undefined;
    const { info } = entry;
    if (info.size !== stats.size || info.mtimeMs !== stats.mtimeMs || info.ctimeMs !== stats.ctimeMs) return undefined;
    if (info.mtimeMs > this.writtenAt - RACY_MS || info.ctimeMs > this.writtenAt - RACY_MS) return undefined;
    this.used.add(relativePath);
    return entry;
  }

  /** The summary of a file whose text hashes as it did when cached. */
  getByHash(relativePath: string, hash: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs'>): FileSummary | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.info.hash !== hash) return undefined;
    this.used.add(relativePath);
    // Same text, new times (a checkout, a touch): record them, so the next run trusts the times again.
    if (entry.info.size !== stats.size || entry.info.mtimeMs !== stats.mtimeMs || entry.info.ctimeMs !== stats.ctimeMs) {
      entry.info = { ...entry.info, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
      this.fresh.add(relativePath);
      this.changed = true;
    }
    return entry.summary;
  }

  /**
   * Records a summary made in this run; returns the summary to keep. With no usable cache (a first run), the line
   * is written to the new cache file now and the summary read back from its JSON is returned: the same data, a
   * quarter smaller in memory.
   */
  set(relativePath: string, info: CachedFileInfo, summary: FileSummary): FileSummary {
    return this.writtenAt === 0 ? this.setJson(relativePath, info, JSON.stringify(summary)) : this.keep(relativePath, info, summary);
  }

  /** `set` for a summary made as JSON (by a worker thread): returns the summary read from it. */
  setJson(relativePath: string, info: CachedFileInfo, json: string): FileSummary {
    if (this.writtenAt === 0) {
      this.writer ??= new LineWriter(this.file, `${JSON.stringify({ format: FORMAT, key: this.key, startedAt: this.startedAt })}\n`);
      this.writer.write(toLine(relativePath, info, json));
    }
    return this.keep(relativePath, info, JSON.parse(json) as FileSummary);
  }

  private keep(relativePath: string, info: CachedFileInfo, summary: FileSummary): FileSummary {
    this.used.add(relativePath);
    this.changed = true;
    if (this.writtenAt !== 0) this.fresh.add(relativePath);
    this.entries.set(relativePath, { info, summary });
    return summary;
  }

  /**
   * Writes the cache when anything changed. A few changed files are appended to the file, each line with one
   * write (a line cut short by a crash is damaged, hence ignored); otherwise, or once replaced lines pile up, the
   * entries used by this run (deleted files drop out) go to a temporary file renamed over the old one, so a
   * reader never sees half a cache. Returns a reason when it could not be written; the analysis is complete anyway.
   */
  save(): string | undefined {
    // A first run: every entry is in the new file already.
    if (this.writer) return this.writer.finish();
    const dropped = [...this.entries.keys()].filter((key) => !this.used.has(key)).length;
    if (!this.changed && dropped === 0) return undefined;
    const total = this.entries.size;
    if (this.writtenAt > 0 && dropped === 0 && this.fresh.size <= total / 10 && this.stale + this.fresh.size <= total / 4) {
      const appended = this.append();
      if (appended === undefined) return undefined;
    }
    const writer = new LineWriter(this.file, `${JSON.stringify({ format: FORMAT, key: this.key, startedAt: this.startedAt })}\n`);
    for (const [relativePath, entry] of this.entries) {
      if (this.used.has(relativePath)) writer.write(toLine(relativePath, entry.info, JSON.stringify(entry.summary)));
    }
    return writer.finish();
  }

  /** Appends the fresh entries; returns a reason when that failed (the caller then rewrites the file). */
  private append(): string | undefined {
    try {
      let text = '';
      for (const relativePath of this.fresh) {
        const entry = this.entries.get(relativePath);
        if (entry) text += toLine(relativePath, entry.info, JSON.stringify(entry.summary));
      }
      appendFileSync(this.file, text);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

/**
 * Writes a new cache file: to a temporary file, in batches (joining tens of megabytes into one string first would
 * cost as much again), renamed over the old one when finished, so a reader never sees half a cache. The first
 * failure stops it and is reported by `finish`.
 */
class LineWriter {
  private readonly temporary: string;
  private fd?: number;
  private batch: string;
  private error?: string;
  /** A first run writes this file for its whole parse: an interrupt must not leave it behind. */
  private untrack?: () => void;

  constructor(
    private readonly file: string,
    header: string,
  ) {
    this.temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    this.batch = header;
  }

  /** Adds a line; false once writing has failed. */
  write(line: string): boolean {
    if (this.error !== undefined) return false;
    this.batch += line;
    if (this.batch.length > 1 << 20) this.flush();
    return this.error === undefined;
  }

  /** Renames the finished file into place; returns a reason when it could not be written. */
  finish(): string | undefined {
    this.flush();
    if (this.error === undefined) {
      try {
        closeSync(this.fd!);
        this.fd = undefined;
        renameSync(this.temporary, this.file);
        this.untrack?.();
      } catch (error) {
        this.error = (error as Error).message;
      }
    }
    if (this.error !== undefined) this.discard();
    return this.error;
  }

  private flush(): void {
    if (this.error !== undefined) return;
    try {
      if (this.fd === undefined) {
        mkdirSync(path.dirname(this.file), { recursive: true });
        this.untrack = trackTemporaryFile(this.temporary);
        this.fd = openSync(this.temporary, 'w');
      }
      writeSync(this.fd, this.batch);
      this.batch = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private discard(): void {
    this.batch = '';
    try {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
      rmSync(this.temporary, { force: true });
    } catch {
      // Nothing more to clean up.
    }
    this.untrack?.();
  }
}

/**
 * Calls `onLine` with each line of a file (index 0 first), reading it in chunks so that its whole text is never
 * one string; `onLine` returns false to stop. False when the file cannot be read.
 */
function forEachLine(file: string, onLine: (line: string, index: number) => boolean): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.allocUnsafe(1 << 22);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let index = 0;
    for (;;) {
      const bytes = readSync(fd, buffer, 0, buffer.length, null);
      const text = bytes > 0 ? rest + decoder.write(buffer.subarray(0, bytes)) : rest + decoder.end();
      const lines = text.split('\n');
      rest = bytes > 0 ? lines.pop()! : '';
      for (const line of lines) if (!onLine(line, index++)) return true;
      if (bytes === 0) return true;
    }
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function toLine(relativePath: string, info: CachedFileInfo, json: string): string {
  const { size, mtimeMs, ctimeMs, hash, iac } = info;
  return `${JSON.stringify([relativePath, size, mtimeMs, ctimeMs, hash, iac ? 1 : 0])}\t${json}\n`;
}

function parseHeader(line: string | undefined): { key: string; startedAt: number } | undefined {
  try {
    const header = JSON.parse(line ?? '') as { format?: unknown; key?: unknown; startedAt?: unknown };
    if (header.format !== FORMAT || typeof header.key !== 'string' || typeof header.startedAt !== 'number') return undefined;
    return { key: header.key, startedAt: header.startedAt };
  } catch {
    return undefined;
  }
}

function parseEntryLine(line: string): { path: string; info: CachedFileInfo; json: string } | undefined {
  const tab = line.indexOf('\t');
  if (tab < 0) return undefined;
  try {
    const meta = JSON.parse(line.slice(0, tab)) as unknown[];
    const [file, size, mtimeMs, ctimeMs, hash, iac] = meta;
    if (typeof file !== 'string' || typeof size !== 'number' || typeof mtimeMs !== 'number' || typeof ctimeMs !== 'number') return undefined;
    if (typeof hash !== 'string') return undefined;
    return { path: file, info: { size, mtimeMs, ctimeMs, hash, iac: iac === 1 }, json: line.slice(tab + 1) };
  } catch {
    return undefined;
  }
}

/** A stored summary, if it parses and has the shape of one for this file. */
function parseSummary(json: string, relativePath: string): FileSummary | undefined {
  try {
    const summary = JSON.parse(json) as FileSummary;
    const arrays = [summary.imports, summary.reexportAll, summary.scopes, summary.functions, summary.calls, summary.contexts, summary.moduleRefs, summary.diagnostics];
    if (summary.file !== relativePath || !arrays.every(Array.isArray)) return undefined;
    if (summary.constructions !== undefined && !Array.isArray(summary.constructions)) return undefined;
    if (typeof summary.exports !== 'object' || summary.exports === null || typeof summary.ownerRefs !== 'object' || summary.ownerRefs === null) return undefined;
    return summary;
  } catch {
    return undefined;
  }
}
