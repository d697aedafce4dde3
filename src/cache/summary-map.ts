import type { FileSummary } from '../types/summary.js';

/**
 * The summaries of a run, by file, in the order the files were read. A summary from the cache is kept as its JSON
 * and parsed when first read: a re-run that resolves only what a change can affect reads a few of them, and parsing
 * all of them was most of its time (and of its garbage collection). Iterating values parses every one.
 */
export class SummaryMap implements ReadonlyMap<string, FileSummary> {
  private readonly map = new Map<string, FileSummary | (() => FileSummary)>();
  private loaded = 0;

  set(file: string, summary: FileSummary): void {
    this.map.set(file, summary);
  }

  /** A summary made by `load` when first read. */
  setLazy(file: string, load: () => FileSummary): void {
    this.map.set(file, load);
  }

  get(file: string): FileSummary | undefined {
    const value = this.map.get(file);
    if (typeof value !== 'function') return value;
    const summary = value();
    this.map.set(file, summary);
    this.loaded++;
    return summary;
  }

  has(file: string): boolean {
    return this.map.has(file);
  }

  get size(): number {
    return this.map.size;
  }

  /** How many lazily kept summaries were read (parsed) so far. */
  get loadedCount(): number {
    return this.loaded;
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  *entries(): MapIterator<[string, FileSummary]> {
    for (const file of this.map.keys()) yield [file, this.get(file)!];
  }

  *values(): MapIterator<FileSummary> {
    for (const file of this.map.keys()) yield this.get(file)!;
  }

  [Symbol.iterator](): MapIterator<[string, FileSummary]> {
    return this.entries();
  }

  forEach(callback: (value: FileSummary, key: string, map: ReadonlyMap<string, FileSummary>) => void, thisArg?: unknown): void {
    for (const [file, summary] of this.entries()) callback.call(thisArg, summary, file, this);
  }
}
