import { parse, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import type { Diagnostic } from '../types/diagnostics.js';

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
      const ast = parse(text, { ...base, sourceType });
      const diagnostics = (ast.errors ?? []).slice(0, 20).map((error) => toParseDiagnostic(file, error));
      return { ast, diagnostics };
    } catch (error) {
      firstError ??= error;
    }
  }
  return { diagnostics: [toParseDiagnostic(file, firstError)] };
}

function toParseDiagnostic(file: string, error: unknown): Diagnostic {
  const err = error as { message?: string; loc?: { line: number; column: number }; reasonCode?: string };
  if (error instanceof RangeError) {
    return {
      code: 'too-deep',
      severity: 'error',
      message: 'the file is nested too deeply to parse',
      file,
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
