import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RootReader } from './types/analyzers.js';
import { readSourceText } from './read-source-text.js';

/** Read access to files inside the analysed folder only: `../` and symlinks leading outside are refused. */
export function createRootReader(root: string, maxFileBytes: number): RootReader {
  const realRoot = safeRealpath(root) ?? path.resolve(root);
  const toInside = (relativePath: string): string | undefined => {
    const absolute = path.resolve(root, relativePath);
    const real = safeRealpath(absolute);
    if (!real) return undefined;
    const rel = path.relative(realRoot, real);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : real;
  };
  return {
    readText(relativePath) {
      const absolute = toInside(relativePath);
      if (!absolute) return undefined;
      const read = readSourceText(absolute, { file: relativePath, maxFileBytes });
      return 'text' in read ? read.text : undefined;
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
