import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareGraph } from '../scripts/bench/check-graph.js';
import { generateMonorepo } from '../scripts/bench/generate-monorepo.js';
import { analyze } from '../src/pipeline.js';

// The benchmark's correctness half, at a tiny size: the analysis finds exactly the graph the generator wrote.
describe('benchmark monorepo', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 16 services of 12 files: 64 handlers call the shared invoke wrappers, more than any small per-wrapper cap.
  const repo = generateMonorepo(dir, 200, { filesPerService: 12 });

  it('generates services with handlers, libraries, serverless.yml and the edges between them', () => {
    expect(repo.nodes.filter((node) => node.kind === 'function')).toHaveLength(16 * 8);
    expect(repo.edges.filter((edge) => edge.kind.startsWith('invoke'))).toHaveLength(16 * 4);
    expect(repo.edges.filter((edge) => edge.kind === 'triggers')).toHaveLength(16 * 3);
  });

  it('is analysed into exactly the generated graph', async () => {
    const { graph } = await analyze(dir);
    expect(compareGraph(repo, graph)).toEqual([]);
  });

  it('reports a lost edge, a duplicated one and a diagnostic as differences', async () => {
    const { graph } = await analyze(dir);
    const damaged = {
      ...graph,
      edges: [...graph.edges.slice(1), graph.edges[2]],
      diagnostics: [{ code: 'parse-error', severity: 'error' as const, message: 'x', file: 'a.ts' }],
    };
    const problems = compareGraph(repo, damaged);
    expect(problems).toContainEqual(expect.stringMatching(/^missing edge: /));
    expect(problems).toContainEqual(expect.stringMatching(/^unexpected edge: /));
    expect(problems).toContainEqual('diagnostic parse-error a.ts: x');
  });
});
