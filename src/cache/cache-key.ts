import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped when what the cache stores changes shape. */
const CACHE_FORMAT = 4;

let fingerprint: string | undefined;

/**
 * A key for cached results: the cache format, lambda2sfn's version, a fingerprint of its own code (so a rebuilt or
 * upgraded tool never reads results of another build), and the configuration given (limits, detectors,
 * collectors). Anything that could change a result changes the key, and a cache with another key is not used.
 */
export function getCacheKey(configuration: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([CACHE_FORMAT, getCodeFingerprint(), configuration]))
    .digest('base64url');
}

/**
 * lambda2sfn's package version and the names, sizes and times of its own modules (`dist/` when built, the sources
 * under test): a few hundred stats, about a millisecond.
 */
function getCodeFingerprint(): string {
  if (fingerprint) return fingerprint;
  // This file is <code root>/src/cache/cache-key.(js|ts).
  const codeRoot = fileURLToPath(new URL('../../', import.meta.url));
  const hash = createHash('sha256');
  for (const folder of ['src', 'analyzers']) addFolder(hash, path.join(codeRoot, folder), folder);
  fingerprint = `${readVersion(codeRoot)}:${hash.digest('base64url')}`;
  return fingerprint;
}

function addFolder(hash: ReturnType<typeof createHash>, folder: string, relative: string): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) addFolder(hash, child, `${relative}/${entry.name}`);
    else if (/\.[cm]?[jt]s$/.test(entry.name)) {
      const stats = statSync(child);
      hash.update(`${relative}/${entry.name}\0${stats.size}\0${stats.mtimeMs}\n`);
    }
  }
}

function readVersion(codeRoot: string): string {
  for (const candidate of [path.join(codeRoot, 'package.json'), path.join(codeRoot, '..', 'package.json')]) {
    try {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'lambda2sfn') return manifest.version ?? '0';
    } catch {
      // Not this folder.
    }
  }
  return '0';
}
