import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(import.meta.dirname, '../..');
/** Parsed declaration files of TypeScript's libs and @types, shared by every check of the run (parsing them is most of the time). */
const LIB_CACHE = new Map<string, ts.SourceFile>();

/** Modules the example apps import that lambda2sfn does not install: any import of them type-checks as `any`. */
const AMBIENT = `declare module '@aws-sdk/*';\ndeclare module 'aws-sdk';\ndeclare module 'aws-sdk/*';\ndeclare module 'p-retry';\ndeclare module 'async-retry';\n`;

export interface TypeCheckInput {
  /** The project folder (its tsconfig.json is used when there is one, else a strict default). */
  root: string;
  /** Files of the project to check, relative to `root`. */
  files: string[];
  /** Contents that replace files of the project (relative path → text): the refactored handlers. */
  overlay: Record<string, string>;
}

/**
 * Type-checks a project with some files replaced, in memory: the refactored handlers next to the project's own
 * modules, with `@types/node` and `@types/aws-lambda` from lambda2sfn's devDependencies. Returns the errors as
 * `file:line: message`.
 */
export function typeCheck(input: TypeCheckInput): string[] {
  const root = path.resolve(input.root);
  const configPath = path.join(root, 'tsconfig.json');
  let options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, noEmit: true, types: ['node', 'aws-lambda'] };
  try {
    const config = ts.readConfigFile(configPath, (file) => readFileSync(file, 'utf8'));
    if (!config.error) options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  } catch {
    // No tsconfig: the strict default.
  }
  options = { ...options, noEmit: true, typeRoots: [path.join(REPO, 'node_modules/@types')], allowJs: false };
  const overlay = new Map(Object.entries(input.overlay).map(([file, text]) => [path.resolve(root, file), text]));
  const ambient = path.join(root, '__lambda2sfn_ambient__.d.ts');
  overlay.set(ambient, AMBIENT);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => overlay.get(path.resolve(file)) ?? readFile(file);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => overlay.has(path.resolve(file)) || fileExists(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => {
    const text = overlay.get(path.resolve(file));
    if (text !== undefined) return ts.createSourceFile(file, text, language);
    if (!file.includes('node_modules')) return getSourceFile(file, language, onError);
    const cached = LIB_CACHE.get(file);
    if (cached) return cached;
    const parsed = getSourceFile(file, language, onError);
    if (parsed) LIB_CACHE.set(file, parsed);
    return parsed;
  };
  const program = ts.createProgram([...input.files.map((file) => path.resolve(root, file)), ambient], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}

/** Parse errors of a JavaScript file (ES module or CommonJS), as `line: message`. */
export function parseErrors(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((diagnostic) => `${source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
}
