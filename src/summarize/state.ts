import type { Node } from '@babel/types';
import type {
  CallRecord,
  ContextRecord,
  FileSummary,
  FunctionRecord,
  ImportRecord,
  ScopeRecord,
  Sym,
} from '../types/summary.js';

/** An assignment to a variable after its declaration (`url = other`); applied when the walk ends. */
interface PendingWrite {
  name: string;
  scope: number;
  value: Sym;
}

/**
 * The mutable state of one file's walk. The walker (`walk.ts`) drives it; `toSym` reads it to know the current
 * scope and to give functions their ids; `finish` turns it into the FileSummary.
 */
export class SummaryState {
  readonly imports: ImportRecord[] = [];
  readonly exports: Record<string, Sym> = {};
  readonly reexportAll: string[] = [];
  readonly scopes: ScopeRecord[] = [{ parent: -1, bindings: Object.create(null) }];
  readonly functions: FunctionRecord[] = [];
  readonly calls: CallRecord[] = [];
  /** Constructor calls of the project's classes (see FileSummary.constructions). */
  readonly constructions: CallRecord[] = [];
  readonly contexts: ContextRecord[] = [];
  readonly writes: PendingWrite[] = [];
  /** Identifier references per function (-1: module level), keyed by `name@scope` to keep one of each. */
  readonly refsByFn = new Map<number, Map<string, Sym>>();

  /** Current lexical scope, function, and `var` scope, as stacks. */
  readonly scopeStack: number[] = [0];
  readonly fnStack: number[] = [-1];
  readonly varScopeStack: number[] = [0];
  /** Context records around the current position (indexes into `contexts`). */
  readonly contextStack: number[] = [];
  /** The module-level binding whose initialiser we are inside, if any. */
  readonly ownerStack: string[] = [];

  /** Classes being walked (their object value, for `this`) and their names, for function names. */
  readonly classStack: (Sym & { k: 'obj' })[] = [];
  readonly classNameStack: string[] = [];
  readonly classSyms = new WeakMap<Node, Sym & { k: 'obj' }>();

  /**
   * Work a collector leaves for the contexts the summary keeps (source texts, structured tests): run once the
   * calls worth linking are known, so nothing is computed for the many contexts no kept call is inside. A finisher
   * returning false drops its record (it turned out to say nothing: a loop that never awaits).
   */
  readonly contextFinishers = new Map<ContextRecord, () => boolean | void>();

  /** The node of each recorded call, until the summary is finished and their texts are cut. */
  readonly callNodes = new Map<CallRecord, Node & { arguments: Node[] }>();

  private readonly fnIds = new WeakMap<Node, number>();

  /** What `this` is in the methods of the classes being walked: the class by name when it has one. */
  readonly classThisStack: Sym[] = [];

  constructor(
    readonly file: string,
    readonly source: string,
    readonly maxSymDepth: number,
    /** Object keys whose value's source text is kept (SDK targets and payloads), for messages. */
    readonly textKeys: ReadonlySet<string> = new Set(),
  ) {}

  get scope(): number {
    return this.scopeStack[this.scopeStack.length - 1];
  }

  get fn(): number {
    return this.fnStack[this.fnStack.length - 1];
  }

  /** The id of a function node, created on first request: `toSym` may meet a function before the walk enters it. */
  getFunctionId(node: Node): number {
    let id = this.fnIds.get(node);
    if (id === undefined) {
      id = this.functions.length;
      this.functions.push({
        name: '<anonymous>',
        line: node.loc?.start.line ?? 0,
        column: (node.loc?.start.column ?? 0) + 1,
        parent: -1,
        params: [],
        returns: [],
        refs: [],
      });
      this.fnIds.set(node, id);
    }
    return id;
  }

  pushScope(): number {
    const id = this.scopes.length;
    this.scopes.push({ parent: this.scope, bindings: Object.create(null) });
    this.scopeStack.push(id);
    return id;
  }

  popScope(): void {
    this.scopeStack.pop();
  }

  /** Run `read` as if the walk were at `scope` again (for collectors that finish their records after the walk). */
  atScope<T>(scope: number, read: () => T): T {
    this.scopeStack.push(scope);
    try {
      return read();
    } finally {
      this.scopeStack.pop();
    }
  }

  declare(name: string, value: Sym, scope: number = this.scope): void {
    this.scopes[scope].bindings[name] = value;
  }

  /** The binding an identifier refers to from `scope`, or undefined for a global. */
  lookup(name: string, scope: number): { value: Sym; scope: number } | undefined {
    for (let s = scope; s >= 0; s = this.scopes[s].parent) {
      const value = this.scopes[s].bindings[name];
      if (value !== undefined) return { value, scope: s };
    }
    return undefined;
  }

  /** Module-level references inside a binding's initialiser, by binding name. */
  readonly refsByOwner = new Map<string, Map<string, Sym>>();

  addRef(name: string): void {
    const key = `${name}@${this.scope}`;
    const owner = this.fn === -1 ? this.ownerStack[this.ownerStack.length - 1] : undefined;
    const buckets: Map<string | number, Map<string, Sym>> = owner === undefined ? this.refsByFn : this.refsByOwner;
    const bucket = owner ?? this.fn;
    let refs = buckets.get(bucket);
    if (!refs) {
      refs = new Map();
      buckets.set(bucket, refs);
    }
    if (!refs.has(key)) refs.set(key, { k: 'ref', name, scope: this.scope });
  }

  /** Source text of a node, whitespace collapsed and shortened for messages. */
  textOf(node: Node, max = 120): string {
    if (node.start == null || node.end == null) return '';
    const raw = this.source.slice(node.start, Math.min(node.end, node.start + max * 4));
    const text = raw.replace(/\s+/g, ' ').trim();
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  toSummary(extra: Pick<FileSummary, 'moduleRefs' | 'ownerRefs' | 'diagnostics'>): FileSummary {
    return {
      file: this.file,
      imports: this.imports,
      exports: this.exports,
      reexportAll: this.reexportAll,
      scopes: this.scopes,
      functions: this.functions,
      calls: this.calls,
      ...(this.constructions.length > 0 ? { constructions: this.constructions } : {}),
      contexts: this.contexts,
      ...extra,
    };
  }
}
