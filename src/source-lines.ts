import { createRootReader } from './root-reader.js';
import { DEFAULT_LIMITS } from './types/analyzers.js';

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
