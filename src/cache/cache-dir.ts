import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the cache of an analysed folder lives: `<base>/<hash of the folder's real path>/`, with `<base>` the
 * `--cache-dir` given, else the user's cache folder (`$XDG_CACHE_HOME/lambda2sfn`, `~/.cache/lambda2sfn`, or
 * `%LOCALAPPDATA%\lambda2sfn\cache` on Windows). Never inside the analysed folder: the user's files are not touched.
 */
export function getCacheDir(root: string, base?: string): string {
  return path.join(path.resolve(base ?? getUserCacheBase()), hashRoot(root));
}

export function getUserCacheBase(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'lambda2sfn');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'lambda2sfn', 'cache');
  return path.join(os.homedir(), '.cache', 'lambda2sfn');
}

function hashRoot(root: string): string {
  let real = path.resolve(root);
  try {
    real = realpathSync(real);
  } catch {
    // A folder that cannot be resolved is keyed by its path as given.
  }
  return createHash('sha256').update(real).digest('hex').slice(0, 16);
}
