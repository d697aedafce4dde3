import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
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
