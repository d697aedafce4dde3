import type { CompensationFacts } from '../link/annotate/compensation.js';
import type { FileCalls } from '../link/callers.js';
import type { Deps } from '../link/read-tracker.js';
import { getTargetsFinding } from '../link/module-resolver.js';
import type { Diagnostic } from '../types/diagnostics.js';
import type { GraphEdge, GraphNode, UnreachedCall, UnresolvedTarget } from '../types/graph.js';

/**
 * Incremental resolution: what each unit of the resolve stage produced in an earlier run, and what it read, so that
 * a re-run after a change of file contents does again only the units a changed file can affect. The units:
 *
 * - one reachability per deployed function (which functions and modules its handler reaches: the owners index);
 * - per file, its `FileCalls` (what its calls call, and the functions they hand on): the call indexes;
 * - per file, its calls resolved (expanded through wrappers, bound for each function reaching them, annotated).
 *
 * A unit is done again when it read a changed file, or asked for an index entry whose value changed: a caller list
 * (`c:`) or a passed-as list (`p:`) a changed `FileCalls` touches, the owners (`o:`) of a function or module whose
 * set of reaching functions changed. Every other unit's output is used as stored, in the same order, so the result
 * is the one a full resolution gives. A new or deleted file is a changed file too, unless an import could now lead
 * elsewhere: when it is a candidate for a target the module resolver looked for (`getTargetsFinding`), everything
 * is resolved again. Another inventory, workspaces or path aliases resolve everything.
 */

/** What some calls gave: plain data, the edges' annotations without compensation (linked at the end). */
export interface Part {
  edges: GraphEdge[];
  externals: GraphNode[];
  unresolved: UnresolvedTarget[];
  unreached: UnreachedCall[];
  /** Per edge, what compensation linking compares. */
  facts: CompensationFacts[];
}

/** What a file's calls gave. */
export interface UnitOutput extends Part {
  diagnostics: Diagnostic[];
}

/** The expansions under one caller site of a wrapper, resolved (see resolveFile). */
export interface StoredSite {
  part: Part;
  /** How many expansions were kept, and how much of the call's path budget they used. */
  kept: number;
  used: number;
  deps: StoredDeps;
}

/** Dependencies as stored: indexes into the stored list of files, and index keys. */
export interface StoredDeps {
  files: number[];
  keys?: string[];
}

export interface StoredReach {
  fns: string[];
  modules: string[];
  deps: StoredDeps;
}

export interface StoredFile {
  calls: FileCalls;
  callsDeps: StoredDeps;
  /** Absent when the file's calls gave nothing. */
  unit?: UnitOutput;
  unitDeps: StoredDeps;
  /** The caller-site units of its calls, by call, match, wrapper parameter and site. */
  sites?: Record<string, StoredSite>;
}

/** The whole stored state: the files (in order) with their content hashes, and each unit's output and dependencies. */
export interface ResolutionState {
  /** Everything else resolution depends on (the inventory, workspaces, path aliases), hashed. */
  context: string;
  files: string[];
  hashes: string[];
  /** One per deployed function, in the order of their ids. */
  reaches: StoredReach[];
  /** One per file, in `files` order. */
  perFile: StoredFile[];
  /** Every target the module resolver looked for (ModuleResolver.probed), and every file asked about. */
  probed: string[];
}

/** How many units a run did again (the others were reused). */
export interface ResolutionStats {
  reaches: number;
  fileCalls: number;
  units: number;
  /** Caller-site units inside the file units done again (see resolveFile). */
  sites: number;
  /** Whether an earlier state was used at all. */
  incremental: boolean;
}

/** What the pipeline hands the resolve stage for incremental work. */
export interface IncrementalInput {
  context: string;
  /** The content hash of each file's summary. */
  hashes: readonly string[];
  previous?: ResolutionState;
}

/** What may be reused, given the earlier state: undefined when nothing may (another set of files, another context). */
export class ReusePlan {
  /** Indexes (into the files) of the files whose content changed. */
  private readonly changed: boolean[];
  readonly changedKeys = new Set<string>();

  private constructor(
    readonly previous: ResolutionState,
    changed: boolean[],
    /** The earlier state's targets the module resolver looked for, as a set. */
    readonly probed: ReadonlySet<string> = new Set(previous.probed),
  ) {
    this.changed = changed;
  }

  static make(files: readonly string[], input: IncrementalInput): ReusePlan | undefined {
    const previous = input.previous;
    if (!previous || previous.context !== input.context || previous.perFile.length !== previous.files.length) return undefined;
    const same = previous.files.length === files.length && files.every((file, i) => previous.files[i] === file);
    if (same) return new ReusePlan(previous, files.map((_, i) => previous.hashes[i] !== input.hashes[i]));
    return ReusePlan.makeForOtherFiles(files, input, previous);
  }

  /**
   * Files were added or deleted. Usable when neither could change where an import leads: the earlier state is
   * renumbered to this run's files, a new file counts as changed (its units are done), and a deleted one as a
   * changed file with no calls (the units that read it are done again, the caller lists it was in change).
   */
  private static makeForOtherFiles(files: readonly string[], input: IncrementalInput, previous: ResolutionState): ReusePlan | undefined {
    const now = new Map(files.map((file, i) => [file, i]));
    const before = new Map(previous.files.map((file, i) => [file, i]));
    const added = files.filter((file) => !before.has(file));
    const deleted = previous.files.filter((file) => !now.has(file));
    const probed = new Set(previous.probed);
    if ([...added, ...deleted].some((file) => getTargetsFinding(file).some((target) => probed.has(target)))) return undefined;
    // An earlier file's index now, or -1 when it was deleted (a unit that read it is done again).
    const renumber = (deps: StoredDeps): StoredDeps => ({ ...deps, files: deps.files.map((i) => now.get(previous.files[i]) ?? -1) });
    const perFile = files.map((file): StoredFile => {
      const i = before.get(file);
      // A new file: no calls before (it is changed, so its units are done).
      if (i === undefined) return { calls: { callers: [], passed: [] }, callsDeps: { files: [] }, unitDeps: { files: [] } };
      const stored = previous.perFile[i];
      const sites = stored.sites && Object.fromEntries(Object.entries(stored.sites).map(([key, site]) => [key, { ...site, deps: renumber(site.deps) }]));
      return { ...stored, callsDeps: renumber(stored.callsDeps), unitDeps: renumber(stored.unitDeps), ...(sites ? { sites } : {}) };
    });
    const renumbered: ResolutionState = {
      context: previous.context,
      files: [...files],
      hashes: files.map((file) => previous.hashes[before.get(file) ?? -1] ?? ''),
      reaches: previous.reaches.map((reach) => ({ ...reach, deps: renumber(reach.deps) })),
      perFile,
      probed: previous.probed,
    };
    const plan = new ReusePlan(renumbered, files.map((file, i) => !before.has(file) || renumbered.hashes[i] !== input.hashes[i]), probed);
    // The caller and passed-as lists a deleted file's calls were in change.
    for (const file of deleted) {
      const { calls } = previous.perFile[before.get(file)!];
      for (const [key] of calls.callers) plan.changedKeys.add(`c:${key}`);
      for (const [key] of calls.passed) plan.changedKeys.add(`p:${key}`);
    }
    return plan;
  }

  /** Stored dependencies as the tracker notes them. */
  toDeps(deps: StoredDeps): Deps {
    return { files: new Set(deps.files.flatMap((i) => (i < 0 ? [] : [this.previous.files[i]]))), keys: new Set(deps.keys ?? []) };
  }

  isChanged(index: number): boolean {
    return this.changed[index];
  }

  /** Whether a unit with these dependencies gives what it gave before. */
  isValid(deps: StoredDeps): boolean {
    return !deps.files.some((i) => i < 0 || this.changed[i]) && !(deps.keys ?? []).some((key) => this.changedKeys.has(key));
  }

  /** Notes the owners keys whose list changes: the symmetric difference of a function's old and new reach. */
  noteReachChange(before: StoredReach, after: { fns: Iterable<string>; modules: Iterable<string> }): void {
    const old = new Set([...before.fns, ...before.modules]);
    const now = new Set([...after.fns, ...after.modules]);
    for (const key of old) if (!now.has(key)) this.changedKeys.add(`o:${key}`);
    for (const key of now) if (!old.has(key)) this.changedKeys.add(`o:${key}`);
  }

  /** Notes the caller and passed-as lists a file's new `FileCalls` changes (all it touches, when it changed). */
  noteCallsChange(index: number, after: FileCalls): void {
    const before = this.previous.perFile[index].calls;
    if (!this.changed[index] && JSON.stringify(before) === JSON.stringify(after)) return;
    for (const calls of [before, after]) {
      for (const [key] of calls.callers) this.changedKeys.add(`c:${key}`);
      for (const [key] of calls.passed) this.changedKeys.add(`p:${key}`);
    }
  }
}

/** Builds the state to store from this run's units. */
export class StateRecorder {
  private readonly indexOf: Map<string, number>;
  readonly state: ResolutionState;

  constructor(files: readonly string[], input: IncrementalInput) {
    this.indexOf = new Map(files.map((file, i) => [file, i]));
    this.state = { context: input.context, files: [...files], hashes: [...input.hashes], reaches: [], perFile: [], probed: [] };
  }

  toStored(deps: Deps): StoredDeps {
    const files: number[] = [];
    for (const file of deps.files) {
      const index = this.indexOf.get(file);
      if (index !== undefined) files.push(index);
    }
    return deps.keys.size > 0 ? { files, keys: [...deps.keys] } : { files };
  }
}
