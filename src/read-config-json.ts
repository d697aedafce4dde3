import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from './types/diagnostics.js';
import type { DiagnosingRootReader } from './root-reader.js';

export interface ConfigJson {
  /** The parsed value (what could be read of it, when the file has errors); undefined when it could not be read. */
  value: unknown;
  diagnostics: Diagnostic[];
}

/**
 * A project JSON file (`package.json`, `tsconfig.json`) as people write them: comments and trailing commas
 * allowed (jsonc-parser, the reader VS Code uses for such files). A file that cannot be read, or has a syntax
 * error, gives one diagnostic at the line of the first error; module resolution goes on with what could be read.
 */
export function readConfigJson(reader: DiagnosingRootReader, file: string): ConfigJson {
  const read = reader.read(file);
  if (!('text' in read)) return { value: undefined, diagnostics: [read.diagnostic] };
  const errors: ParseError[] = [];
  const value: unknown = parse(read.text, errors, { allowTrailingComma: true });
  if (errors.length === 0) return { value, diagnostics: [] };
  const first = errors[0];
  const before = read.text.slice(0, first.offset).split('\n');
  return {
    value,
    diagnostics: [
      {
        code: 'config-invalid',
        severity: 'warning',
        message: `Cannot parse ${file}: ${toSentence(printParseErrorCode(first.error))}.`,
        file,
        line: before.length,
        column: before[before.length - 1].length + 1,
        hint: 'Imports that this file would resolve (workspace packages, path aliases) may be missed; fix the JSON.',
      },
    ],
  };
}

/** `ValueExpected` → `value expected`. */
export function toSentence(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
