/** Where something came from: a path relative to the analysed folder (POSIX separators) and a 1-based line. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem with the input that did not stop the run: a file we could not read or parse,
 * a construct we could not follow. Always carries the file and, when known, the line.
 */
export interface Diagnostic {
  /** Stable identifier, e.g. `parse-error`, `yaml-error`, `unreadable-file`. Documented in the README. */
  code: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** What the user can do about it. */
  hint?: string;
}
