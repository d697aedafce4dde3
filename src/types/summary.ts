import type { Diagnostic } from './diagnostics.js';

/**
 * A symbolic value: what an expression in the analysed code evaluates to, as far as a static reading can tell.
 * The walk of one file produces Syms that may still point at bindings (`ref`), parameters (`param`) or imports
 * (`import`); the linker (`src/link/`) evaluates them across files. Kept small and JSON-serialisable so that
 * summaries can be cached on disk.
 */
export type Sym =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  /** `null` or `undefined`. */
  | { k: 'nil' }
  /** `process.env.NAME`, however it was read (member, element, destructuring). */
  | { k: 'env'; name: string }
  /** The running function's own name: `context.functionName`, `process.env.AWS_LAMBDA_FUNCTION_NAME`. */
  | { k: 'self' }
  /** String concatenation: a template literal or `+`. */
  | { k: 'cat'; parts: Sym[] }
  /** An identifier, looked up later through the file's scope table (declarations may come after use). */
  | { k: 'ref'; name: string; scope: number }
  /** Parameter `index` of function `fn` of this file (index into `FileSummary.functions`); destructuring becomes `get`. */
  | { k: 'param'; fn: number; index: number }
  /** A binding imported from another module: `name` is an export name, `default`, or `*` for the whole module. */
  | { k: 'import'; source: string; name: string }
  /** Property access with a statically known name. */
  | { k: 'get'; obj: Sym; prop: string }
  /** Object literal; `t` keeps the source text of each value for messages. */
  | { k: 'obj'; props: ObjProp[]; spreads?: Sym[] }
  | { k: 'arr'; items: Sym[] }
  | { k: 'call'; callee: Sym; args: Sym[] }
  | { k: 'new'; callee: Sym; args: Sym[] }
  /** A function defined in this file (index into `FileSummary.functions`). */
  | { k: 'fn'; id: number }
  /**
   * One of several values: `a ?? b`, `a || b`, `c ? a : b`, or a variable assigned more than once. `defaulted`: a
   * default (`type = 'RequestResponse'`, `{ type = 'x' } = opts`): options are [given, default], and the default
   * counts only when the given value is undefined.
   */
  | { k: 'or'; options: Sym[]; defaulted?: true }
  /** The element of a collection: the variable of `for (const x of xs)`. */
  | { k: 'elem'; of: Sym }
  /** Anything else; `text` is the source (shortened). */
  | { k: 'unknown'; text: string };

export interface ObjProp {
  key: string;
  value: Sym;
  /** Source text of the value (shortened), for messages. */
  t?: string;
}

export interface ImportRecord {
  /** The local name. */
  local: string;
  /** The module specifier as written. */
  source: string;
  /** `default`, `*` or the imported name. */
  imported: string;
  line: number;
}

/**
 * A lexical scope of the file that declares something linking reads; `parent` is -1 for the module scope (index 0).
 * Scopes left without bindings are not kept: their children hang from the nearest kept ancestor.
 */
export interface ScopeRecord {
  parent: number;
  bindings: Record<string, Sym>;
}

export interface FunctionRecord {
  /** A name for messages: the declared name, the variable or property it is assigned to, or `<anonymous>`. */
  name: string;
  line: number;
  column: number;
  /** The lexically enclosing function, -1 at module level. */
  parent: number;
  /** The module-level binding whose initialiser contains this function (`const api = { send() {} }`), if any. */
  owner?: string;
  params: string[];
  /** What the function returns (the values of its `return` statements, or an arrow's expression body). */
  returns: Sym[];
  /** Identifiers this function references that are bound outside it (functions, imports, module bindings). */
  refs: Sym[];
}

/** A call expression worth linking: a possible SDK call or a call to a function defined in or imported into the file. */
export interface CallRecord {
  callee: Sym;
  args: Sym[];
  /** Source text of each argument (shortened). */
  argText: string[];
  /** The innermost enclosing function, -1 at module level. */
  fn: number;
  line: number;
  column: number;
  /** Source text of the whole call (shortened). */
  text: string;
  /** Indexes into `FileSummary.contexts`, innermost last: what surrounds the call. */
  contexts?: number[];
  /** Whether the call's result is used (assigned, returned, passed on) rather than discarded. */
  resultUsed?: boolean;
}

/**
 * What surrounds a call: a loop, a try/catch, a condition, a `Promise.all`. Recorded by the walk, interpreted by
 * the pattern analyzers (`analyzers/code/retry-loop.ts`, `fan-out.ts`, ...).
 */
export interface ContextRecord {
  kind: string;
  line: number;
  /** Analyzer-specific facts (JSON). Syms in it are kept in the summary together with the bindings they read. */
  data: Record<string, unknown>;
  /**
   * Kept even when no recorded call is inside it: the linker finds it by its function (a retry helper's loop
   * around a call of its callback parameter, which is not a call the summary keeps).
   */
  standalone?: boolean;
}

/** What the single walk of one source file keeps; the AST is dropped after it. */
export interface FileSummary {
  /** Path relative to the analysed folder (POSIX). */
  file: string;
  imports: ImportRecord[];
  /** Export name → value. `*` re-exports are kept in `reexportAll`. CommonJS `module.exports = x` is the export `module.exports`. */
  exports: Record<string, Sym>;
  reexportAll: string[];
  scopes: ScopeRecord[];
  functions: FunctionRecord[];
  calls: CallRecord[];
  /**
   * `new` of classes of the project (`new Publisher(sqs, process.env.QUEUE_URL)`), as calls of their constructor
   * (`Publisher.constructor(...)`). Only the caller index reads them: a target injected through a constructor and
   * kept in a field is followed to where the instance is made. Absent when there are none.
   */
  constructions?: CallRecord[];
  contexts: ContextRecord[];
  /** Module-level references (code run at load time), like FunctionRecord.refs. */
  moduleRefs: Sym[];
  /** References made inside the initialiser of a module-level binding (`export const handler = middy(impl)`), by binding. */
  ownerRefs: Record<string, Sym[]>;
  diagnostics: Diagnostic[];
}
