import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { UsageError } from '../errors.js';
import { readSourceText } from '../read-source-text.js';
import { compileSchema } from '../schema/schema-errors.js';
import type { Baseline, BaselineEntry, CheckFinding } from '../types/check.js';
import { compareByteOrder } from '../util/byte-order.js';
import { describeSchemaProblems } from './schema-problems.js';
import { parseStructuredText } from './structured-text.js';

const SCHEMA_FILE = 'check-baseline.schema.json';

/**
 * The baseline at `file` (relative to the analysed folder), or undefined when there is none. A baseline that does not
 * parse or does not match schema/check-baseline.schema.json is a UsageError with the file and line.
 */
export function readBaseline(root: string, file: string): Baseline | undefined {
  const absolute = path.resolve(root, file);
  if (!existsSync(absolute)) return undefined;
  const read = readSourceText(absolute, { file });
  if (!('text' in read)) throw new UsageError(`cannot read the baseline ${file}: ${read.diagnostic.message}`);
  const parsed = parseStructuredText(read.text, 'json');
  if ('error' in parsed) throw new UsageError(`${file}:${parsed.line}: the baseline is not valid JSON: ${parsed.error}`, 'write it again with lambda2sfn check --update-baseline');
  const validate = getValidator();
  if (!validate(parsed.value)) {
    throw new UsageError(describeSchemaProblems(file, parsed.value, validate.errors ?? [], parsed.getLine).join('\n  '), 'write it again with lambda2sfn check --update-baseline');
  }
  return parsed.value;
}

/** The baseline of these findings (suppressed ones left out): sorted, one key order, so the same findings give the same bytes. */
export function renderBaseline(findings: readonly CheckFinding[]): string {
  const entries = findings.filter((finding) => finding.status !== 'suppressed').map(toBaselineEntry).sort(compareEntries);
  const baseline: Baseline = { version: 1, findings: entries };
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/**
 * Marks the findings a baseline entry matches (same rule, function and fingerprint) as `baselined`; each entry matches
 * one finding. Returns the entries nothing matched: findings fixed since the baseline was written.
 */
export function applyBaseline(findings: CheckFinding[], baseline: Baseline): BaselineEntry[] {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.findings) {
    const key = toMatchKey(entry);
    remaining.set(key, [...(remaining.get(key) ?? []), entry]);
  }
  for (const finding of findings) {
    if (finding.status === 'suppressed') continue;
    const entries = remaining.get(toMatchKey(finding));
    if (entries && entries.length > 0) {
      entries.shift();
      finding.status = 'baselined';
    }
  }
  return [...remaining.values()].flat().sort(compareEntries);
}

function toBaselineEntry(finding: CheckFinding): BaselineEntry {
  return {
    rule: finding.rule,
    ...(finding.function === undefined ? {} : { function: finding.function }),
    fingerprint: finding.fingerprint,
    file: finding.location.file,
    ...(finding.code === undefined ? {} : { code: finding.code }),
  };
}

function toMatchKey(entry: { rule: string; function?: string; fingerprint: string }): string {
  return `${entry.rule}\0${entry.function ?? ''}\0${entry.fingerprint}`;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareByteOrder(a.rule, b.rule) || compareByteOrder(a.file, b.file) || compareByteOrder(a.function ?? '', b.function ?? '') || compareByteOrder(a.fingerprint, b.fingerprint);
}

let compiled: ValidateFunction<Baseline> | undefined;

function getValidator(): ValidateFunction<Baseline> {
  compiled ??= compileSchema<Baseline>(SCHEMA_FILE);
  return compiled;
}
