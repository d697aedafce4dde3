import { appendFileSync, readFileSync } from 'node:fs';
import type { Diagnostic } from '../types/diagnostics.js';
import { writeCacheFile, type LinePlace } from './cache-lines.js';
import type { CachedFileInfo } from './summary-cache.js';

const FORMAT = 'lambda2sfn-summary-index';

/** What the index says of one file: its stat facts and hash, its summary's diagnostics, where its line is. */
export interface IndexEntry {
  path: string;
  info: CachedFileInfo;
  diagnostics: Diagnostic[];
  place: LinePlace;
}

/** The index of one summaries file (named by the id in its header), as of the size it gives. */
export interface SummaryIndex {
  id: string;
  /** The summaries file's size when the index was last written: another size means the index is out of date. */
  size: number;
  /** Entry lines in the summaries file, replaced ones included. */
  lines: number;
  entries: IndexEntry[];
}

/**
 * The index of `summaries.ndjson` (see SummaryCache), kept in `summaries.index.ndjson`: a header line (format, key,
 * the id of the summaries file), then batches, one a line: the summaries file's size and line count after the
 * batch, the entries it adds or replaces, and the files it drops (deleted since). A run that appends a few summaries appends one batch; a run that
 * rewrites the summaries file rewrites the index with one batch of all entries. A line cut short, a missing file, or
 * another key: no index (the summaries file is then read whole).
 */
export function readSummaryIndex(file: string, key: string): SummaryIndex | undefined {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    if (lines.length < 3 || lines[lines.length - 1] !== '') return undefined;
    const header = JSON.parse(lines[0]) as { format?: unknown; key?: unknown; id?: unknown };
    if (header.format !== FORMAT || header.key !== key || typeof header.id !== 'string') return undefined;
    const byPath = new Map<string, IndexEntry>();
    let size = 0;
    let count = 0;
    for (const line of lines.slice(1, -1)) {
      const batch = JSON.parse(line) as { size?: unknown; lines?: unknown; entries?: unknown; deleted?: unknown };
      if (typeof batch.size !== 'number' || typeof batch.lines !== 'number' || !Array.isArray(batch.entries)) return undefined;
      if (batch.deleted !== undefined && !Array.isArray(batch.deleted)) return undefined;
      for (const gone of (batch.deleted ?? []) as unknown[]) byPath.delete(String(gone));
      for (const item of batch.entries as unknown[]) {
        const entry = toIndexEntry(item);
        if (!entry) return undefined;
        byPath.set(entry.path, entry);
      }
      size = batch.size;
      count = batch.lines;
    }
    return { id: header.id, size, lines: count, entries: [...byPath.values()] };
  } catch {
    return undefined;
  }
}

/** Writes a whole index (temporary file, rename); returns a reason when it could not. */
export function writeSummaryIndex(file: string, key: string, index: SummaryIndex): string | undefined {
  return writeCacheFile(file, `${JSON.stringify({ format: FORMAT, key, id: index.id })}\n${toBatchLine(index.size, index.lines, index.entries)}`);
}

/** Appends a batch of entries added or replaced since, and of files gone; returns a reason when it could not. */
export function appendSummaryIndex(file: string, size: number, lines: number, entries: readonly IndexEntry[], deleted: readonly string[] = []): string | undefined {
  try {
    appendFileSync(file, toBatchLine(size, lines, entries, deleted));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function toBatchLine(size: number, lines: number, entries: readonly IndexEntry[], deleted: readonly string[] = []): string {
  const items = entries.map(({ path, info, diagnostics, place }) => [path, info.size, info.mtimeMs, info.ctimeMs, info.hash, info.iac ? 1 : 0, diagnostics, place.offset, place.length]);
  return `${JSON.stringify({ size, lines, entries: items, ...(deleted.length > 0 ? { deleted } : {}) })}\n`;
}

function toIndexEntry(item: unknown): IndexEntry | undefined {
  if (!Array.isArray(item) || item.length !== 9) return undefined;
  const [path, size, mtimeMs, ctimeMs, hash, iac, diagnostics, offset, length] = item as unknown[];
  if (typeof path !== 'string' || typeof size !== 'number' || typeof mtimeMs !== 'number' || typeof ctimeMs !== 'number' || typeof hash !== 'string') return undefined;
  if (!Array.isArray(diagnostics) || typeof offset !== 'number' || typeof length !== 'number') return undefined;
  return { path, info: { size, mtimeMs, ctimeMs, hash, iac: iac === 1 }, diagnostics: diagnostics as Diagnostic[], place: { offset, length } };
}
