import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
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
  private changed = false;

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
    for (let i = 1; i < lines.length; i++) {
      const entry = parseEntryLine(lines[i]);
      if (entry) entries.set(entry.path, { info: entry.info, json: entry.json });
    }
    return new SummaryCache(file, key, entries, header.startedAt);
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
      this.changed = true;
    }
    return hit.summary;
  }

  set(relativePath: string, info: CachedFileInfo, summary: FileSummary): void {
    this.entries.set(relativePath, { info, json: JSON.stringify(summary) });
    this.used.add(relativePath);
    this.changed = true;
  }

  /**
   * Writes the cache when anything changed: the entries used by this run only (deleted files drop out), to a
   * temporary file renamed over the old one, so a reader never sees half a cache. Returns a reason when it could
   * not be written; the analysis itself is complete either way.
   */
  save(startedAt: number): string | undefined {
    const dropped = [...this.entries.keys()].some((key) => !this.used.has(key));
    if (!this.changed && !dropped) return undefined;
    const lines = [JSON.stringify({ format: FORMAT, key: this.key, startedAt })];
    for (const [relativePath, entry] of this.entries) {
      if (!this.used.has(relativePath)) continue;
      const { size, mtimeMs, ctimeMs, hash, iac } = entry.info;
      lines.push(`${JSON.stringify([relativePath, size, mtimeMs, ctimeMs, hash, iac ? 1 : 0])}\t${entry.json}`);
    }
    const temporary = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temporary, `${lines.join('\n')}\n`);
      renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      rmSync(temporary, { force: true });
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
    if (typeof summary.exports !== 'object' || summary.exports === null || typeof summary.ownerRefs !== 'object' || summary.ownerRefs === null) return undefined;
    return summary;
  } catch {
    return undefined;
  }
}
