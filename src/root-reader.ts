import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RootReader } from './types/analyzers.js';
import { readSourceText, toUnreadable, type SourceText } from './read-source-text.js';

/** A RootReader that can also say why a file could not be read (for the files the pipeline itself reads). */
export interface DiagnosingRootReader extends RootReader {
  /** The text, or a diagnostic (unreadable, binary, too large, outside the analysed folder). */
  read(relativePath: string): SourceText;
}

/** Read access to files inside the analysed folder only: `../` and symlinks leading outside are refused. */
export function createRootReader(root: string, maxFileBytes: number): DiagnosingRootReader {
  const realRoot = safeRealpath(root) ?? path.resolve(root);
  const toInside = (relativePath: string): string | undefined => {
    const absolute = path.resolve(root, relativePath);
    const real = safeRealpath(absolute);
    if (!real) return undefined;
    const rel = path.relative(realRoot, real);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : real;
  };
  const read = (relativePath: string): SourceText => {
    const absolute = toInside(relativePath);
    if (!absolute) return { diagnostic: toUnreadable(relativePath, 'it is missing or outside the analysed folder') };
    return readSourceText(absolute, { file: relativePath, maxFileBytes });
  };
  return {
    read,
    readText(relativePath) {
      const result = read(relativePath);
      return 'text' in result ? result.text : undefined;
    },
    exists(relativePath) {
      const absolute = toInside(relativePath);
      // Files only, as the RootReader contract says (a folder named like a handler module is not its file).
      return absolute !== undefined && statSync(absolute, { throwIfNoEntry: false })?.isFile() === true;
    },
  };
}

function safeRealpath(target: string): string | undefined {
  try {
    return realpathSync(target);
  } catch {
    return undefined;
  }
}
