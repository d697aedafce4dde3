import type { Diagnostic } from './diagnostics.js';
import type { Inventory } from './inventory.js';

/** Read access to the analysed folder for IaC analyzers (`${file(...)}`, `DefinitionUri`): never outside the root. */
export interface RootReader {
  /** Text of a file relative to the analysed folder, or undefined when it is missing, unreadable or outside the root. */
  readText(relativePath: string): string | undefined;
  /** Whether a file exists (relative to the analysed folder). */
  exists(relativePath: string): boolean;
}

/** Limits that keep hostile input from exhausting memory or the stack. Documented in the README; configurable. */
export interface AnalysisLimits {
  /** Files larger than this many bytes are skipped with a diagnostic. */
  maxFileBytes: number;
  /** Deepest AST / YAML nesting followed. */
  maxDepth: number;
  /** YAML alias expansions allowed per document (billion-laughs guard). */
  maxYamlAliases: number;
}

export const DEFAULT_LIMITS: AnalysisLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxDepth: 500,
  maxYamlAliases: 1000,
};

export interface IacInput {
  /** Path relative to the analysed folder (POSIX). */
  file: string;
  text: string;
  root: RootReader;
  limits: AnalysisLimits;
}

export interface IacResult {
  inventory: Partial<Inventory>;
  diagnostics: Diagnostic[];
}

/**
 * One IaC format. `matches` is a cheap gate on the path and text; `analyze` reads the file statically
 * (never executes it) and returns an Inventory fragment. Handler module paths are relative to the analysed folder.
 */
export interface IacAnalyzer {
  id: string;
  description: string;
  matches(file: string, text: string): boolean;
  analyze(input: IacInput): IacResult;
}
