import { existsSync, realpathSync } from 'node:fs';
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
      return absolute !== undefined && existsSync(absolute);
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
