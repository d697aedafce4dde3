import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { RootReader } from '../../src/types/analyzers.js';

/** A RootReader over a fixture folder that refuses any path escaping it, and records what was asked. */
export interface FixtureRoot extends RootReader {
  /** Every path passed to readText/exists, in order. */
  readonly requests: string[];
}

export function createFixtureRoot(folder: string): FixtureRoot {
  const root = resolve(folder);
  const requests: string[] = [];
  const toInside = (path: string): string | undefined => {
    requests.push(path);
    if (isAbsolute(path)) return undefined;
    const absolute = resolve(root, path);
    const fromRoot = relative(root, absolute);
    if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) return undefined;
    return absolute;
  };
  return {
    requests,
    readText(path) {
      const absolute = toInside(path);
      if (!absolute) return undefined;
      try {
        return readFileSync(absolute, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists(path) {
      const absolute = toInside(path);
      if (!absolute) return false;
      try {
        return statSync(absolute).isFile();
      } catch {
        return false;
      }
    },
  };
}

/** A RootReader over in-memory files (path → text), refusing paths that climb out of the root. */
export function createMemoryRoot(files: Record<string, string>): FixtureRoot {
  const requests: string[] = [];
  const toKey = (path: string): string | undefined => {
    requests.push(path);
    const normalized = posix.normalize(path);
    if (isAbsolute(path) || normalized === '..' || normalized.startsWith('../')) return undefined;
    return normalized;
  };
  return {
    requests,
    readText(path) {
      const key = toKey(path);
      return key === undefined ? undefined : files[key];
    },
    exists(path) {
      const key = toKey(path);
      return key !== undefined && key in files;
    },
  };
}
