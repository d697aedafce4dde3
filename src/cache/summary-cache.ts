import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { FileSummary } from '../types/summary.js';

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
  /** The summary as stored: parsed only when used, written back as is when unchanged. */
  json: string;
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
 */
export class SummaryCache {
  private readonly entries: Map<string, Entry>;
  private readonly used = new Set<string>();
  /** Entries made or updated in this run, in order. */
  private readonly fresh = new Set<string>();
  private changed = false;
  /** Lines in the file that a later line replaced or that were damaged: rewritten away once they are many. */
  private stale = 0;

  private constructor(
    private readonly file: string,
    private readonly key: string,
    entries: Map<string, Entry>,
    /** When the run that wrote the cache started. */
    private readonly writtenAt: number,
  ) {
    this.entries = entries;
  }

  /** Reads the cache of `dir`; a missing, damaged or differently configured one gives an empty cache. */
  static load(dir: string, key: string): SummaryCache {
    const file = path.join(dir, FILE_NAME);
    const entries = new Map<string, Entry>();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new SummaryCache(file, key, entries, 0);
    }
    const lines = text.split('\n');
    const header = parseHeader(lines[0]);
    if (!header || header.key !== key) return new SummaryCache(file, key, entries, 0);
    let stale = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '') continue;
      const entry = parseEntryLine(lines[i]);
      // A later line for the same file (appended by a later run) replaces the earlier one.
      if (!entry || entries.has(entry.path)) stale++;
      if (entry) entries.set(entry.path, { info: entry.info, json: entry.json });
    }
    const cache = new SummaryCache(file, key, entries, header.startedAt);
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
    return this.use(relativePath, entry);
  }

  /** The summary of a file whose text hashes as it did when cached. */
  getByHash(relativePath: string, hash: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs'>): FileSummary | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.info.hash !== hash) return undefined;
    const hit = this.use(relativePath, entry);
    if (!hit) return undefined;
    // Same text, new times (a checkout, a touch): record them, so the next run trusts the times again.
    if (entry.info.size !== stats.size || entry.info.mtimeMs !== stats.mtimeMs || entry.info.ctimeMs !== stats.ctimeMs) {
      entry.info = { ...entry.info, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
      this.fresh.add(relativePath);
      this.changed = true;
    }
    return hit.summary;
  }

  set(relativePath: string, info: CachedFileInfo, summary: FileSummary): void {
    this.entries.set(relativePath, { info, json: JSON.stringify(summary) });
    this.used.add(relativePath);
    this.fresh.add(relativePath);
    this.changed = true;
  }

  /**
   * Writes the cache when anything changed. A few changed files are appended to the file, each line with one
   * write (a line cut short by a crash is damaged, hence ignored); otherwise, or once replaced lines pile up, the
   * entries used by this run (deleted files drop out) go to a temporary file renamed over the old one, so a
   * reader never sees half a cache. Returns a reason when it could not be written; the analysis is complete anyway.
   */
  save(startedAt: number): string | undefined {
    const dropped = [...this.entries.keys()].filter((key) => !this.used.has(key)).length;
    if (!this.changed && dropped === 0) return undefined;
    const total = this.entries.size;
    if (this.writtenAt > 0 && dropped === 0 && this.fresh.size <= total / 10 && this.stale + this.fresh.size <= total / 4) {
      const appended = this.append();
      if (appended === undefined) return undefined;
    }
    const temporary = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    let fd: number | undefined;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      fd = openSync(temporary, 'w');
      // Written in batches: joining tens of megabytes into one string first would cost as much again.
      let batch = `${JSON.stringify({ format: FORMAT, key: this.key, startedAt })}\n`;
      for (const [relativePath, entry] of this.entries) {
        if (!this.used.has(relativePath)) continue;
        batch += toLine(relativePath, entry);
        if (batch.length > 1 << 20) {
          writeSync(fd, batch);
          batch = '';
        }
      }
      writeSync(fd, batch);
      closeSync(fd);
      fd = undefined;
      renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      try {
        if (fd !== undefined) closeSync(fd);
        rmSync(temporary, { force: true });
      } catch {
        // Nothing more to clean up.
      }
      return (error as Error).message;
    }
  }

  /** Appends the fresh entries; returns a reason when that failed (the caller then rewrites the file). */
  private append(): string | undefined {
    try {
      let text = '';
      for (const relativePath of this.fresh) {
        const entry = this.entries.get(relativePath);
        if (entry) text += toLine(relativePath, entry);
      }
      appendFileSync(this.file, text);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private use(relativePath: string, entry: Entry): { summary: FileSummary; info: CachedFileInfo } | undefined {
    const summary = parseSummary(entry.json, relativePath);
    if (!summary) {
      // A damaged entry: forget it; the file is summarised again.
      this.entries.delete(relativePath);
      this.changed = true;
      return undefined;
    }
    this.used.add(relativePath);
    return { summary, info: entry.info };
  }
}

function toLine(relativePath: string, entry: Entry): string {
  const { size, mtimeMs, ctimeMs, hash, iac } = entry.info;
  return `${JSON.stringify([relativePath, size, mtimeMs, ctimeMs, hash, iac ? 1 : 0])}\t${entry.json}\n`;
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
