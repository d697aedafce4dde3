import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from './types/diagnostics.js';

/**
 * The text of a file, or why it could not be read. `notice`: an info-level remark on text that was read anyway
 * (a few bytes that are not UTF-8, decoded as U+FFFD).
 */
export type SourceText = { text: string; notice?: Diagnostic } | { diagnostic: Diagnostic };

export interface ReadSourceOptions {
  /** The path to put in diagnostics (relative to the analysed folder); defaults to the absolute path. */
  file?: string;
  /** Refuse files larger than this (a file may have grown since discovery). */
  maxFileBytes?: number;
}

/** How much of the file the binary sniffing looks at, as git does. */
const SNIFF_BYTES = 8192;
/** Share of undecodable characters in the sniffed part above which a file is treated as binary, not as mis-encoded text. */
const MAX_INVALID_RATIO = 0.1;

/**
 * Reads a source file as UTF-8 with the byte order mark removed and nothing else changed, so that line and
 * column numbers stay those of the file on disk (CRLF is kept). Never throws: a missing, unreadable, special,
 * oversized or binary file becomes a diagnostic.
 */
export function readSourceText(absPath: string, options: ReadSourceOptions = {}): SourceText {
  const file = options.file ?? absPath;
  let bytes: Buffer;
  try {
    // stat first: opening a FIFO or a device would block or never end.
    const stats = statSync(absPath);
    if (!stats.isFile()) return { diagnostic: toUnreadable(file, 'not a regular file') };
    if (options.maxFileBytes !== undefined && stats.size > options.maxFileBytes) {
      return { diagnostic: toFileTooLarge(file, stats.size, options.maxFileBytes) };
    }
    bytes = readFileSync(absPath);
  } catch (error) {
    return { diagnostic: toUnreadable(file, describeFsError(error)) };
  }
  const binaryReason = getBinaryReason(bytes);
  if (binaryReason !== undefined) {
    return {
      diagnostic: {
        code: 'binary-file',
        severity: 'warning',
        message: `Skipped ${file}: ${binaryReason}.`,
        file,
        hint: 'Only UTF-8 text is analysed. Ignore the file (.gitignore or --ignore) or re-save it as UTF-8.',
      },
    };
  }
  // The byte order mark is dropped; nothing else changes.
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.toString('utf8', hasBom ? 3 : 0);
  if (isUtf8(bytes)) return { text };
  // A few bytes that are not UTF-8 (a comment saved in Latin-1): read as U+FFFD, with a notice at the first.
  const index = text.indexOf('\ufffd');
  return index < 0 ? { text } : { text, notice: toNotUtf8(file, text.slice(0, index).split('\n').length) };
}

function toNotUtf8(file: string, line: number): Diagnostic {
  return {
    code: 'not-utf8',
    severity: 'info',
    message: `${file} is not all UTF-8 (first at line ${line}); those bytes were read as U+FFFD and the rest analysed.`,
    file,
    line,
    hint: 'Usually a comment or string saved in Latin-1 or Windows-1252; re-save the file as UTF-8.',
  };
}

/** Why the bytes do not look like UTF-8 text, or undefined when they do. */
export function getBinaryReason(bytes: Uint8Array): string | undefined {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (hasUtf16Bom(sample)) return 'it is UTF-16 encoded';
  if (sample.includes(0)) return 'it contains NUL bytes';
  if (sample.length === 0) return undefined;
  // Almost every file is valid UTF-8: a native check, before counting undecodable characters.
  if (isUtf8(bytes)) return undefined;
  // stream: true keeps a multi-byte character cut at the end of the sample from counting as invalid.
  const decoded = new TextDecoder('utf-8').decode(sample, { stream: true });
  let invalid = 0;
  for (let i = 0; i < decoded.length; i++) {
    if (decoded.charCodeAt(i) === 0xfffd) invalid++;
  }
  if (invalid / Math.max(decoded.length, 1) > MAX_INVALID_RATIO) return 'it is not valid UTF-8';
  return undefined;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

export function toUnreadable(file: string, reason: string): Diagnostic {
  return {
    code: 'unreadable',
    severity: 'warning',
    message: `Cannot read ${file}: ${reason}.`,
    file,
    hint: 'Check its permissions, or exclude it with .gitignore or --ignore.',
  };
}

export function toFileTooLarge(file: string, size: number, maxFileBytes: number): Diagnostic {
  return {
    code: 'file-too-large',
    severity: 'warning',
    message: `Skipped ${file}: ${size} bytes is over the limit of ${maxFileBytes} bytes.`,
    file,
    hint: 'Raise --max-file-size if the file matters, or exclude it with .gitignore or --ignore.',
  };
}

/** `EACCES: permission denied, open '/abs/path'` → `EACCES (permission denied)`: no absolute paths in diagnostics. */
export function describeFsError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message.replace(/^[A-Z]+: /, '').replace(/,.*$/s, '');
    return code ? `${code} (${text})` : text;
  }
  return String(error);
}
