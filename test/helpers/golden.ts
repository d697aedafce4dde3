import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from '../../generators/types.js';

/** Whether this run rewrites golden files (`UPDATE_GOLDEN=1`); the diff is then reviewed like any change. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? listFiles(path.join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]))
    .sort();
}

/** The generated files against an `expected/` tree: the same paths, the same bytes. With UPDATE_GOLDEN=1 the tree is rewritten. */
export function compareWithGolden(expectedDir: string, files: readonly GeneratedFile[]): { missing: string[]; extra: string[]; different: string[] } {
  if (UPDATE_GOLDEN) {
    rmSync(expectedDir, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(expectedDir, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.contents);
    }
  }
  const expected = listFiles(expectedDir);
  const actual = files.map((file) => file.path).sort();
  return {
    missing: expected.filter((file) => !actual.includes(file)),
    extra: actual.filter((file) => !expected.includes(file)),
    different: files.filter((file) => expected.includes(file.path) && readFileSync(path.join(expectedDir, file.path), 'utf8') !== file.contents).map((file) => file.path),
  };
}
