import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../helpers/run-cli.js';

/**
 * Ctrl-C during a long analysis: the CLI stops promptly with exit code 130, writes no output and leaves no
 * temporary file. The repository is generated big enough that the parse takes seconds; SIGINT is sent once
 * discovery is over (LAMBDA2SFN_TIMING reports each stage on stderr).
 */

const FILES = 3000;
let root: string;

function generateBigRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-sigint-'));
  const functions: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const name = `fn${i}`;
    if (i % 10 === 0) functions.push(`  ${name}:\n    handler: src/${name}.handler\n`);
    const lines = [
      "import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';",
      'const lambda = new LambdaClient({});',
      ...Array.from({ length: 40 }, (_, k) => `export function helper${k}(x) { return [x, ${k}, { k: x * ${k} }].map((y) => y); }`),
      `export const handler = async () => { await lambda.send(new InvokeCommand({ FunctionName: 'big-dev-fn${(i + 10) % FILES}' })); };`,
    ];
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src', `${name}.js`), `${lines.join('\n')}\n`);
  }
  writeFileSync(path.join(dir, 'serverless.yml'), `service: big\nprovider:\n  name: aws\nfunctions:\n${functions.join('')}`);
  return dir;
}

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('Ctrl-C', () => {
  it('stops a long analysis cleanly: exit code 130, no output, no temporary file', async () => {
    root = generateBigRepo();
    const out = path.join(root, 'out');
    mkdirSync(out);
    const child = spawn(process.execPath, [BIN, 'analyze', root, '--format', 'json', '-o', path.join(out, 'graph.json')], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', LAMBDA2SFN_TIMING: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sentAt = 0;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (sentAt === 0 && stderr.includes('timing: discovering')) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const { code, signal } = await exited;
    const stoppedAfter = Date.now() - sentAt;
    expect(sentAt, `the run ended before discovery was reported:\n${stderr}`).toBeGreaterThan(0);
    expect(stderr).not.toContain('timing: building the graph');
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(stderr).toContain('lambda2sfn: interrupted (SIGINT)');
    expect(stoppedAfter).toBeLessThan(5000);
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);
});
