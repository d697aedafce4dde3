import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli.js';

/** Asynchronous, so that the test worker keeps answering vitest while npm installs (a blocked worker times out). */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };
  try {
    const { stdout } = await promisify(execFile)('npm', args, { cwd, encoding: 'utf8', timeout: 180_000, env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
}

/**
 * The package as a user gets it: `npm pack`, installed into an empty folder, run from there. Catches a file missing
 * from `files`, a runtime dependency left in devDependencies, or a bin that only works inside the repository.
 */
describe('the packed tarball', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'lambda2sfn-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs into an empty folder and analyses the bundled example', async () => {
    await npm(['pack', '--pack-destination', work, '--silent'], REPO);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await npm(['install', '--no-package-lock', path.join(work, tarball!)], app);

    const bin = path.join(app, 'node_modules/.bin/lambda2sfn');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const analyzed = spawnSync(bin, ['analyze', path.join(REPO, 'fixtures/apps/orders'), '--format', 'json'], { encoding: 'utf8', cwd: app });
    expect(analyzed.stderr).toBe('');
    expect(analyzed.status).toBe(0);
    const graph = JSON.parse(analyzed.stdout) as { nodes: { id: string }[] };
    expect(graph.nodes.map((node) => node.id)).toContain('placeOrder');
  }, 240_000);
});
