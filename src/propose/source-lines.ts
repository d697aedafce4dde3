import { createSourceLineReader } from '../source-lines.js';
import type { Evidence } from '../types/plan.js';

/** Looks up source lines for evidence: `{ file, line, text }` with the line's text, trimmed. */
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
