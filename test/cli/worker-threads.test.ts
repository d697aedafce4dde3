import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareGraph } from '../../scripts/bench/check-graph.js';
import { generateMonorepo } from '../../scripts/bench/generate-monorepo.js';
import { getWorkerCount } from '../../src/read-code.js';
import { REPO, runCliAsync } from '../helpers/run-cli.js';

// Worker threads parse files once many need a parse (src/summarize/summarize-pool.ts): the result must be the one
// the main thread alone gives, byte for byte, diagnostics of broken files included, with or without the cache.
describe('analyze with worker threads', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tree = path.join(dir, 'tree');
  const repo = generateMonorepo(tree, 200, { filesPerService: 12 });
  // Broken and odd files among them, so diagnostics made in a worker are compared too.
  cpSync(path.join(REPO, 'fixtures/robustness/corpus'), path.join(tree, 'zz-corpus'), { recursive: true });
  writeFileSync(path.join(tree, 'zz-latin1.ts'), Buffer.from('// caf\xe9\nexport const x = 1;\n', 'latin1'));
  const analyze = (workers: number, ...args: string[]) =>
    runCliAsync(['analyze', tree, '--format', 'json', ...args], { env: { LAMBDA2SFN_WORKERS: String(workers), LAMBDA2SFN_TIMING: '1' } });

  it('gives the same Graph JSON as the main thread alone, and parses in the workers', async () => {
    const alone = await analyze(0, '--no-cache');
    const pooled = await analyze(2, '--no-cache');
    expect(alone.stderr).toMatch(/timing: parsed \d+ of \d+ files, 0 worker threads/);
    expect(pooled.stderr).toMatch(/timing: parsed \d+ of \d+ files, 2 worker threads/);
    expect(pooled.code).toBe(alone.code);
    expect(pooled.stdout).toBe(alone.stdout);
    const graph = JSON.parse(pooled.stdout) as Parameters<typeof compareGraph>[1];
    // Nothing the generator wrote is lost (the corpus adds nodes, edges and diagnostics of its own).
    expect(compareGraph(repo, graph).filter((problem) => problem.startsWith('missing'))).toEqual([]);
    expect(graph.diagnostics.some((d) => d.code === 'parse-error')).toBe(true);
  });

  it('writes a cache from the workers that a later run reads back whole', async () => {
    const cacheDir = path.join(dir, 'cache');
    const reference = await analyze(0, '--no-cache');
    const first = await analyze(2, '--cache-dir', cacheDir);
    const second = await analyze(0, '--cache-dir', cacheDir);
    expect(first.stdout).toBe(reference.stdout);
    expect(second.stdout).toBe(reference.stdout);
    expect(second.stderr).toMatch(/timing: parsed 0 of \d+ files, 0 worker threads/);
  });

  it('takes the number of workers from LAMBDA2SFN_WORKERS, else one per core (two or more cores)', () => {
    expect(getWorkerCount({ LAMBDA2SFN_WORKERS: '0' })).toBe(0);
    expect(getWorkerCount({ LAMBDA2SFN_WORKERS: '3' })).toBe(3);
    expect(getWorkerCount({ LAMBDA2SFN_WORKERS: '99' })).toBe(16);
    const cores = os.availableParallelism();
    expect(getWorkerCount({})).toBe(cores >= 2 ? Math.min(cores, 4) : 0);
    expect(getWorkerCount({ LAMBDA2SFN_WORKERS: 'many' })).toBe(getWorkerCount({}));
  });
});
