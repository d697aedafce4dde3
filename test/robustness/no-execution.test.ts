import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../src/types/graph.js';
import { REPO, runCliAsync } from '../helpers/run-cli.js';

/**
 * Analysis never executes analysed code (README, DESIGN invariants). fixtures/robustness/no-execution holds a
 * repository in which every file some tool would run leaves a marker file when it runs. The test
 * 1. runs each one on purpose, in a scratch copy, and checks its marker appears (so the markers are live), then
 * 2. analyses a clean copy with the built CLI, preloaded with a spy that records and blocks child processes,
 *    network and DNS, and records any require/import of a file inside the analysed folder, and requires that no
 *    marker appears, the spy recorded nothing, and the graph was still produced.
 */

const FIXTURE = path.join(REPO, 'fixtures/robustness/no-execution');
const SPY = path.join(import.meta.dirname, 'spy/preload.cjs');

interface MarkerRun {
  marker: string;
  cwd: string;
  node?: string[];
  copy?: [string, string][];
  stubs?: string[];
  npmScript?: string;
  hcl?: 'command' | 'program';
  cdkApp?: boolean;
}

const runs = (JSON.parse(readFileSync(path.join(FIXTURE, 'markers.json'), 'utf8')) as { runs: MarkerRun[] }).runs;
const temp: string[] = [];

function makeTemp(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** Inert packages with the names the files import, so that running them on purpose gets as far as the marker. */
function writeStubs(root: string, packages: readonly string[]): void {
  const body =
    'class Base { constructor() {} send() { return Promise.resolve({}); } }\n' +
    'exports.App = Base; exports.Stack = Base; exports.Function = Base; exports.LambdaClient = Base; exports.InvokeCommand = Base;\n' +
    "exports.Runtime = { NODEJS_20_X: 'nodejs20.x' }; exports.Code = { fromAsset: () => ({}) };\n";
  const byPackage = new Map<string, string[]>();
  for (const name of packages) {
    const parts = name.split('/');
    const pkg = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const subpath = name.slice(pkg.length + 1);
    byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), subpath]);
  }
  for (const [pkg, subpaths] of byPackage) {
    const dir = path.join(root, 'node_modules', pkg);
    mkdirSync(dir, { recursive: true });
    const exportsMap: Record<string, string> = {};
    for (const subpath of subpaths) {
      const file = `${subpath || 'index'}.cjs`;
      exportsMap[subpath ? `./${subpath}` : '.'] = `./${file}`;
      writeFileSync(path.join(dir, file), body);
    }
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg, exports: exportsMap }));
  }
}

/** The command line a marker run stands for, taken from the file itself (so the file really holds it). */
function getShellCommand(run: MarkerRun, root: string): string | undefined {
  if (run.npmScript) {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[run.npmScript];
  }
  if (run.hcl) {
    const text = readFileSync(path.join(root, run.cwd, 'main.tf'), 'utf8');
    if (run.hcl === 'command') return /command\s*=\s*"([^"]+)"/.exec(text)?.[1];
    const program = /program\s*=\s*\[([^\]]+)\]/.exec(text)?.[1];
    return program ? (JSON.parse(`[${program}]`) as string[]).join(' ') : undefined;
  }
  if (run.cdkApp) {
    const app = (JSON.parse(readFileSync(path.join(root, run.cwd, 'cdk.json'), 'utf8')) as { app: string }).app;
    // Only the part before `&&`: the rest would fetch ts-node from the registry.
    return app.split('&&')[0].trim();
  }
  return undefined;
}

describe('no execution of analysed code', () => {
  let markers: string;
  let root: string;

  beforeAll(() => {
    root = makeTemp('l2s-inert-');
    cpSync(FIXTURE, root, { recursive: true });
    markers = makeTemp('l2s-markers-');
  });

  it.each(runs.map((run) => [run.marker, run] as const))('the %s marker works when the file is run on purpose', (marker, run) => {
    const scratch = makeTemp('l2s-scratch-');
    cpSync(FIXTURE, scratch, { recursive: true });
    writeStubs(scratch, run.stubs ?? []);
    for (const [from, to] of run.copy ?? []) copyFileSync(path.join(scratch, run.cwd, from), path.join(scratch, run.cwd, to));
    const out = makeTemp('l2s-proof-');
    const env = { ...process.env, L2S_MARKER_DIR: out };
    const command = getShellCommand(run, scratch);
    if (command) execFileSync('sh', ['-c', command], { cwd: path.join(scratch, run.cwd), env, stdio: 'pipe' });
    else execFileSync(process.execPath, run.node ?? [], { cwd: path.join(scratch, run.cwd), env, stdio: 'pipe' });
    expect(readdirSync(out)).toContain(`lambda2sfn-executed-${marker}`);
  });

  it('analyse leaves no marker, starts no process, opens no connection, loads no analysed module', async () => {
    const spyLog = path.join(makeTemp('l2s-spy-'), 'spy.log');
    writeFileSync(spyLog, '');
    const result = await runCliAsync(['analyze', root, '--format', 'json', '--no-progress'], {
      nodeArgs: ['--require', SPY],
      env: { L2S_MARKER_DIR: markers, L2S_SPY_LOG: spyLog, L2S_SPY_ROOT: root },
    });
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readFileSync(spyLog, 'utf8')).toBe('');
    expect(readdirSync(markers)).toEqual([]);
    // Nor in the system temporary folder, where a marker goes when the variable did not reach it.
    expect(runs.filter((run) => existsSync(path.join(tmpdir(), `lambda2sfn-executed-${run.marker}`)))).toEqual([]);
    const graph = JSON.parse(result.stdout) as Graph;
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: 'start', to: 'finish', kind: 'invoke-sync', file: 'src/start.js', line: 12 }));
    expect(graph.nodes.map((node) => node.id)).toContain('tf_worker');
    // The CDK app was read statically: its function is in the graph although nothing ran it.
    expect(graph.nodes).toContainEqual(expect.objectContaining({ id: 'CdkWorker', kind: 'function', format: 'cdk', handler: 'cdk/src/worker.js:handler' }));
    expect(graph.diagnostics).toContainEqual(expect.objectContaining({ code: 'serverless-js-not-read' }));
  });

  it('the spy itself records each kind of attempt (so its silence means something)', () => {
    const spyLog = path.join(makeTemp('l2s-spy-'), 'spy.log');
    writeFileSync(spyLog, '');
    const script = [
      "const attempt = (f) => { try { f(); } catch {} };",
      "attempt(() => require('node:child_process').spawnSync('true'));",
      "attempt(() => require('node:net').connect(9, '127.0.0.1'));",
      "attempt(() => require('node:dns').lookup('localhost', () => {}));",
      "attempt(() => require('node:https').get('https://127.0.0.1:9'));",
      "fetch('http://127.0.0.1:9').catch(() => {});",
      `attempt(() => require(${JSON.stringify(path.join(root, 'lib/leave-marker.cjs'))}));`,
      `import(${JSON.stringify(`file://${path.join(root, 'src/finish.mjs')}`)}).catch(() => {});`,
    ].join('\n');
    const out = makeTemp('l2s-proof-');
    spawnSync(process.execPath, ['--require', SPY, '-e', script], {
      env: { ...process.env, L2S_SPY_LOG: spyLog, L2S_SPY_ROOT: root, L2S_MARKER_DIR: out },
      encoding: 'utf8',
    });
    const kinds = readFileSync(spyLog, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(new Set(kinds)).toEqual(new Set(['child-process', 'network', 'dns', 'require', 'import']));
  });
});
