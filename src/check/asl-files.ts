import { isAslFile } from '../discover.js';
import type { DiscoveredFile } from '../types/discover.js';
import type { Diagnostic } from '../types/diagnostics.js';
import type { DiagnosingRootReader } from '../root-reader.js';
import { getStructuredFormat, parseStructuredText, type ValuePath } from './structured-text.js';

/** A Step Functions definition kept in the repository (`*.asl.json`, `*.asl.yaml`), with the line of each state. */
export interface AslFile {
  file: string;
  definition: Record<string, unknown>;
  /** The line of a state given as a lint state path (`ReserveEachItem/ReserveInventory`, `Notify[1]/Email`); 1 when not found. */
  getStateLine(statePath: string | undefined): number;
}

/**
 * Reads the ASL files discovery found (test files left out), through the analysed root's reader. A file that is
 * not valid JSON/YAML, or not a definition (no `States`), becomes a diagnostic; the others are checked.
 */
export function readAslFiles(files: readonly DiscoveredFile[], reader: DiagnosingRootReader): { aslFiles: AslFile[]; diagnostics: Diagnostic[] } {
  const aslFiles: AslFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { path: file, isTest } of files) {
    if (isTest || !isAslFile(file)) continue;
    const read = reader.read(file);
    if (!('text' in read)) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parseStructuredText(read.text, getStructuredFormat(file));
    if ('error' in parsed) {
      diagnostics.push({ code: 'asl-unreadable', severity: 'warning', message: `Cannot parse ${file}: ${parsed.error}; its states were not linted.`, file, line: parsed.line });
      continue;
    }
    const definition = parsed.value;
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition) || !('States' in definition)) {
      diagnostics.push({ code: 'asl-unreadable', severity: 'info', message: `${file} is named like a state machine definition but has no States; it was not linted.`, file, line: 1 });
      continue;
    }
    const record = definition as Record<string, unknown>;
    aslFiles.push({ file, definition: record, getStateLine: (statePath) => parsed.getLine(statePath ? toValuePath(record, statePath) : []) });
  }
  return { aslFiles, diagnostics };
}

/**
 * A lint state path to the place in the definition: `Each/Inner` is state Inner of Each's ItemProcessor (or
 * Iterator), `Fan[1]/Email` is state Email of Fan's second branch. A state whose name itself holds `/` or `[n]`
 * is matched whole first.
 */
export function toValuePath(definition: Record<string, unknown>, statePath: string): ValuePath {
  const result: (string | number)[] = [];
  let scope: unknown = definition;
  let rest = statePath;
  while (rest !== '') {
    const states = asRecord(asRecord(scope)?.States);
    if (!states) break;
    const name = Object.keys(states)
      .filter((candidate) => rest === candidate || rest.startsWith(`${candidate}/`) || new RegExp(`^${escapeRegExp(candidate)}\\[\\d+\\](/|$)`).test(rest))
      .sort((a, b) => b.length - a.length)[0];
    if (name === undefined) break;
    result.push('States', name);
    rest = rest.slice(name.length);
    const state = asRecord(states[name]);
    const branch = /^\[(\d+)\]/.exec(rest);
    if (branch) {
      result.push('Branches', Number(branch[1]));
      scope = (state?.Branches as unknown[] | undefined)?.[Number(branch[1])];
      rest = rest.slice(branch[0].length);
    } else {
      const processor = state?.ItemProcessor === undefined ? 'Iterator' : 'ItemProcessor';
      if (rest.startsWith('/')) result.push(processor);
      scope = state?.[processor];
    }
    rest = rest.replace(/^\//, '');
  }
  return result;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
