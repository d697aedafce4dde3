import { posix } from 'node:path';

/**
 * Paths as a CDK app computes them (`path.join(__dirname, '../src/x')`), evaluated against a virtual absolute
 * root that stands for the analysed folder: `__dirname` of `lib/stack.ts` is `/⟨root⟩/lib`. A path that leaves the
 * virtual root is outside the analysed folder; a relative path is relative to the app's working folder (where
 * `cdk.json` is), as for `cdk synth`.
 */
export const VIRTUAL_ROOT = '/__analysed_root__';

/** The virtual absolute path of a folder relative to the analysed folder (`.` for the root). */
export function toVirtualPath(relativeDir: string): string {
  return relativeDir === '.' || relativeDir === '' ? VIRTUAL_ROOT : `${VIRTUAL_ROOT}/${relativeDir}`;
}

/** Node's `path.join` on POSIX. */
export function joinPaths(parts: readonly string[]): string {
  return posix.join(...parts);
}

/** Node's `path.resolve`, with `cwd` (virtual) as the starting folder. */
export function resolvePaths(parts: readonly string[], cwd: string): string {
  let result = cwd;
  for (const part of parts) {
    if (part === '') continue;
    result = part.startsWith('/') ? part : posix.join(result, part);
  }
  return posix.normalize(result).replace(/(.)\/$/, '$1');
}

/**
 * A path written in the app (virtual absolute, or relative to `cwd`, the app folder relative to the analysed
 * folder) as a path relative to the analysed folder; undefined when it is outside it or absolute on the real disk.
 */
export function toRootRelativePath(path: string, cwd: string): string | undefined {
  const absolute = path.startsWith('/') ? posix.normalize(path) : posix.normalize(posix.join(toVirtualPath(cwd), path));
  const trimmed = absolute.replace(/(.)\/$/, '$1');
  if (trimmed === VIRTUAL_ROOT) return '.';
  if (!trimmed.startsWith(`${VIRTUAL_ROOT}/`)) return undefined;
  return trimmed.slice(VIRTUAL_ROOT.length + 1);
}
