import { createHash, randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types/diagnostics.js';
import type { FileSummary } from '../types/summary.js';
import { appendLines, forEachLine, LineReader, LineWriter, readFirstLine, type LinePlace } from './cache-lines.js';
import { appendSummaryIndex, readSummaryIndex, writeSummaryIndex, type IndexEntry } from './summary-index.js';

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
  /** Made in this run, or parsed from its line in the cache file when first read. */
  summary?: FileSummary;
  /** Where its line is in the cache file (undefined: not written yet). */
  place?: LinePlace;
  /** The summary's diagnostics, kept in the index: every run reports them, parsed or not. */
  diagnostics: Diagnostic[];
}

/** A summary from the cache: its diagnostics, and the summary itself, parsed when `load` is called (undefined: damaged). */
export interface CachedSummary {
  diagnostics: Diagnostic[];
  load(): FileSummary | undefined;
}

const FORMAT = 'lambda2sfn-summaries';
const FILE_NAME = 'summaries.ndjson';
const INDEX_NAME = 'summaries.index.ndjson';
/**
 * A file modified less than this before the run that cached it started is checked by content next time, not trusted
 * by its size and times: on a filesystem with coarse timestamps it could change again without its time changing.
 */
const RACY_MS = 2000;

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/** The header line of a summaries file. `id` names this file, so that an index made for another one is not used. */
interface Header {
  key: string;
  startedAt: number;
  id: string;
}

/**
 * File summaries of one analysed folder, kept between runs in two files:
 * - `summaries.ndjson`: a header line (format, the key of the analyzer configuration, when the run that wrote it
 *   started, an id), then one line per source file, its path and stat facts, a tab, and its summary as JSON;
 * - `summaries.index.ndjson` (summary-index.ts): the id and size of that file, and each file's path, stat facts, diagnostics and the
 *   place of its line.
 * A run reads the index, then only the lines of the summaries its stages read (a re-run after a one-file change
 * reads a few of the 10,000), so a re-run neither reads the whole summaries file nor holds it in memory. Without a
 * usable index (missing, damaged, made for another summaries file) the summaries file is read whole, as before.
 *
 * A file whose size and times are unchanged is not read again; one whose text is unchanged is not parsed again.
 * Anything unreadable in the cache counts as a miss, never as an error. A run that finds no usable cache writes
 * each new summary to the new file as it is made, and keeps the summary read back from that JSON: it is a quarter
 * smaller in memory than the one the walk built (no string slices holding the source text, short strings shared).
 */
export class SummaryCache {
  private readonly entries: Map<string, Entry>;
  private readonly used = new Set<string>();
  /** Entries made or updated in this run, in order. */
  private readonly fresh = new Set<string>();
  private changed = false;
  /** The index does not describe the summaries file (it was missing or damaged): write it even if nothing changed. */
  private indexStale = false;
  /** Lines in the file that a later line replaced or that were damaged: rewritten away once they are many. */
  private stale = 0;
  /** A run without a usable cache writes the new file as it goes (see `set`). */
  private writer?: LineWriter;
  /** The id of the summaries file this run writes, if it writes one. */
  private readonly newId = randomUUID();

  private constructor(
    private readonly dir: string,
    private readonly key: string,
    entries: Map<string, Entry>,
    /** The summaries file being read, with its header (undefined: none usable). */
    private data: { header: Header; size: number; reader: LineReader } | undefined,
    /** When this run started (written in the header of the file it writes). */
    private readonly startedAt: number,
  ) {
    this.entries = entries;
  }

  /** When the run that wrote the summaries file started (0: there is none). */
  private get writtenAt(): number {
    return this.data?.header.startedAt ?? 0;
  }

  private get file(): string {
    return path.join(this.dir, FILE_NAME);
  }

  /** Reads the cache of `dir`; a missing, damaged or differently configured one gives an empty cache. */
  static load(dir: string, key: string, startedAt: number): SummaryCache {
    return SummaryCache.loadIndexed(dir, key, startedAt) ?? SummaryCache.loadWhole(dir, key, startedAt);
  }

  /** The cache through its index, reading nothing of the summaries file but its header; undefined when unusable. */
  private static loadIndexed(dir: string, key: string, startedAt: number): SummaryCache | undefined {
    const file = path.join(dir, FILE_NAME);
    const index = readSummaryIndex(path.join(dir, INDEX_NAME), key);
    const first = index && readFirstLine(file);
    const header = first && parseHeader(first.line);
    if (!index || !first || !header || header.key !== key || header.id !== index.id || first.size !== index.size) return undefined;
    const entries = new Map<string, Entry>();
    for (const { path: relativePath, info, diagnostics, place } of index.entries) entries.set(relativePath, { info, diagnostics, place });
    const cache = new SummaryCache(dir, key, entries, { header, size: first.size, reader: new LineReader(file) }, startedAt);
    cache.stale = index.lines - entries.size;
    return cache;
  }

  /** The cache from the whole summaries file (no usable index): the index is written at the end of the run. */
  private static loadWhole(dir: string, key: string, startedAt: number): SummaryCache {
    const file = path.join(dir, FILE_NAME);
    const entries = new Map<string, Entry>();
    let header: Header | undefined;
    let stale = 0;
    const bytes = forEachLine(file, (line, index, place) => {
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
      if (entry && whole) entries.set(entry.path, { info: entry.info, diagnostics: entry.diagnostics, place });
      else if (entry) entries.delete(entry.path);
      return true;
    });
    if (!bytes || !header || header.key !== key) return new SummaryCache(dir, key, new Map(), undefined, startedAt);
    const cache = new SummaryCache(dir, key, entries, { header, size: bytes.length, reader: new LineReader(file, bytes) }, startedAt);
    cache.stale = stale;
    cache.indexStale = true;
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
        if (!entry.summary) {
          // Damaged (rare: the file was cut short or replaced, or the line inside): the caller makes the summary again.
          const json = this.readJson(relativePath, entry);
          entry.summary = json === undefined ? undefined : parseSummary(json.toString('utf8'), relativePath);
        }
        return entry.summary;
      },
    };
  }

  /** The JSON of an entry's summary in the summaries file, if its line is there and is this file's, with this hash. */
  private readJson(relativePath: string, entry: Entry): Buffer | undefined {
    const line = entry.place && this.data?.reader.line(entry.place);
    const stored = line && parseEntryLine(line);
    return stored && stored.path === relativePath && stored.info.hash === entry.info.hash ? stored.json : undefined;
  }

  /** The content hash of a file's cached summary (incremental resolution compares it with the one it resolved). */
  getHash(relativePath: string): string | undefined {
    return this.entries.get(relativePath)?.info.hash;
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

  /**
   * Records a summary made in this run; returns the summary to keep. With no usable cache (a first run), the line
   * is written to the new cache file now and the summary read back from its JSON is returned: the same data, a
   * quarter smaller in memory.
   */
  set(relativePath: string, info: CachedFileInfo, summary: FileSummary): FileSummary {
    return this.writtenAt === 0 ? this.setJson(relativePath, info, JSON.stringify(summary)) : this.keep(relativePath, info, summary).summary!;
  }

  /** `set` for a summary made as JSON (by a worker thread): returns the summary read from it. */
  setJson(relativePath: string, info: CachedFileInfo, json: string): FileSummary {
    const summary = JSON.parse(json) as FileSummary;
    const entry = this.keep(relativePath, info, summary);
    if (this.writtenAt === 0) {
      this.writer ??= new LineWriter(this.file, this.header());
      entry.place = this.writer.write(toLine(relativePath, info, json, summary.diagnostics));
    }
    return summary;
  }

  /** The first line of the summaries file this run writes (a run writes one at most: its first, or a rewrite). */
  private header(): string {
    return `${JSON.stringify({ format: FORMAT, key: this.key, startedAt: this.startedAt, id: this.newId })}\n`;
  }

  private keep(relativePath: string, info: CachedFileInfo, summary: FileSummary): Entry {
    this.used.add(relativePath);
    this.changed = true;
    if (this.writtenAt !== 0) this.fresh.add(relativePath);
    const entry: Entry = { info, summary, diagnostics: summary.diagnostics };
    this.entries.set(relativePath, entry);
    return entry;
  }

  /**
   * Writes the cache when anything changed. A few changed files are appended to the summaries file with one write
   * (a line cut short by a crash is damaged, hence ignored), and a few deleted ones dropped from the index;
   * otherwise, or once replaced lines pile up, the entries used by this run (deleted files drop out) go to a
   * temporary file renamed over the old one, so a reader never sees half a cache. The index is written last (temporary file, rename): an index that does not match the summaries
   * file is not used. Returns a reason when the cache could not be written; the analysis is complete anyway.
   */
  save(): string | undefined {
    // A first run: every entry is in the new file already.
    if (this.writer) return this.finishWriting(this.writer);
    const dropped = [...this.entries.keys()].filter((key) => !this.used.has(key));
    if (!this.changed && dropped.length === 0) return this.indexStale ? this.saveIndex() : undefined;
    const total = this.entries.size;
    const changes = this.fresh.size + dropped.length;
    if (this.data && changes <= total / 10 && this.stale + changes <= total / 4) {
      const appended = this.append();
      if (appended) {
        // Files gone leave their lines behind, unread: dropped from the index, rewritten away with the stale ones.
        for (const file of dropped) this.entries.delete(file);
        this.stale += dropped.length;
        // The index is appended to as well, unless it must be written whole (it was missing or out of date).
        return this.indexStale ? this.saveIndex() : appendSummaryIndex(this.indexFile, this.data.size, this.entries.size + this.stale, appended, dropped);
      }
    }
    const writer = new LineWriter(this.file, this.header());
    const places = new Map<string, LinePlace | undefined>();
    for (const [relativePath, entry] of this.entries) {
      if (!this.used.has(relativePath)) continue;
      const line = this.toEntryLine(relativePath, entry);
      // A line that cannot be read back any more is left out: the file is parsed again next time.
      if (line !== undefined) places.set(relativePath, writer.write(line));
    }
    return this.finishWriting(writer, places);
  }

  /**
   * Renames a new summaries file into place, then writes its index. `places`: where each entry's line is in the new
   * file (a first run records them as it writes); entries not in it are not in the new file.
   */
  private finishWriting(writer: LineWriter, places?: ReadonlyMap<string, LinePlace | undefined>): string | undefined {
    const failed = writer.finish();
    if (failed !== undefined) return failed;
    for (const [relativePath, entry] of this.entries) {
      if (places) entry.place = places.get(relativePath);
      if (!entry.place) this.entries.delete(relativePath);
    }
    this.data = { header: { key: this.key, startedAt: this.startedAt, id: this.newId }, size: writer.bytesWritten, reader: new LineReader(this.file) };
    this.stale = 0;
    return this.saveIndex();
  }

  /** Appends the fresh entries; returns their index entries, or undefined when that failed (the caller then rewrites the file). */
  private append(): IndexEntry[] | undefined {
    const fresh = [...this.fresh].flatMap((relativePath) => {
      const entry = this.entries.get(relativePath);
      const line = entry && this.toEntryLine(relativePath, entry);
      return entry && line !== undefined ? [{ relativePath, entry, line }] : [];
    });
    const appended = appendLines(this.file, fresh.map(({ line }) => line));
    if (typeof appended === 'string') return undefined;
    this.stale += fresh.length;
    this.data = { ...this.data!, size: appended.size };
    return fresh.map(({ relativePath, entry }, i) => {
      entry.place = appended.places[i];
      return toIndexEntry(relativePath, entry, entry.place);
    });
  }

  /** Writes the whole index of the summaries file (temporary file, rename). */
  private saveIndex(): string | undefined {
    if (!this.data) return undefined;
    const entries: IndexEntry[] = [];
    for (const [relativePath, entry] of this.entries) {
      if (entry.place) entries.push(toIndexEntry(relativePath, entry, entry.place));
    }
    const failed = writeSummaryIndex(this.indexFile, this.key, { id: this.data.header.id, size: this.data.size, lines: entries.length + this.stale, entries });
    if (failed === undefined) this.indexStale = false;
    return failed;
  }

  private get indexFile(): string {
    return path.join(this.dir, INDEX_NAME);
  }

  /** An entry's line for the summaries file: its summary as made, or its JSON as stored (undefined: unreadable now). */
  private toEntryLine(relativePath: string, entry: Entry): string | undefined {
    const json = entry.summary ? JSON.stringify(entry.summary) : this.readJson(relativePath, entry)?.toString('utf8');
    return json === undefined ? undefined : toLine(relativePath, entry.info, json, entry.diagnostics);
  }
}

function toIndexEntry(relativePath: string, entry: Entry, place: LinePlace): IndexEntry {
  return { path: relativePath, info: entry.info, diagnostics: entry.diagnostics, place };
}

function toLine(relativePath: string, info: CachedFileInfo, json: string, diagnostics: readonly Diagnostic[]): string {
  const { size, mtimeMs, ctimeMs, hash, iac } = info;
  return `${JSON.stringify([relativePath, size, mtimeMs, ctimeMs, hash, iac ? 1 : 0, diagnostics])}\t${json}\n`;
}


function parseHeader(line: string | undefined): Header | undefined {
  try {
    const header = JSON.parse(line ?? '') as { format?: unknown; key?: unknown; startedAt?: unknown; id?: unknown };
    if (header.format !== FORMAT || typeof header.key !== 'string' || typeof header.startedAt !== 'number' || typeof header.id !== 'string') return undefined;
    return { key: header.key, startedAt: header.startedAt, id: header.id };
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
