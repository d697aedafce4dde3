import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of lambda2sfn's own package.json, found by walking up from this module: the same code runs from
 * `src/` (tests) and from `dist/src/` (the built CLI), at different depths.
 */
export function getPackageRoot(): string {
  if (cached) return cached;
  for (let folder = path.dirname(fileURLToPath(import.meta.url)); ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lambda2sfn') {
      cached = folder;
      return folder;
    }
    if (path.dirname(folder) === folder) throw new Error('lambda2sfn: cannot find its own package.json');
  }
}
