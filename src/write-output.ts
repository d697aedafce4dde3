import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { OutputError, UsageError } from './errors.js';

export interface WriteOptions {
  /** Replace files that already exist. */
  force?: boolean;
}

/**
 * Write one file atomically: to a temporary file next to it, then rename, so an interrupted run never leaves a
 * half-written file. An existing file is only replaced with `force`.
 */
export function writeFileAtomic(target: string, contents: string, options: WriteOptions = {}): void {
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${target} already exists`, 'pass --force to replace it, or choose another path');
  }
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) {
    throw new UsageError(`${target} is a symbolic link; refusing to write through it`);
  }
  const dir = path.dirname(target);
  const temporary = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, contents);
    renameSync(temporary, target);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing to clean up: the folder itself could not be made.
    }
    throw new OutputError(`could not write ${target}: ${(error as Error).message}`, { cause: error });
  }
}
