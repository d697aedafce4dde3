import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

/**
 * Every exit code of the README's table, for every command (`analyze`, `report`, `generate`, `check`, plus the program's own help and
 * version). 130 (Ctrl-C) is tested in interrupt.test.ts. No case may print a stack trace.
 * Every exit code of the README's table, for every command (`analyze`, `report`, `generate`, `propose`, `migrate`, `lint`,
 * plus the program's own help and version). 130 (Ctrl-C) is tested in interrupt.test.ts. No case may print a stack trace.
 */

/** Analysed without a single diagnostic. */
const CLEAN = 'fixtures/apps/orders';
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const dir = mkdtempSync(path.join(tmpdir(), 'l2s-exit-'));
const aFile = path.join(dir, 'a-file.txt');
writeFileSync(aFile, 'not a folder');
const existing = path.join(dir, 'existing.json');
writeFileSync(existing, 'keep me');
const link = path.join(dir, 'link.json');
const reportDir = path.join(dir, 'report');
mkdirSync(reportDir);
writeFileSync(path.join(reportDir, 'report.md'), 'keep me');
symlinkSync(existing, link);
/** A small app (no chain is recommended): propose and migrate run through quickly. */
const SMALL = 'fixtures/generators/asl/forwarder';
const migrateDir = path.join(dir, 'migrate');
mkdirSync(migrateDir);
writeFileSync(path.join(migrateDir, 'lambda2sfn.plan.yaml'), 'keep me');
const badPlan = path.join(dir, 'bad-plan.yaml');
writeFileSync(badPlan, 'schemaVersion: [unclosed\n');
const cleanAsl = path.join(dir, 'clean.asl.json');
writeFileSync(cleanAsl, JSON.stringify({ Comment: 'one state', StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }));

const cases: { name: string; args: string[]; code: number; stderr?: RegExp }[] = [
  { name: 'analyze on a clean app', args: ['analyze', CLEAN, '--format', 'json'], code: 0 },
  { name: 'help', args: ['--help'], code: 0 },
  { name: 'help of a command', args: ['help', 'analyze'], code: 0 },
  { name: 'version', args: ['--version'], code: 0 },
  { name: 'analyze with diagnostics', args: ['analyze', 'fixtures/robustness/corpus', '--format', 'json'], code: 1 },
  { name: 'no command', args: [], code: 2 },
  { name: 'unknown command', args: ['frobnicate'], code: 2, stderr: /unknown command/ },
  { name: 'unknown option', args: ['analyze', CLEAN, '--bogus'], code: 2, stderr: /unknown option '--bogus'/ },
  { name: 'bad format', args: ['analyze', CLEAN, '--format', 'xml'], code: 2, stderr: /'xml' is invalid/ },
  { name: 'non-numeric limit', args: ['analyze', CLEAN, '--max-depth', 'deep'], code: 2, stderr: /positive whole number/ },
  { name: 'zero limit', args: ['analyze', CLEAN, '--max-file-size', '0'], code: 2, stderr: /positive whole number/ },
  { name: 'negative limit', args: ['analyze', CLEAN, '--max-yaml-aliases', '-5'], code: 2 },
  { name: 'missing folder', args: ['analyze', path.join(dir, 'nope')], code: 2, stderr: /no such folder/ },
  { name: 'a file instead of a folder', args: ['analyze', aFile], code: 2, stderr: /is not a folder/ },
  { name: 'output exists, no --force', args: ['analyze', CLEAN, '-o', existing], code: 2, stderr: /already exists/ },
  { name: 'output is a symbolic link', args: ['analyze', CLEAN, '-o', link, '--force'], code: 2, stderr: /symbolic link/ },
  { name: 'output cannot be written', args: ['analyze', CLEAN, '-o', path.join(aFile, 'graph.json')], code: 3, stderr: /could not write/ },
  { name: 'report without --out', args: ['report', CLEAN], code: 2, stderr: /--out <dir>/ },
  { name: 'report over an existing report, no --force', args: ['report', CLEAN, '--out', reportDir], code: 2, stderr: /already exists/ },
  { name: 'report folder cannot be made', args: ['report', CLEAN, '--out', path.join(aFile, 'report'), '--format', 'md', '--no-progress'], code: 3, stderr: /could not write/ },
  { name: 'generate without a plan', args: ['generate', '--out', dir], code: 2, stderr: /required option '--plan <file>'/ },
  { name: 'generate from a missing plan', args: ['generate', '--plan', path.join(dir, 'nope.yaml'), '--out', dir], code: 2, stderr: /cannot read the plan/ },
  { name: 'generate into a file', args: ['generate', '--plan', 'fixtures/generators/sam/orders/plan.yaml', '--out', aFile, '--iac', 'sam'], code: 2, stderr: /not a folder/ },
  // check: 1 only for a new finding at or above --fail-on (docs/check.md)
  { name: 'check with new errors', args: ['check', CLEAN, '--no-cache'], code: 1 },
  { name: 'check with new warnings only', args: ['check', 'fixtures/check/deep-chain', '--no-cache'], code: 0 },
  { name: 'check with new warnings, --fail-on warning', args: ['check', 'fixtures/check/deep-chain', '--no-cache', '--fail-on', 'warning'], code: 1 },
  { name: 'check with --fail-on never', args: ['check', CLEAN, '--no-cache', '--fail-on', 'never'], code: 0 },
  { name: 'check with a bad --fail-on', args: ['check', CLEAN, '--fail-on', 'fatal'], code: 2, stderr: /'fatal' is invalid/ },
  { name: 'check with a missing --config', args: ['check', CLEAN, '--config', path.join(dir, 'nope.json')], code: 2, stderr: /cannot read the configuration/ },
  { name: 'check report over an existing file, no --force', args: ['check', CLEAN, '--no-cache', '-o', existing], code: 2, stderr: /already exists/ },
  { name: 'propose over an existing plan file, no --force', args: ['propose', SMALL, '--yes', '-o', existing, '--no-progress'], code: 2, stderr: /already exists/ },
  { name: 'propose with a malformed --decide', args: ['propose', SMALL, '--decide', 'oops', '-o', path.join(dir, 'p.yaml'), '--no-progress'], code: 2, stderr: /expected ID=VALUE/ },
  { name: 'propose replaying a broken plan', args: ['propose', '--plan', badPlan, '--no-progress'], code: 2, stderr: /plan/ },
  { name: 'migrate without --out', args: ['migrate', SMALL, '--yes'], code: 2, stderr: /required option '--out <dir>'/ },
  { name: 'migrate over existing outputs, no --force', args: ['migrate', SMALL, '--yes', '--out', migrateDir, '--no-progress'], code: 2, stderr: /output file exists/ },
  { name: 'migrate folder cannot be made', args: ['migrate', SMALL, '--yes', '--out', path.join(aFile, 'out'), '--no-progress'], code: 3, stderr: /could not write/ },
  { name: 'lint a clean definition', args: ['lint', cleanAsl], code: 0 },
  { name: 'lint a file that cannot be read', args: ['lint', path.join(dir, 'nope.asl.json')], code: 1, stderr: /ENOENT/ },
  { name: 'lint with a bad --type', args: ['lint', cleanAsl, '--type', 'bogus'], code: 2, stderr: /'bogus' is invalid/ },
];

describe('exit codes', () => {
  it.each(cases)('$name → $code', async ({ args, code, stderr }) => {
    const result = await runCliAsync(args);
    expect(result.code, result.stderr).toBe(code);
    if (stderr) expect(result.stderr).toMatch(stderr);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('left the files the refused runs named untouched', () => {
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(readFileSync(path.join(reportDir, 'report.md'), 'utf8')).toBe('keep me');
    expect(readFileSync(path.join(migrateDir, 'lambda2sfn.plan.yaml'), 'utf8')).toBe('keep me');
  });
});
