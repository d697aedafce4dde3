import fs, { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ignore, Options as IgnoreOptions } from 'ignore';
import type { AnalysisLimits } from './types/analyzers.js';
import { DEFAULT_LIMITS } from './types/analyzers.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { DiscoveredFile, DiscoveredFileKind } from './types/discover.js';
import { compareByteOrder } from './util/byte-order.js';
import { describeFsError, toFileTooLarge, toUnreadable } from './read-source-text.js';

export type { DiscoveredFile, DiscoveredFileKind } from './types/discover.js';
export { readSourceText, type SourceText, type ReadSourceOptions } from './read-source-text.js';

/**
 * Folders never walked, at any depth, whatever the ignore files say: dependencies, VCS data, build and deploy
 * output (which holds copies of the sources), tool caches.
 */
export const ALWAYS_SKIPPED_DIRS: readonly string[] = [
  'node_modules',
  '.git',
  'dist',
  'build',
  '.build',
  'out',
  '.serverless',
  '.aws-sam',
  'cdk.out',
  '.terraform',
  'coverage',
  '.next',
  '.turbo',
  '.cache',
  '.lambda2sfn-cache',
];

export interface DiscoverOptions {
  limits?: AnalysisLimits;
  /** More gitignore-style patterns, relative to the root. They cannot be re-included by a `.gitignore` negation. */
  extraIgnores?: string[];
}

export interface DiscoverResult {
  /** Sorted by path (byte order). */
  files: DiscoveredFile[];
  /** Sorted by file, then code. */
  diagnostics: Diagnostic[];
}

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);
const DECLARATION_FILE = /\.d\.[mc]?ts$/;
/** `.tfvars` too: Terraform variable values that an analyzer may need to evaluate names. */
const IAC_EXTENSIONS = new Set(['.yml', '.yaml', '.json', '.template', '.tf', '.tfvars']);
const CONFIG_NAMES = new Set(['package.json', '.gitignore', 'pnpm-workspace.yaml', 'lerna.json']);
const TSCONFIG = /^tsconfig(\..+)?\.json$/;
/** JSON/YAML files that are never IaC and can be large: lock files. */
const NOT_IAC_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml']);
/** Step Functions definitions in their own files: no analyzer parses them, later stages may link them to state machines. */
const ASL_FILE = /\.asl\.(json|ya?ml)$/;

/** Whether a path names a Step Functions definition file (`*.asl.json`, `*.asl.yaml`, `*.asl.yml`). */
export function isAslFile(file: string): boolean {
  return ASL_FILE.test(file);
}

const TEST_FILE = /\.(test|spec)\./;
const TEST_SEGMENTS = new Set(['__tests__', 'test', 'tests', '__mocks__', 'e2e']);
/** Directories read at the same time: enough to hide filesystem latency without flooding libuv's thread pool. */
const CONCURRENCY = 16;

/**
 * The kind of a file by its name, or undefined for files nobody reads (images, binaries, docs, lock files).
 * Exported for tests and for callers that classify paths they did not discover.
 */
export function getFileKind(name: string): DiscoveredFileKind | undefined {
  if (CONFIG_NAMES.has(name) || TSCONFIG.test(name)) return 'config';
  if (ASL_FILE.test(name)) return 'other';
  const extension = path.posix.extname(name);
  if (CODE_EXTENSIONS.has(extension)) return DECLARATION_FILE.test(name) ? undefined : 'code';
  if (IAC_EXTENSIONS.has(extension) && !NOT_IAC_NAMES.has(name)) return 'iac';
  return undefined;
}

/** `*.test.*`, `*.spec.*`, or anything under `__tests__`, `test`, `tests`, `__mocks__`, `e2e`. */
export function isTestPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const name = segments[segments.length - 1] ?? '';
  return TEST_FILE.test(name) || segments.some((segment) => TEST_SEGMENTS.has(segment));
}

/** The rules of one `.gitignore`, with the folder (relative to the root) they apply to. */
interface IgnoreFile {
  base: string;
  rules: Ignore;
}

interface DirTask {
  /** Path to read. */
  abs: string;
  /** Real path (symlinks resolved), to never walk a folder twice. */
  real: string;
  /** Path relative to the root, POSIX; '' for the root. */
  rel: string;
  /** The `.gitignore` files of the ancestors, outermost first. */
  ignoreFiles: readonly IgnoreFile[];
}

interface PendingLink {
  abs: string;
  rel: string;
  name: string;
  parentReal: string;
  ignoreFiles: readonly IgnoreFile[];
}

/**
 * Lists the code, IaC and config files under `root`. Honours `.gitignore` files at every level and
 * ALWAYS_SKIPPED_DIRS; follows symlinks that stay inside the root, once per real folder; reports unreadable
 * folders and files, oversized files and symlinks it did not follow as diagnostics. Never throws for
 * filesystem errors. Output is sorted, so the same tree always gives the same result.
 *
 * Real folders are walked first and symlinked folders after, so that a folder reached both ways is listed
 * under its real path.
 */
export async function discoverFiles(root: string, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const walker = new Walker(options);
  await walker.walk(path.resolve(root));
  return walker.getResult();
}

class Walker {
  private readonly files: DiscoveredFile[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly visited = new Set<string>();
  private pendingLinks: PendingLink[] = [];
  private readonly maxFileBytes: number;
  private readonly extraRules: Ignore | undefined;
  private rootReal = '';

  constructor(options: DiscoverOptions) {
    this.maxFileBytes = (options.limits ?? DEFAULT_LIMITS).maxFileBytes;
    const extra = (options.extraIgnores ?? []).filter((pattern) => pattern.trim() !== '');
    this.extraRules = extra.length > 0 ? createRules(extra.join('\n')) : undefined;
  }

  async walk(rootAbs: string): Promise<void> {
    try {
      this.rootReal = await fsp.realpath(rootAbs);
      const stats = await fsp.stat(this.rootReal);
      if (!stats.isDirectory()) {
        this.diagnostics.push(toUnreadable('.', 'the analysed path is not a folder'));
        return;
      }
    } catch (error) {
      this.diagnostics.push(toUnreadable('.', describeFsError(error)));
      return;
    }
    await this.walkTree({ abs: this.rootReal, real: this.rootReal, rel: '', ignoreFiles: [] });
    // Symlinks last, in path order, so that which link claims a shared target does not depend on timing.
    while (this.pendingLinks.length > 0) {
      const links = this.pendingLinks.toSorted((a, b) => compareByteOrder(a.rel, b.rel));
      this.pendingLinks = [];
      for (const link of links) {
        const task = await this.followLink(link);
        if (task) await this.walkTree(task);
      }
    }
  }

  getResult(): DiscoverResult {
    const files = this.files.toSorted((a, b) => compareByteOrder(a.path, b.path));
    const diagnostics = this.diagnostics.toSorted(
      (a, b) => compareByteOrder(a.file ?? '', b.file ?? '') || compareByteOrder(a.code, b.code),
    );
    return { files, diagnostics };
  }

  /** Walks a folder and its subfolders, CONCURRENCY folders at a time, without recursion. */
  private walkTree(start: DirTask): Promise<void> {
    const queue: DirTask[] = [start];
    let active = 0;
    return new Promise((resolve) => {
      const pump = (): void => {
        while (active < CONCURRENCY && queue.length > 0) {
          const task = queue.pop() as DirTask;
          active++;
          this.visitDirectory(task)
            .then(
              (children) => queue.push(...children),
              (error: unknown) => this.diagnostics.push(toUnreadable(task.rel || '.', describeFsError(error))),
            )
            .finally(() => {
              active--;
              pump();
            });
        }
        if (active === 0 && queue.length === 0) resolve();
      };
      pump();
    });
  }

  /** Lists one folder: records its files, returns its subfolders, defers its symlinks. */
  private async visitDirectory(task: DirTask): Promise<DirTask[]> {
    if (this.visited.has(task.real)) return [];
    this.visited.add(task.real);
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(task.abs, { withFileTypes: true });
    } catch (error) {
      this.diagnostics.push(toUnreadable(task.rel || '.', describeFsError(error)));
      return [];
    }
    const ignoreFiles = await this.addIgnoreFile(task, entries);
    const subfolders: DirTask[] = [];
    const candidates: { abs: string; rel: string; kind: DiscoveredFileKind }[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const rel = task.rel === '' ? name : `${task.rel}/${name}`;
      const abs = path.join(task.abs, name);
      if (entry.isDirectory()) {
        if (this.isExcludedFolder(name, rel, ignoreFiles)) continue;
        subfolders.push({ abs, real: path.join(task.real, name), rel, ignoreFiles });
      } else if (entry.isFile()) {
        const kind = getFileKind(name);
        if (kind && !this.isIgnored(rel, false, ignoreFiles)) candidates.push({ abs, rel, kind });
      } else if (entry.isSymbolicLink()) {
        this.pendingLinks.push({ abs, rel, name, parentReal: task.real, ignoreFiles });
      }
      // Sockets, FIFOs and devices are never read: opening a FIFO would block.
    }
    for (const file of candidates) this.addFile(file.abs, file.rel, file.kind);
    return subfolders;
  }

  /** Reads the folder's `.gitignore`, if any, and returns the rules that apply to its entries. */
  private async addIgnoreFile(task: DirTask, entries: Dirent[]): Promise<readonly IgnoreFile[]> {
    const entry = entries.find((candidate) => candidate.name === '.gitignore');
    // A symlinked .gitignore is not read: it could point outside the root.
    if (!entry?.isFile()) return task.ignoreFiles;
    try {
      const text = await fsp.readFile(path.join(task.abs, '.gitignore'), 'utf8');
      return [...task.ignoreFiles, { base: task.rel, rules: createRules(text) }];
    } catch (error) {
      const rel = task.rel === '' ? '.gitignore' : `${task.rel}/.gitignore`;
      this.diagnostics.push(toUnreadable(rel, describeFsError(error)));
      return task.ignoreFiles;
    }
  }

  private addFile(abs: string, rel: string, kind: DiscoveredFileKind): void {
    let stats: { size: number; mtimeMs: number; ctimeMs: number };
    try {
      // Synchronous: a stat of a local file takes microseconds, a promise per file cost more than the stats did
      // (80 ms of a 0.7 s cached run at 10,000 files).
      stats = fs.statSync(abs);
    } catch (error) {
      this.diagnostics.push(toUnreadable(rel, describeFsError(error)));
      return;
    }
    const { size, mtimeMs, ctimeMs } = stats;
    if (size > this.maxFileBytes) {
      this.diagnostics.push(toFileTooLarge(rel, size, this.maxFileBytes));
      return;
    }
    this.files.push({ path: rel, kind, size, mtimeMs, ctimeMs, isTest: isTestPath(rel) });
  }

  /**
   * Resolves a symlink: adds it when it is a file, returns a task when it is a folder to walk, or records why
   * it was not followed. A symlink is judged by its own path (as git does), then by where it points.
   */
  private async followLink(link: PendingLink): Promise<DirTask | undefined> {
    let target: string;
    let isDirectory: boolean;
    try {
      target = await fsp.realpath(link.abs);
      const stats = await fsp.stat(target);
      if (!stats.isDirectory() && !stats.isFile()) return undefined;
      isDirectory = stats.isDirectory();
    } catch (error) {
      if (getFileKind(link.name) && !this.isIgnored(link.rel, false, link.ignoreFiles)) {
        this.diagnostics.push(toSymlinkInfo('broken-symlink', link.rel, `points nowhere: ${describeFsError(error)}`));
      }
      return undefined;
    }
    const kind = isDirectory ? undefined : getFileKind(link.name);
    if (isDirectory ? this.isExcludedFolder(link.name, link.rel, link.ignoreFiles) : !kind) return undefined;
    if (!isDirectory && this.isIgnored(link.rel, false, link.ignoreFiles)) return undefined;
    if (!isInside(this.rootReal, target)) {
      this.diagnostics.push(toSymlinkInfo('symlink-outside-root', link.rel, 'points outside the analysed folder'));
      return undefined;
    }
    // A link into node_modules or build output brings in dependencies or copies: skip it as the folder itself is.
    if (isUnderSkippedDir(path.relative(this.rootReal, target))) return undefined;
    if (kind) {
      this.addFile(target, link.rel, kind);
      return undefined;
    }
    if (this.visited.has(target)) {
      const isLoop = isInside(target, link.parentReal);
      this.diagnostics.push(
        isLoop
          ? toSymlinkInfo('symlink-loop', link.rel, 'points to a folder that contains it')
          : toSymlinkInfo('symlink-duplicate', link.rel, 'points to a folder that is already analysed'),
      );
      return undefined;
    }
    return { abs: target, real: target, rel: link.rel, ignoreFiles: link.ignoreFiles };
  }

  private isExcludedFolder(name: string, rel: string, ignoreFiles: readonly IgnoreFile[]): boolean {
    return ALWAYS_SKIPPED_DIRS.includes(name) || this.isIgnored(rel, true, ignoreFiles);
  }

  /**
   * Git's rule: the last matching pattern wins, and patterns of a deeper `.gitignore` come after those of its
   * ancestors. Ancestors of `rel` are known not to be ignored, since ignored folders are never entered.
   */
  private isIgnored(rel: string, isDirectory: boolean, ignoreFiles: readonly IgnoreFile[]): boolean {
    const suffix = isDirectory ? '/' : '';
    if (this.extraRules?.ignores(rel + suffix)) return true;
    let ignored = false;
    for (const file of ignoreFiles) {
      const local = file.base === '' ? rel : rel.slice(file.base.length + 1);
      const result = file.rules.test(local + suffix);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/** `ignore` is CommonJS: required rather than imported, which spares Node a scan of it for export names at start-up. */
const ignore = createRequire(import.meta.url)('ignore') as (options?: IgnoreOptions) => Ignore;

/** Case-sensitive, as git is on Linux, so the result does not depend on the machine. */
function createRules(text: string): Ignore {
  return ignore({ ignorecase: false }).add(text);
}

function isUnderSkippedDir(relativePath: string): boolean {
  return relativePath.split(path.sep).some((segment) => ALWAYS_SKIPPED_DIRS.includes(segment));
}

function isInside(folder: string, candidate: string): boolean {
  return candidate === folder || candidate.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

function toSymlinkInfo(code: string, file: string, reason: string): Diagnostic {
  return {
    code,
    severity: 'info',
    message: `Did not follow the symlink ${file}: it ${reason}.`,
    file,
  };
}
