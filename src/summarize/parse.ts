import { createRequire } from 'node:module';
import type { ParserPlugin, parse as babelParse } from '@babel/parser';
import type { File } from '@babel/types';
import type { Diagnostic } from '../types/diagnostics.js';
import { getBracketNesting } from '../util/bracket-nesting.js';

/**
 * @babel/parser is CommonJS: required, not imported, because importing it from ESM makes Node scan its 500 kB
 * for export names on every start; and loaded on first use, since a run that reads every file from the cache
 * never parses.
 */
let parse: typeof babelParse | undefined;
const loadParser = (): typeof babelParse => (parse ??= (createRequire(import.meta.url)('@babel/parser') as { parse: typeof babelParse }).parse);

export interface ParseResult {
  ast?: File;
  diagnostics: Diagnostic[];
}

/** Parser plugins by file extension. TypeScript files never get JSX except `.tsx` (JSX would misread `<T>x` casts). */
function getPlugins(file: string): ParserPlugin[] {
  if (/\.(ts|mts|cts)$/.test(file)) return ['typescript', 'decorators-legacy'];
  if (file.endsWith('.tsx')) return ['typescript', 'jsx', 'decorators-legacy'];
  return ['jsx'];
}

/**
 * Parse one source file with error recovery: recoverable errors become diagnostics and the AST is still returned,
 * so calls in the rest of the file are found. An unrecoverable error gives a diagnostic and no AST.
 */
export function parseSource(file: string, text: string): ParseResult {
  const first = parseOnce(file, text);
  if (first.ast || first.diagnostics[0]?.line === undefined) return first;
  // Babel gives up on some errors even with recovery. Blank out the top-level statement around the error (lines
  // are kept, so positions stay true) and parse again, a few times, so calls elsewhere in the file are still found.
  let current = text;
  let skipped: [number, number][] = [];
  let line: number | undefined = first.diagnostics[0].line;
  for (let attempt = 0; attempt < 5 && line !== undefined; attempt++) {
    const blanked = blankTopLevelStatement(current, line);
    if (!blanked) break;
    current = blanked.text;
    skipped = [...skipped, blanked.lines];
    const retry = parseOnce(file, current);
    if (retry.ast) {
      const where = skipped.map(([a, b]) => (a === b ? `line ${a}` : `lines ${a}–${b}`)).join(', ');
      const diagnostic = { ...first.diagnostics[0], hint: `${where} skipped; the rest of the file was analysed` };
      return { ast: retry.ast, diagnostics: [diagnostic, ...retry.diagnostics] };
    }
    line = retry.diagnostics[0]?.line;
  }
  return first;
}

/** Lines that start a top-level statement in formatted code: something at column 0 that does not close a block. */
const TOP_LEVEL_START = /^(?![\s})\]]|\/\/|\/\*|\*)\S/;

function blankTopLevelStatement(text: string, line: number): { text: string; lines: [number, number] } | undefined {
  const lines = text.split('\n');
  const index = Math.min(Math.max(line - 1, 0), lines.length - 1);
  let start = index;
  while (start > 0 && !TOP_LEVEL_START.test(lines[start])) start--;
  let end = index + 1;
  while (end < lines.length && !TOP_LEVEL_START.test(lines[end])) end++;
  if (lines.slice(start, end).every((l) => l.trim() === '')) return undefined;
  for (let i = start; i < end; i++) lines[i] = lines[i].replace(/[^\r]/g, ' ');
  return { text: lines.join('\n'), lines: [start + 1, end] };
}

function parseOnce(file: string, text: string): ParseResult {
  const plugins = getPlugins(file);
  const base = {
    plugins,
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    allowSuperOutsideMethod: true,
    attachComment: false,
  } as const;
  // CommonJS files are sloppy-mode scripts; try them as scripts first so `with`/octal literals still parse.
  const order: ('module' | 'script')[] = file.endsWith('.cjs') ? ['script', 'module'] : ['module', 'script'];
  let firstError: unknown;
  for (const sourceType of order) {
    try {
      const ast = loadParser()(text, { ...base, sourceType });
      const diagnostics = (ast.errors ?? []).slice(0, 20).map((error) => toParseDiagnostic(file, error, text));
      return { ast, diagnostics };
    } catch (error) {
      firstError ??= error;
    }
  }
  return { diagnostics: [toParseDiagnostic(file, firstError, text)] };
}

function toParseDiagnostic(file: string, error: unknown, text: string): Diagnostic {
  const err = error as { message?: string; loc?: { line: number; column: number }; reasonCode?: string };
  if (error instanceof RangeError) {
    return {
      code: 'too-deep',
      severity: 'error',
      message: 'nested too deeply to parse',
      file,
      line: getDeepestBracketLine(text),
      hint: 'the file was skipped; everything else was analysed',
    };
  }
  const message = String(err?.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
  return {
    code: 'parse-error',
    severity: 'error',
    message,
    file,
    line: err?.loc?.line,
    column: err?.loc ? err.loc.column + 1 : undefined,
  };
}

/**
 * Where a file too deep to parse is deepest: the first line with the most open brackets. The parser's stack runs out
 * before it can say where it was; brackets inside strings and comments only shift the guess.
 */
function getDeepestBracketLine(text: string): number {
  return getBracketNesting(text).line;
}
