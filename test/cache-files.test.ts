import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendLines, forEachLine, LineReader, LineWriter, readFirstLine, type LinePlace } from '../src/cache/cache-lines.js';
import { appendSummaryIndex, readSummaryIndex, writeSummaryIndex, type IndexEntry } from '../src/cache/summary-index.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-cache-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const newFile = (name: string) => path.join(scratch, `${++counter}-${name}`);

/** Lines of different lengths, some with characters of several bytes in UTF-8. */
const lines = Array.from({ length: 150 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}${'x'.repeat(i)}`);

function entry(file: string, hash: string, offset: number): IndexEntry {
  return { path: file, info: { size: 1, mtimeMs: 2, ctimeMs: 3, hash, iac: false }, diagnostics: [], place: { offset, length: 10 } };
}

describe('the cache files', () => {
  it('a line written or appended is read back at its place, by positioned reads and, after many, from the whole file', () => {
    const file = newFile('lines.ndjson');
    const writer = new LineWriter(file, 'header\n');
    const places: (LinePlace | undefined)[] = lines.slice(0, 100).map((line) => writer.write(`${line}\n`));
    expect(writer.finish()).toBeUndefined();
    const appended = appendLines(file, lines.slice(100).map((line) => `${line}\n`));
    if (typeof appended === 'string') throw new Error(appended);
    places.push(...appended.places);
    expect(appended.size).toBe(readFileSync(file).length);
    expect(readFirstLine(file)).toEqual({ line: 'header', size: appended.size });
    // 150 reads: the first 64 positioned, the rest from the whole file read once.
    const reader = new LineReader(file);
    expect(places.map((place) => reader.line(place!)?.toString('utf8'))).toEqual(lines);
    // The same places as a scan of the whole file finds.
    const scanned: LinePlace[] = [];
    forEachLine(file, (_line, index, place) => (index > 0 && scanned.push(place), true));
    expect(scanned).toEqual(places);
  });

  it('a place past the end of the file (cut short) is no line, never an error', () => {
    const file = newFile('short.ndjson');
    writeFileSync(file, 'header\nabc\n');
    expect(new LineReader(file).line({ offset: 7, length: 3 })?.toString()).toBe('abc');
    expect(new LineReader(file).line({ offset: 7, length: 30 })).toBeUndefined();
    expect(new LineReader(newFile('missing')).line({ offset: 0, length: 1 })).toBeUndefined();
    expect(readFirstLine(newFile('missing'))).toBeUndefined();
  });

  it('the summary index: appended batches replace earlier entries and drop deleted files; a batch cut short, another key or format is no index', () => {
    const file = newFile('index.ndjson');
    expect(writeSummaryIndex(file, 'key', { id: 'one', size: 100, lines: 2, entries: [entry('a.ts', 'h1', 10), entry('b.ts', 'h2', 20)] })).toBeUndefined();
    expect(appendSummaryIndex(file, 130, 3, [entry('a.ts', 'h3', 110)])).toBeUndefined();
    expect(appendSummaryIndex(file, 140, 4, [entry('c.ts', 'h4', 130)], ['b.ts'])).toBeUndefined();
    const index = readSummaryIndex(file, 'key');
    expect(index && { ...index, entries: index.entries.map((item) => [item.path, item.info.hash, item.place.offset]) }).toEqual({
      id: 'one',
      size: 140,
      lines: 4,
      entries: [
        ['a.ts', 'h3', 110],
        ['c.ts', 'h4', 130],
      ],
    });
    expect(readSummaryIndex(file, 'another key')).toBeUndefined();
    appendFileSync(file, '{"size":150,"lines":4,"entries":[["c.ts",1,2');
    expect(readSummaryIndex(file, 'key')).toBeUndefined();
    writeFileSync(file, '{"format":"something else","key":"key","id":"one"}\n{"size":1,"lines":0,"entries":[]}\n');
    expect(readSummaryIndex(file, 'key')).toBeUndefined();
  });
});
