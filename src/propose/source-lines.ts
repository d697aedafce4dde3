import { DEFAULT_LIMITS } from '../types/analyzers.js';
import type { Evidence } from '../types/plan.js';
import { createRootReader } from '../root-reader.js';

/** Longest source text quoted in evidence; longer lines are cut with an ellipsis. */
const MAX_TEXT = 160;

/** Looks up source lines for evidence: `{ file, line, text }` with the line's text, trimmed. */
export interface SourceLines {
  getEvidence(file: string, line: number): Evidence;
  /** The text of a line, trimmed ('' when the file or line cannot be read). */
  getText(file: string, line: number): string;
}

/** Reads files inside `root` only (read-only, once each); a line that cannot be read gives an empty text. */
export function createSourceLines(root: string | undefined): SourceLines {
  const reader = root === undefined ? undefined : createRootReader(root, DEFAULT_LIMITS.maxFileBytes);
  const cache = new Map<string, string[] | undefined>();
  const getText = (file: string, line: number): string => {
    if (!cache.has(file)) cache.set(file, reader?.readText(file)?.split(/\r?\n/));
    const text = cache.get(file)?.[line - 1]?.trim() ?? '';
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  };
  return { getText, getEvidence: (file, line) => ({ file, line, text: getText(file, line) }) };
}
