import type { FileSummary } from '../types/summary.js';

/** What linking reads summaries through: one file at a time, never all of them, so that each read can be noted. */
export interface SummaryLookup {
  get(file: string): FileSummary | undefined;
  /** Whether the file is part of the project (the set of files, which incremental resolution requires unchanged). */
  has(file: string): boolean;
}

/** What a unit of resolution work depended on: the files whose summaries it read, and index entries it asked for. */
export interface Deps {
  files: Set<string>;
  /** `c:` + key: a caller list; `p:` + key: the calls a function is passed to; `o:` + key: the owners of a function. */
  keys: Set<string>;
}

export const emptyDeps = (): Deps => ({ files: new Set(), keys: new Set() });

/** A value worked out once and shared between units, with what it depended on (noted again in every unit using it). */
export interface Memo<V> {
  value: V;
  deps: Deps;
}

/**
 * Summaries as resolution reads them: every read is noted in the dependencies of the unit of work running, so that a
 * later run can tell which units a changed file may affect (see resolve/incremental.ts).
 */
export class ReadTracker implements SummaryLookup {
  private current?: Deps;

  constructor(
    private readonly summaries: SummaryLookup,
    /** Files asked about by `has`, found or not: whether a file exists is a dependency on the set of files. */
    private readonly probed?: Set<string>,
  ) {}

  get(file: string): FileSummary | undefined {
    this.current?.files.add(file);
    return this.summaries.get(file);
  }

  has(file: string): boolean {
    this.probed?.add(file);
    return this.summaries.has(file);
  }

  /** Notes that the running unit used an index entry (`c:`, `p:`, `o:` and a key). */
  noteKey(key: string): void {
    this.current?.keys.add(key);
  }

  /** Notes what a reused unit depended on, as if it had run. */
  note(deps: Deps): void {
    if (this.current) addDeps(this.current, deps);
  }

  /** Runs a unit of work and returns what it read; a unit inside another adds its reads to the outer one too. */
  track<T>(run: () => T): Memo<T> {
    const outer = this.current;
    const deps = emptyDeps();
    this.current = deps;
    try {
      return { value: run(), deps };
    } finally {
      this.current = outer;
      if (outer) addDeps(outer, deps);
    }
  }

  /** A shared value from `memos`, or computed and kept there; either way its dependencies count for the running unit. */
  memo<K, V>(memos: Map<K, Memo<V>>, key: K, compute: () => V): V {
    const known = memos.get(key);
    if (known) {
      if (this.current) addDeps(this.current, known.deps);
      return known.value;
    }
    const made = this.track(compute);
    memos.set(key, made);
    return made.value;
  }
}

function addDeps(to: Deps, from: Deps): void {
  for (const file of from.files) to.files.add(file);
  for (const key of from.keys) to.keys.add(key);
}
