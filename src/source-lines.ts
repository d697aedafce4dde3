import { createRootReader } from './root-reader.js';
import { DEFAULT_LIMITS } from './types/analyzers.js';
import type { Evidence } from './types/plan.js';

/** Longest source line quoted as evidence; longer ones are cut with an ellipsis. */
const MAX_LINE = 160;

/**
 * Looks up lines of the analysed folder to quote as evidence: read-only, inside the folder only, each file read
 * once. A file or line that cannot be read gives `undefined`.
 */
export function createSourceLineReader(root: string): (file: string, line: number) => string | undefined {
  const reader = createRootReader(root, DEFAULT_LIMITS.maxFileBytes);
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!cache.has(file)) cache.set(file, reader.readText(file)?.split(/\r?\n/));
    const text = cache.get(file)?.[line - 1]?.trim();
    if (!text) return undefined;
    return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text;
  };
}

/** Evidence for the plan: `{ file, line, text }` with the line's text, trimmed. */
export interface SourceLines {
  getEvidence(file: string, line: number): Evidence;
  /** The text of a line, trimmed ('' when the file or line cannot be read). */
  getText(file: string, line: number): string;
}

/** Reads files inside `root` only (read-only, once each); without a root, or for a line that cannot be read, the text is ''. */
export function createSourceLines(root: string | undefined): SourceLines {
  const read = root === undefined ? undefined : createSourceLineReader(root);
  const getText = (file: string, line: number): string => read?.(file, line) ?? '';
  return { getText, getEvidence: (file, line) => ({ file, line, text: getText(file, line) }) };
}
