import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../../src/schema/validate-graph.js';
import type { Graph } from '../../src/types/graph.js';
import { compareExpectations, type Expectations } from '../helpers/expectations.js';
import { REPO, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { addHostileFiles, getUnprivilegedRunner, MINIFIED_BYTES, unlockHostileFiles, type HostileFiles } from './hostile-files.js';

/**
 * The bad-input corpus (fixtures/robustness/corpus, plus the generated cases of hostile-files.ts), analysed in ONE
 * run of the built CLI: no crash, no hang, no stack trace, exit code 1, every expected diagnostic at its file and
 * line and no other, and the graph of the good parts. File modes do not bind root, so when the tests run as root
 * (as in CI) the CLI runs as `nobody`.
 */

const CORPUS = path.join(REPO, 'fixtures/robustness/corpus');
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let root: string;
let hostile: HostileFiles;
const runner = getUnprivilegedRunner();

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'l2s-corpus-'));
  chmodSync(root, 0o755);
  cpSync(CORPUS, root, { recursive: true });
  hostile = addHostileFiles(root, { permissions: runner.permissions });
});

afterAll(() => {
  unlockHostileFiles(root);
  rmSync(root, { recursive: true, force: true });
});

function getExpectations(): Expectations {
  const fixed = JSON.parse(readFileSync(path.join(CORPUS, 'expected.json'), 'utf8')) as Expectations;
  return {
    ...fixed,
    nodes: [...(fixed.nodes ?? []), ...hostile.expected.nodes],
    edges: [...(fixed.edges ?? []), ...hostile.expected.edges],
    diagnostics: [...(fixed.diagnostics ?? []), ...hostile.expected.diagnostics],
  };
}

function analyzeCorpus(format: string): Promise<CliResult> {
  return runCliAsync(['analyze', root, '--format', format, '--no-progress'], { user: runner.user, timeout: 120_000 });
}

describe('the bad-input corpus, in one run', () => {
  it('gives every expected diagnostic at its file and line, and the graph of everything else (JSON)', async () => {
    if (!runner.permissions) console.warn(`corpus: unreadable-file cases left out: ${runner.reason}`);
    for (const reason of hostile.skipped) console.warn(`corpus: left out: ${reason}`);
    const result = await analyzeCorpus('json');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(1);
    const graph = JSON.parse(result.stdout) as Graph;
    const validation = validateGraph(graph);
    expect(validation.valid ? [] : validation.errors).toEqual([]);
    expect(compareExpectations(getExpectations(), graph)).toEqual([]);
    // One diagnostic per problem, each with a file; a line wherever the problem has one.
    for (const diagnostic of graph.diagnostics) expect(diagnostic.file, diagnostic.message).toBeDefined();
  }, 180_000);

  it('prints the text format without a crash, each name on one line', async () => {
    const result = await analyzeCorpus('text');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).toMatch(/^Graph: .* diagnostics \(/m);
    expect([...result.stdout].filter((char) => char < ' ' && char !== '\n')).toEqual([]);
  }, 180_000);

  it('parses the 10 MB minified file when the size limit is raised, and finds the call at its end', async () => {
    const result = await runCliAsync(['analyze', path.join(root, 'generated/minified'), '--format', 'json', '--max-file-size', String(2 * MINIFIED_BYTES)], {
      timeout: 120_000,
    });
    expect(result.stderr).not.toMatch(STACK_FRAME);
    const graph = JSON.parse(result.stdout) as Graph;
    expect(graph.edges).toEqual([expect.objectContaining({ from: 'bundle', to: 'target', kind: 'invoke-sync', file: 'bundle.js', line: 1 })]);
    expect(graph.diagnostics).toEqual([]);
    expect(result.code).toBe(0);
  }, 180_000);
});
