import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { trackTemporaryFile } from '../write-output.js';

/** Where a line is in a file: the byte offset of its start and its length in bytes, newline excluded. */
export interface LinePlace {
  offset: number;
  length: number;
}

/**
 * A cached run reads a few lines of the summaries file, each with a positioned read; once this many were read, the
 * run reads the whole file instead (a run that resolves everything again reads every line).
 */
const WHOLE_FILE_AFTER = 64;

/**
 * Reads lines of a file by their place without reading the rest: one positioned read each, until many are asked
 * for; then the whole file once, as bytes outside the JavaScript heap. A line that is not there (a file cut short
 * or replaced) is undefined; the caller checks that a line is the one it expected.
 */
export class LineReader {
  private reads = 0;

  constructor(
    private readonly file: string,
    /** The file's bytes, when they were read already. */
    private bytes?: Buffer,
  ) {}

  line(place: LinePlace): Buffer | undefined {
    const end = place.offset + place.length;
    if (!this.bytes && ++this.reads > WHOLE_FILE_AFTER) this.bytes = readOrUndefined(this.file);
    if (this.bytes) return end <= this.bytes.length ? this.bytes.subarray(place.offset, end) : undefined;
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const line = Buffer.allocUnsafe(place.length);
      return readSync(fd, line, 0, place.length, place.offset) === place.length ? line : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** The first line of a file (its header), read without reading the rest, and the file's size; undefined when unreadable. */
export function readFirstLine(file: string, maxBytes = 64 * 1024): { line: string; size: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, size));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, read).indexOf(0x0a);
    return newline < 0 ? undefined : { line: buffer.toString('utf8', 0, newline), size };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Calls `onLine` with the bytes and the place of each line of a file (index 0 first), never decoding the file into
 * one string (at 50,000 files it is 300 MB); `onLine` returns false to stop. Returns the file's bytes (the lines are
 * views of them), or undefined when the file cannot be read.
 */
export function forEachLine(file: string, onLine: (line: Buffer, index: number, place: LinePlace) => boolean): Buffer | undefined {
  const bytes = readOrUndefined(file);
  if (!bytes) return undefined;
  let index = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    if (!onLine(bytes.subarray(start, end), index++, { offset: start, length: end - start })) break;
    start = end + 1;
  }
  return bytes;
}

/**
 * Writes a new cache file: to a temporary file, in batches (joining tens of megabytes into one string first would
 * cost as much again), renamed over the old one when finished, so a reader never sees half a cache. Knows where
 * each line it wrote starts. The first failure stops it and is reported by `finish`.
 */
export class LineWriter {
  private readonly temporary: string;
  private fd?: number;
  private batch: string;
  private error?: string;
  /** Bytes written or batched so far. */
  private size: number;
  /** A first run writes this file for its whole parse: an interrupt must not leave it behind. */
  private untrack?: () => void;

  constructor(
    private readonly file: string,
    header: string,
  ) {
    this.temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    this.batch = header;
    this.size = Buffer.byteLength(header);
  }

  /** Adds a line (ending with a newline); returns its place, or undefined once writing has failed. */
  write(line: string): LinePlace | undefined {
    if (this.error !== undefined) return undefined;
    const length = Buffer.byteLength(line);
    const place = { offset: this.size, length: length - 1 };
    this.size += length;
    this.batch += line;
    if (this.batch.length > 1 << 20) this.flush();
    return this.error === undefined ? place : undefined;
  }

  /** The size of the file once finished. */
  get bytesWritten(): number {
    return this.size;
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
 * Writes a whole cache file at once: to a temporary file renamed over the old one, so a reader never sees half of
 * it, and an interrupt removes the temporary file. Returns a reason when it could not be written.
 */
export function writeCacheFile(file: string, text: string): string | undefined {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const untrack = trackTemporaryFile(temporary);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    return undefined;
  } catch (error) {
    rmSync(temporary, { force: true });
    return (error as Error).message;
  } finally {
    untrack();
  }
}

/**
 * Appends lines to a file with one write; returns the place of each and the file's new size, or a reason when it
 * failed. The offsets come from the file's size when opened, so lines appended by another run meanwhile are counted.
 */
export function appendLines(file: string, lines: readonly string[]): { places: LinePlace[]; size: number } | string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'a');
    let offset = fstatSync(fd).size;
    const places: LinePlace[] = [];
    for (const line of lines) {
      const length = Buffer.byteLength(line);
      places.push({ offset, length: length - 1 });
      offset += length;
    }
    writeSync(fd, lines.join(''));
    return { places, size: offset };
  } catch (error) {
    return (error as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
