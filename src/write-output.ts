import { closeSync, existsSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OutputError, UsageError } from './errors.js';
import { isSafeRelativePath } from './safe-path.js';

/**
 * The only module that writes to the disk. Every file is written to a temporary file next to it and renamed into
 * place, so an interrupted run never leaves a half-written file; the temporary files of a run that is stopped
 * (Ctrl-C) are removed by `removeTemporaryFiles`, which the interrupt handler calls.
 */

export interface WriteOptions {
  /** Replace files that already exist. */
  force?: boolean;
}

/** One file of a multi-file output: a relative POSIX path made with `safe-path.ts`, and its contents. */
export interface OutputFile {
  path: string;
  contents: string;
}

/** Temporary files being written right now, removed if the run is interrupted. */
const temporaryFiles = new Set<string>();

/** Remove the temporary files of writes in progress. Synchronous: called from a signal handler on the way out. */
export function removeTemporaryFiles(): void {
  for (const file of temporaryFiles) {
    try {
      rmSync(file, { force: true });
    } catch {
      // Best effort: the process is stopping.
    }
  }
  temporaryFiles.clear();
}

/** Registers a temporary file written elsewhere (the cache's), so that an interrupt removes it too; returns its unregistration. */
export function trackTemporaryFile(file: string): () => void {
  temporaryFiles.add(file);
  return () => temporaryFiles.delete(file);
}

/** For tests: the temporary files currently registered. */
export function getTemporaryFiles(): string[] {
  return [...temporaryFiles];
}

/**
 * Write one file atomically: to a temporary file next to it, then rename. An existing file is only replaced with
 * `force`; a symbolic link is never written through.
 */
export function writeFileAtomic(target: string, contents: string, options: WriteOptions = {}): void {
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${target} already exists`, 'pass --force to replace it, or choose another path');
  }
  if (isSymbolicLink(target)) {
    throw new UsageError(`${target} is a symbolic link; refusing to write through it`);
  }
  const dir = path.dirname(target);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new OutputError(`could not write ${target}: ${(error as Error).message}`, { cause: error });
  }
  replaceAtomically(target, contents);
}

/**
 * Write a set of files under `outDir` (`--out DIR`): nothing outside it, whatever the paths say; no existing file
 * replaced without `force` (all conflicts are found before anything is written, so a refused run writes nothing);
 * never through a symbolic link, inside the folder or at a target; each file atomic. Returns the absolute paths
 * written, in order.
 */
export function writeOutputFiles(outDir: string, files: readonly OutputFile[], options: WriteOptions = {}): string[] {
  const root = path.resolve(outDir);
  const targets = files.map((file) => toTargetInside(root, file.path));
  const seen = new Set<string>();
  for (const target of targets) {
    const key = target.toLowerCase();
    if (seen.has(key)) throw new OutputError(`two output files would be written to ${target}`);
    seen.add(key);
  }
  // A file where another needs a folder (`a` and `a/b`) would fail half-way: found before anything is written.
  for (const target of targets) {
    for (let folder = path.dirname(target); folder.length > root.length; folder = path.dirname(folder)) {
      if (seen.has(folder.toLowerCase())) throw new OutputError(`${folder} would be both an output file and the folder of another`);
    }
  }
  // The folder itself may be a link: the user named it. Links below it are refused.
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new UsageError(`${outDir} exists and is not a folder`, 'choose another output folder');
  }
  for (const target of targets) refuseSymbolicLinks(root, target);
  const existing = targets.filter((target) => existsSync(target));
  if (existing.length > 0 && !options.force) {
    const shown = existing.slice(0, 5).map((target) => toShownPath(target));
    throw new UsageError(
      `${existing.length === 1 ? 'an output file exists' : `${existing.length} output files exist`}: ${shown.join(', ')}${existing.length > 5 ? ', ...' : ''}`,
      'pass --force to replace them, or choose another output folder',
    );
  }
  for (const [index, target] of targets.entries()) {
    try {
      mkdirSync(path.dirname(target), { recursive: true });
    } catch (error) {
      throw new OutputError(`could not write ${target}: ${(error as Error).message}`, { cause: error });
    }
    // Checked again once the folders exist: a folder made by someone else in between could be a link.
    refuseSymbolicLinks(root, target);
    replaceAtomically(target, files[index].contents);
  }
  return targets;
}

/** The absolute path of `relative` under `root`, or an OutputError when it is not a safe relative path. */
function toTargetInside(root: string, relative: string): string {
  if (!isSafeRelativePath(relative)) {
    throw new OutputError(`refusing to write ${JSON.stringify(relative)}: not a safe relative path (a bug: generators name files with safe-path.ts)`);
  }
  const target = path.resolve(root, relative);
  const inside = path.relative(root, target);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new OutputError(`refusing to write ${JSON.stringify(relative)}: outside ${root}`);
  }
  return target;
}

/** Every existing part of the path below `root` (folders and the file itself) must be what it seems, not a link. */
function refuseSymbolicLinks(root: string, target: string): void {
  const parts = path.relative(root, target).split(path.sep);
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    if (isSymbolicLink(current)) {
      throw new UsageError(`${current} is a symbolic link; refusing to write through it`, 'remove the link, or choose another output folder');
    }
    if (!existsSync(current)) return;
  }
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Temporary file (created exclusively, so a planted file or link at its name is never followed) then rename.
 * The temporary file is registered while it exists, so an interrupt removes it.
 */
function replaceAtomically(target: string, contents: string): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  temporaryFiles.add(temporary);
  try {
    const fd = openExclusive(temporary);
    try {
      writeFileSync(fd, contents);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing to clean up.
    }
    throw new OutputError(`could not write ${target}: ${(error as Error).message}`, { cause: error });
  } finally {
    temporaryFiles.delete(temporary);
  }
}

/** Create a new file; one left at that name by a killed run (or planted there) is removed first, never followed. */
function openExclusive(file: string): number {
  try {
    return openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    rmSync(file, { force: true });
    return openSync(file, 'wx', 0o644);
  }
}

/** A path as the user would write it: relative when under the current folder, absolute otherwise. */
function toShownPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? target : relative;
}
