import { posix } from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { IacInput, RootReader } from '../../types/analyzers.js';
import type { Diagnostic } from '../../types/diagnostics.js';
import { getBracketNesting } from '../../util/bracket-nesting.js';

const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
/** TypeScript compiled in place leaves `x.js` next to `x.ts`: the TypeScript source is what the app runs through ts-node. */
const COMPILED_TWIN = /\.(js|mjs|cjs)$/;

/**
 * The files of a CDK app in one ts-morph Project on an in-memory file system: the files the pipeline handed over,
 * plus local modules they import that do not mention the CDK themselves (read through the RootReader, so never
 * outside the analysed folder). Parsed only; no type checker, no module resolution by TypeScript.
 */
export class SourceFiles {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noLib: true },
  });
  private readonly texts = new Map<string, string>();
  private readonly loaded = new Map<string, SourceFile | undefined>();
  private readonly packageDirs = new Map<string, string>();
  private packagesIndexed = false;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    inputs: readonly IacInput[],
    private readonly root: RootReader,
    /** Deepest bracket nesting read (AnalysisLimits.maxDepth): deeper files would exhaust the parser's stack. */
    private readonly maxDepth = 500,
  ) {
    for (const input of inputs) this.texts.set(input.file, input.text);
  }

  /** The app's files, without compiled twins of TypeScript files, sorted. */
  getInputFiles(): string[] {
    const files = [...this.texts.keys()].sort();
    return files.filter((file) => !(COMPILED_TWIN.test(file) && ['.ts', '.mts', '.cts'].some((ext) => this.texts.has(file.replace(COMPILED_TWIN, '') + ext))));
  }

  /** The parsed file (relative to the analysed folder), or undefined when it cannot be read. Parse errors become diagnostics. */
  get(file: string): SourceFile | undefined {
    if (this.loaded.has(file)) return this.loaded.get(file);
    const text = this.texts.get(file) ?? this.root.readText(file);
    let sourceFile: SourceFile | undefined;
    const nesting = text === undefined ? undefined : getBracketNesting(text);
    if (text !== undefined && nesting && nesting.depth > this.maxDepth) {
      this.diagnostics.push(toTooDeep(file, nesting.line, `nesting deeper than ${this.maxDepth} levels`));
    } else if (text !== undefined) {
      try {
        sourceFile = this.project.createSourceFile(`/${file}`, text, { overwrite: true, scriptKind: getScriptKind(file) });
        this.diagnostics.push(...getParseDiagnostics(file, sourceFile));
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        this.diagnostics.push(toTooDeep(file, nesting?.line ?? 1, 'nested too deeply to parse'));
      }
    }
    this.loaded.set(file, sourceFile);
    return sourceFile;
  }

  /** The text of a non-code file of the analysed folder (JSON imports, cdk.json). */
  readText(file: string): string | undefined {
    return this.texts.get(file) ?? this.root.readText(file);
  }

  private exists(file: string): boolean {
    return this.texts.has(file) || this.root.exists(file);
  }

  /**
   * The file a module specifier names, relative to the analysed folder: relative paths (with TypeScript's
   * `.js` → `.ts` mapping and `index` files) and packages of the same repository (workspaces). Undefined for
   * anything else (npm packages, node built-ins).
   */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.resolvePath(posix.normalize(posix.join(posix.dirname(fromFile), specifier)));
    if (specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
    return this.resolvePackage(specifier);
  }

  private resolvePath(base: string): string | undefined {
    if (base === '..' || base.startsWith('../')) return undefined;
    const candidates: string[] = [];
    if (COMPILED_TWIN.test(base)) {
      const stem = base.replace(COMPILED_TWIN, '');
      candidates.push(`${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}.tsx`);
    }
    if (/\.(json|[cm]?[jt]sx?)$/.test(base)) candidates.push(base);
    for (const ext of CODE_EXTENSIONS) candidates.push(base + ext);
    for (const ext of CODE_EXTENSIONS) candidates.push(`${base}/index${ext}`);
    return candidates.find((candidate) => this.exists(candidate));
  }

  /** `@acme/constructs` or `@acme/constructs/queue-worker` when a package.json of the repository has that name. */
  private resolvePackage(specifier: string): string | undefined {
    this.indexPackages();
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const dir = this.packageDirs.get(parts.slice(0, nameLength).join('/'));
    if (dir === undefined) return undefined;
    const subpath = parts.slice(nameLength).join('/');
    const join = (...items: string[]) => posix.normalize(posix.join(dir, ...items));
    if (subpath) return this.resolvePath(join('src', subpath)) ?? this.resolvePath(join(subpath));
    const manifest = parseJsonObject(this.readText(join('package.json')));
    const entries = [manifest?.source, manifest?.types, manifest?.typings, manifest?.main]
      .filter((entry): entry is string => typeof entry === 'string')
      .map((entry) => entry.replace(/\.d\.ts$/, '.ts').replace(/^(\.\/)?(dist|lib|build)\//, '$1src/'));
    for (const entry of [...entries, 'src/index', 'index', 'lib/index']) {
      const found = this.resolvePath(join(entry));
      if (found) return found;
    }
    return undefined;
  }

  /** Names of the packages whose folders hold the app's files (a monorepo's shared construct library). */
  private indexPackages(): void {
    if (this.packagesIndexed) return;
    this.packagesIndexed = true;
    const dirs = new Set<string>();
    for (const file of this.texts.keys()) {
      for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
        dirs.add(dir);
        if (dir === '.' || dir === '/') break;
      }
    }
    for (const dir of [...dirs].sort()) {
      const name = parseJsonObject(this.readText(dir === '.' ? 'package.json' : `${dir}/package.json`))?.name;
      if (typeof name === 'string' && !this.packageDirs.has(name)) this.packageDirs.set(name, dir);
    }
  }
}

function toTooDeep(file: string, line: number, why: string): Diagnostic {
  return {
    code: 'cdk-too-deep',
    severity: 'warning',
    message: `${why}: the file is not read as part of the CDK app`,
    file,
    line,
    hint: 'the rest of the app was analysed; raise --max-depth if the file is real code',
  };
}

function getScriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

/** Syntax errors the parser recovered from: the file is still read around them. */
function getParseDiagnostics(file: string, sourceFile: SourceFile): Diagnostic[] {
  const node = sourceFile.compilerNode as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] };
  const first = node.parseDiagnostics?.[0];
  if (!first) return [];
  const { line, column } = sourceFile.getLineAndColumnAtPos(first.start);
  return [
    {
      code: 'cdk-parse-error',
      severity: 'warning',
      message: `${ts.flattenDiagnosticMessageText(first.messageText, ' ')}: the infrastructure read from this file may be incomplete`,
      file,
      line,
      column,
      hint: 'fix the syntax error; the rest of the app was analysed',
    },
  ];
}

export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
