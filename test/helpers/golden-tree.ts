import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { GeneratedFile } from '../../src/types/generator.js';

/** Every file under a folder, by POSIX path relative to it. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current)) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  if (existsSync(dir)) visit(dir);
  return files;
}

/**
 * Compares generated files with an `expected/` tree, file by file; `UPDATE_GOLDEN=1` rewrites the tree instead
 * (review the diff before committing it).
 */
export function expectTree(files: readonly GeneratedFile[], expectedDir: string): void {
  if (process.env.UPDATE_GOLDEN) {
    rmSync(expectedDir, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(expectedDir, ...file.path.split('/'));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.contents);
    }
    return;
  }
  const expected = readTree(expectedDir);
  expect(files.map((file) => file.path).sort(), `files of ${expectedDir}`).toEqual([...expected.keys()].sort());
  for (const file of files) expect(file.contents, file.path).toBe(expected.get(file.path));
}

/** Writes generated files under a folder, as `generate --out` would. */
export function writeTree(dir: string, files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
}
