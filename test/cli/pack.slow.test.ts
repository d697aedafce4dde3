import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli.js';

function npm(args: string[], cwd: string): string {
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180_000, env });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/**
 * The package as a user gets it: `npm pack`, installed into an empty folder, run from there. Catches a file missing
 * from `files`, a runtime dependency left in devDependencies, or a bin that only works inside the repository.
 */
describe('the packed tarball', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'lambda2sfn-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs into an empty folder and analyses the bundled example', () => {
    npm(['pack', '--pack-destination', work, '--silent'], REPO);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    npm(['install', '--no-package-lock', path.join(work, tarball!)], app);

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
