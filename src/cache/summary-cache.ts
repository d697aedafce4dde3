import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types/diagnostics.js';
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
  /** Made in this run, or parsed from `json` when first read. */
  summary?: FileSummary;
  /** The bytes of its JSON in the cache file: decoded and parsed only when a stage reads the summary (see SummaryMap). */
  json?: Buffer;
  /** The summary's diagnostics, kept on the entry's index line: every run reports them, parsed or not. */
  diagnostics: Diagnostic[];
}

/** A summary from the cache: its diagnostics, and the summary itself, parsed when `load` is called (undefined: damaged). */
export interface CachedSummary {
  diagnostics: Diagnostic[];
  load(): FileSummary | undefined;
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
 * Memory: the file is kept as bytes, outside the JavaScript heap, and a summary's JSON is decoded and parsed only
 * when a stage reads it (`CachedSummary.load`), so a re-run holds as objects only the summaries it needs (at 50,000
 * files the file's text is 300 MB as one string). A run that finds no usable cache writes
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
        header = parseHeader(line.toString('utf8'));
        return header?.key === key;
      }
      if (line.length === 0) return true;
      const entry = parseEntryLine(line);
      // Parsed when read (see CachedSummary); a line cut short is seen now, a summary damaged inside when parsed.
      const whole = entry !== undefined && entry.json[0] === 0x7b && entry.json[entry.json.length - 1] === 0x7d;
      // A later line for the same file (appended by a later run) replaces the earlier one; a damaged one is a miss.
      if (!entry || !whole || entries.has(entry.path)) stale++;
      if (entry && whole) entries.set(entry.path, { info: entry.info, json: entry.json, diagnostics: entry.diagnostics });
      else if (entry) entries.delete(entry.path);
      return true;
    });
    if (!read || !header || header.key !== key) return new SummaryCache(file, key, new Map(), 0, startedAt);
    const cache = new SummaryCache(file, key, entries, header.startedAt, startedAt);
    cache.stale = stale;
    return cache;
  }

  /** The summary of a file whose size and times are those it had when cached (and that was not changing then). */
  getByStat(relativePath: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs'>): { summary: CachedSummary; info: CachedFileInfo } | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry) return undefined;
    const { info } = entry;
    if (info.size !== stats.size || info.mtimeMs !== stats.mtimeMs || info.ctimeMs !== stats.ctimeMs) return undefined;
    if (info.mtimeMs > this.writtenAt - RACY_MS || info.ctimeMs > this.writtenAt - RACY_MS) return undefined;
    this.used.add(relativePath);
    return { summary: this.toCached(relativePath, entry), info };
  }

  private toCached(relativePath: string, entry: Entry): CachedSummary {
    return {
      diagnostics: entry.diagnostics,
      load: () => {
        if (!entry.summary && entry.json !== undefined) {
          // Damaged inside (rare: a line cut short is seen on loading): the caller makes the summary again.
          entry.summary = parseSummary(entry.json.toString('utf8'), relativePath);
          if (entry.summary) entry.json = undefined;
        }
        return entry.summary;
      },
    };
  }

  /** The summary of a file whose text hashes as it did when cached. */
  getByHash(relativePath: string, hash: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs'>): CachedSummary | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.info.hash !== hash) return undefined;
    this.used.add(relativePath);
    // Same text, new times (a checkout, a touch): record them, so the next run trusts the times again.
    if (entry.info.size !== stats.size || entry.info.mtimeMs !== stats.mtimeMs || entry.info.ctimeMs !== stats.ctimeMs) {
      entry.info = { ...entry.info, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
      this.fresh.add(relativePath);
      this.changed = true;
    }
    return this.toCached(relativePath, entry);
  }

  /** The content hash of a file's cached summary (incremental resolution compares it with the one it resolved). */
  getHash(relativePath: string): string | undefined {
    return this.entries.get(relativePath)?.info.hash;
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
    const summary = JSON.parse(json) as FileSummary;
    if (this.writtenAt === 0) {
      this.writer ??= new LineWriter(this.file, this.header());
      this.writer.write(toLine(relativePath, info, json, summary.diagnostics));
    }
    return this.keep(relativePath, info, summary);
  }

  /** The first line of a cache file this run writes. */
  private header(): string {
    return `${JSON.stringify({ format: FORMAT, key: this.key, startedAt: this.startedAt })}\n`;
  }

  private keep(relativePath: string, info: CachedFileInfo, summary: FileSummary): FileSummary {
    this.used.add(relativePath);
    this.changed = true;
    if (this.writtenAt !== 0) this.fresh.add(relativePath);
    this.entries.set(relativePath, { info, summary, diagnostics: summary.diagnostics });
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
    const writer = new LineWriter(this.file, this.header());
    for (const [relativePath, entry] of this.entries) {
      if (this.used.has(relativePath)) writer.write(toEntryLine(relativePath, entry));
    }
    return writer.finish();
  }

  /** Appends the fresh entries; returns a reason when that failed (the caller then rewrites the file). */
  private append(): string | undefined {
    try {
      let text = '';
      for (const relativePath of this.fresh) {
        const entry = this.entries.get(relativePath);
        if (entry) text += toEntryLine(relativePath, entry);
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
 * Calls `onLine` with the bytes of each line of a file (index 0 first), never decoding the file into one string
 * (at 50,000 files it is 300 MB); `onLine` returns false to stop. False when the file cannot be read. The lines are
 * views of the file's bytes, which stay in memory (outside the JavaScript heap) while a line is kept.
 */
function forEachLine(file: string, onLine: (line: Buffer, index: number) => boolean): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  let index = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    if (!onLine(bytes.subarray(start, end), index++)) return true;
    start = end + 1;
  }
  return true;
}

function toLine(relativePath: string, info: CachedFileInfo, json: string, diagnostics: readonly Diagnostic[]): string {
  const { size, mtimeMs, ctimeMs, hash, iac } = info;
  return `${JSON.stringify([relativePath, size, mtimeMs, ctimeMs, hash, iac ? 1 : 0, diagnostics])}\t${json}\n`;
}

/** An entry's line: its JSON as read when it was never parsed. */
function toEntryLine(relativePath: string, entry: Entry): string {
  return toLine(relativePath, entry.info, entry.json?.toString('utf8') ?? JSON.stringify(entry.summary), entry.diagnostics);
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

function parseEntryLine(line: Buffer): { path: string; info: CachedFileInfo; json: Buffer; diagnostics: Diagnostic[] } | undefined {
  const tab = line.indexOf(0x09);
  if (tab < 0) return undefined;
  try {
    const meta = JSON.parse(line.toString('utf8', 0, tab)) as unknown[];
    const [file, size, mtimeMs, ctimeMs, hash, iac, diagnostics] = meta;
    if (typeof file !== 'string' || typeof size !== 'number' || typeof mtimeMs !== 'number' || typeof ctimeMs !== 'number') return undefined;
    if (typeof hash !== 'string' || !Array.isArray(diagnostics)) return undefined;
    return { path: file, info: { size, mtimeMs, ctimeMs, hash, iac: iac === 1 }, json: line.subarray(tab + 1), diagnostics: diagnostics as Diagnostic[] };
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
