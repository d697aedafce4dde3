import path from 'node:path/posix';

/** What a workspace package's package.json says about where its code is. */
export interface WorkspacePackage {
  name: string;
  /** Folder of the package, relative to the analysed root. */
  dir: string;
  /** Entry candidates from `source`, `exports`, `module`, `main`, `types`, in that order. */
  entries: string[];
}

/** `compilerOptions.paths` of one tsconfig, with the folder they are relative to. */
export interface PathAlias {
  /** The tsconfig's folder (relative to root). */
  dir: string;
  baseUrl: string;
  paths: Record<string, string[]>;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Build output folders whose sources usually live in `src/` (a workspace package's `main: dist/index.js`). */
const BUILD_DIRS = /^(dist|lib|build|out|cjs|esm)\//;

/**
 * Resolves import specifiers to files of the analysed folder, without touching the disk: relative paths with
 * extension and index lookup (including TypeScript's `./x.js` → `./x.ts`), workspace packages by name, and
 * tsconfig `paths`. Anything else is an external package.
 */
export class ModuleResolver {
  private readonly cache = new Map<string, string | null>();
  /**
   * Every target looked for in the set of files (found or not), so that a later run can tell whether a new or
   * deleted file could change where an import leads (see `getTargetsFinding` and resolve/incremental.ts).
   */
  readonly probed = new Set<string>();

  constructor(
    private readonly files: ReadonlySet<string>,
    private readonly packages: readonly WorkspacePackage[] = [],
    private readonly aliases: readonly PathAlias[] = [],
  ) {}

  /** What, besides the set of files, decides where imports lead: the workspace packages and path aliases. */
  describe(): unknown {
    return { packages: this.packages, aliases: this.aliases };
  }

  /** The file an import refers to, or undefined for an external package. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    let result = this.cache.get(key);
    if (result === undefined) {
      result = this.resolveUncached(fromFile, specifier) ?? null;
      this.cache.set(key, result);
    }
    return result ?? undefined;
  }

  private resolveUncached(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const target = path.normalize(path.join(path.dirname(fromFile), specifier));
      return this.findFile(target);
    }
    const spec = specifier.replace(/^node:/, '');
    for (const alias of this.aliases) {
      const found = this.resolveAlias(alias, spec);
      if (found) return found;
    }
    for (const pkg of this.packages) {
      if (spec === pkg.name) return this.findPackageEntry(pkg);
      if (spec.startsWith(`${pkg.name}/`)) {
        const sub = spec.slice(pkg.name.length + 1);
        return this.findFile(path.join(pkg.dir, sub)) ?? this.findFile(path.join(pkg.dir, 'src', sub));
      }
    }
    return undefined;
  }

  private resolveAlias(alias: PathAlias, spec: string): string | undefined {
    for (const [pattern, targets] of Object.entries(alias.paths)) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star === -1) rest = spec === pattern ? '' : undefined;
      else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1))) {
        rest = spec.slice(star, spec.length - (pattern.length - star - 1));
      }
      if (rest === undefined) continue;
      for (const target of targets) {
        const found = this.findFile(path.join(alias.dir, alias.baseUrl, target.replace('*', rest)));
        if (found) return found;
      }
    }
    return undefined;
  }

  private findPackageEntry(pkg: WorkspacePackage): string | undefined {
    for (const entry of pkg.entries) {
      const normalized = entry.replace(/^\.\//, '');
      const found =
        this.findFile(path.join(pkg.dir, normalized)) ??
        (BUILD_DIRS.test(normalized) ? this.findFile(path.join(pkg.dir, normalized.replace(BUILD_DIRS, 'src/'))) : undefined);
      if (found) return found;
    }
    return this.findFile(path.join(pkg.dir, 'src/index')) ?? this.findFile(path.join(pkg.dir, 'index'));
  }

  /** `a/b` → `a/b.ts`, `a/b/index.ts`, ...; `a/b.js` → `a/b.ts` when only the TypeScript source exists. */
  private findFile(target: string): string | undefined {
    const clean = target.replace(/^\.\//, '');
    this.probed.add(clean);
    if (this.files.has(clean)) return clean;
    const ext = path.extname(clean);
    if (ext) {
      const stem = clean.slice(0, -ext.length);
      const swaps = ext === '.js' || ext === '.jsx' ? ['.ts', '.tsx'] : ext === '.mjs' ? ['.mts'] : ext === '.cjs' ? ['.cts'] : [];
      for (const swap of swaps) if (this.files.has(stem + swap)) return stem + swap;
      // `.d.ts` and other double extensions fall through to the plain lookups below.
    }
    for (const extension of EXTENSIONS) if (this.files.has(clean + extension)) return clean + extension;
    for (const extension of EXTENSIONS) if (this.files.has(`${clean}/index${extension}`)) return `${clean}/index${extension}`;
    return undefined;
  }
}

/**
 * The targets `findFile` could find `file` for: the file itself, its path without the extension, the `.js` name of a
 * TypeScript file, its folder for an index file. A new or deleted file changes no import unless one of these was
 * looked for.
 */
export function getTargetsFinding(file: string): string[] {
  const out = [file];
  const ext = path.extname(file);
  if (!EXTENSIONS.includes(ext)) return out;
  const stem = file.slice(0, -ext.length);
  out.push(stem);
  if (ext === '.ts' || ext === '.tsx') out.push(`${stem}.js`, `${stem}.jsx`);
  if (ext === '.mts') out.push(`${stem}.mjs`);
  if (ext === '.cts') out.push(`${stem}.cjs`);
  if (path.basename(stem) === 'index') out.push(path.dirname(stem));
  return out;
}

/** Read a package.json's entry points, in the order a bundler would consult them for source. */
export function toWorkspacePackage(dir: string, manifest: unknown): WorkspacePackage | undefined {
  if (!manifest || typeof manifest !== 'object') return undefined;
  const pkg = manifest as Record<string, unknown>;
  if (typeof pkg.name !== 'string') return undefined;
  const entries: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string') entries.push(value);
  };
  add(pkg.source);
  const exportsField = pkg.exports;
  if (typeof exportsField === 'string') add(exportsField);
  else if (exportsField && typeof exportsField === 'object') {
    const root = (exportsField as Record<string, unknown>)['.'] ?? exportsField;
    if (typeof root === 'string') add(root);
    else if (root && typeof root === 'object') {
      for (const condition of ['source', 'import', 'require', 'default', 'types']) {
        const value = (root as Record<string, unknown>)[condition];
        if (typeof value === 'string') add(value);
        else if (value && typeof value === 'object') add((value as Record<string, unknown>).default);
      }
    }
  }
  add(pkg.module);
  add(pkg.main);
  add(pkg.types);
  return { name: pkg.name, dir, entries };
}
