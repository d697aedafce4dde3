import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli } from '../helpers/run-cli.js';

/**
 * The analysis options (limits, --ignore, the cache) reach the analysis of every command that analyses a folder, not
 * only `analyze` and `check`: propose, migrate, report and generate (which analyses the plan's sourceRoot again).
 */
const ORDERS = 'fixtures/apps/orders';
/** Between serverless.yml (6,057 bytes) and src/handlers/place-order.ts (7,671 bytes): only the big handler is skipped. */
const MAX_FILE_SIZE = '7000';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'l2s-analysis-options-'));
}

describe('the analysis options of propose, migrate, report and generate', () => {
  it('migrate --max-file-size skips the big handler with a diagnostic, and generate --ignore drops the IaC it needs', async () => {
    const work = tempDir();
    const cacheDir = path.join(work, 'cache');
    const out = path.join(work, 'out');
    const result = await runCli(['migrate', ORDERS, '--yes', '--max-file-size', MAX_FILE_SIZE, '--cache-dir', cacheDir, '--no-progress', '--out', out]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    // placeOrder's handler was not read, so its chain is gone; the others are still proposed.
    expect(result.stdout).toContain('fulfillOrder');
    expect(result.stdout).not.toContain('placeOrder');
    const report = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/`file-too-large`.*src\/handlers\/place-order\.ts.*over the limit of 7000 bytes/);
    expect(report).not.toMatch(/`file-too-large`.*serverless\.yml/);
    // --cache-dir is where the per-file cache went.
    expect(readdirSync(cacheDir)).toHaveLength(1);

    // generate analyses the plan's sourceRoot again to find the IaC format: ignoring serverless.yml leaves none.
    const plan = path.join(out, 'lambda2sfn.plan.yaml');
    const ignored = await runCli(['generate', '--plan', plan, '--out', path.join(work, 'gen'), '--ignore', 'serverless.yml', '--no-cache', '--no-progress']);
    expect(ignored.stderr).toContain('cannot tell which infrastructure format the repository uses');
    expect(ignored.code).toBe(2);
    expect(existsSync(path.join(work, 'gen'))).toBe(false);
  });

  it('report --ignore drops a folder: its handlers are reported as not found', async () => {
    const out = tempDir();
    const result = await runCli(['report', ORDERS, '--ignore', 'src/handlers/', '--no-cache', '--no-progress', '--out', out]);
    expect(result.code).toBe(1);
    const report = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(report).toContain('the handler src/handlers/place-order.handler of function placeOrder was not found among the source files');
    expect(report).not.toContain('file-too-large');
  });

  it('propose --max-yaml-aliases and --max-depth: IaC over the limit is not read, so no chain is found', async () => {
    const work = tempDir();
    // The orders app with a YAML anchor used three times in its serverless.yml: fine by default, over a limit of 2.
    const app = path.join(work, 'orders');
    cpSync(ORDERS, app, { recursive: true });
    appendFileSync(path.join(app, 'serverless.yml'), '\nx-shared:\n  base: &base { retries: 2 }\n  uses: [*base, *base, *base]\n');
    const plain = await runCli(['propose', app, '--yes', '--no-cache', '-o', path.join(work, 'plain.yaml')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('placeOrder');
    for (const flags of [['--max-yaml-aliases', '2'], ['--max-depth', '3']]) {
      const limited = await runCli(['propose', app, '--yes', '--no-cache', ...flags, '-o', path.join(work, `${flags[0]}.yaml`)]);
      expect(limited.stdout, flags.join(' ')).toContain('No chains found');
    }
    const bad = await runCli(['propose', app, '--max-depth', '0', '-o', path.join(work, 'other.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a positive whole number');
  });
});
