import { readFileSync } from 'node:fs';
import type { Streams } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { lintDefinition } from '../lint/index.js';
import type { LintFinding } from '../types/report.js';

export interface LintCommandOptions {
  type?: string;
}

/** `lambda2sfn lint FILE...`: best-practice findings on ASL files; a file that cannot be read or parsed is reported and skipped. */
export async function runLint(files: string[], options: LintCommandOptions, streams: Streams): Promise<number> {
  if (files.length === 0) throw new UsageError('no file to lint', 'give one or more *.asl.json files');
  const type = options.type ? (options.type.toUpperCase() as 'STANDARD' | 'EXPRESS') : undefined;
  let findings = 0;
  let broken = 0;
  for (const file of files) {
    const definition = readDefinition(file, streams);
    if (!definition) {
      broken++;
      continue;
    }
    const results = lintDefinition(definition, { file, ...(type ? { type } : {}) });
    findings += results.filter((result) => result.severity === 'warning').length;
    for (const result of results) streams.stdout.write(formatFinding(file, result));
  }
  streams.stderr.write(`lambda2sfn: ${files.length - broken} file${files.length - broken === 1 ? '' : 's'} linted, ${findings} warning${findings === 1 ? '' : 's'}\n`);
  return findings > 0 || broken > 0 ? EXIT.findings : EXIT.ok;
}

function readDefinition(file: string, streams: Streams): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'States' in value) return value as Record<string, unknown>;
    streams.stderr.write(`lambda2sfn: ${file}: not an ASL definition (no States)\n`);
  } catch (error) {
    streams.stderr.write(`lambda2sfn: ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
  }
  return undefined;
}

export function formatFinding(file: string, finding: Omit<LintFinding, 'file'>): string {
  return `${file}${finding.state ? `  ${finding.state}` : ''}  ${finding.severity}  ${finding.message}  [${finding.rule}]\n`;
}
