import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IAC_TARGETS } from '../../src/types/deploy.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';

/**
 * A repository whose names are hostile, run through every command that writes, as a user runs them: function ids
 * `../../escape` and `/etc/cron.d/job`, a Windows device name (`CON`, a handler `aux.js`), a non-ASCII id and
 * folder, a handler outside the repository; then a hand-edited plan (workflow named `con`, a handler moved out of
 * the repository). Nothing may be written outside the folders the user named, nothing in the repository changes,
 * every command succeeds without a stack trace, and a second run without --force is refused and writes nothing.
 */

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const sandbox = mkdtempSync(path.join(tmpdir(), 'l2s-hostile-cli-'));
const repo = path.join(sandbox, 'repo');
const work = path.join(sandbox, 'work');
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const INVOKE = (variable: string, payload: string) => [
  "const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');",
  'const lambda = new LambdaClient({});',
  'exports.handler = async (event) => {',
  `  const result = await lambda.send(new InvokeCommand({ FunctionName: process.env.${variable}, Payload: JSON.stringify(${payload}) }));`,
  '  return { ok: true, status: result.StatusCode };',
  '};',
  '',
];

const FILES: Record<string, string> = {
  'repo/serverless.yml': [
    'service: hostile',
    '',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    '',
    'functions:',
    '  "../../escape":',
    '    handler: src/entry.handler',
    '    environment:',
    '      NEXT_FUNCTION: ${self:service}-${sls:stage}-CON',
    '    events:',
    '      - httpApi: POST /orders',
    '  CON:',
    '    handler: src/Ünïcødé/con.handler',
    '    environment:',
    '      LAST_FUNCTION: ${self:service}-${sls:stage}-ŝtep',
    '  ŝtep:',
    '    handler: src/aux.handler',
    '  "/etc/cron.d/job":',
    '    handler: ../outside/job.handler',
    '',
  ].join('\n'),
  'repo/src/entry.js': INVOKE('NEXT_FUNCTION', '{ id: event.id }').join('\n'),
  'repo/src/Ünïcødé/con.js': INVOKE('LAST_FUNCTION', 'event').join('\n'),
  'repo/src/aux.js': 'exports.handler = async (event) => ({ done: true, id: event.id });\n',
  'outside/job.js': 'exports.handler = async () => ({});\n',
};

for (const [file, text] of Object.entries(FILES)) {
  mkdirSync(path.dirname(path.join(sandbox, file)), { recursive: true });
  writeFileSync(path.join(sandbox, file), text);
}
mkdirSync(work);

/** Every file below `dir`, relative, POSIX, with a hash of its contents. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file).split(path.sep).join('/'), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return files;
}

async function run(args: string[]): Promise<CliResult> {
  const result = await runCliAsync([...args, '--no-progress'], { cwd: work });
  expect(result.stderr, args.join(' ')).not.toMatch(STACK_FRAME);
  return result;
}

describe('hostile names through every command that writes', () => {
  const before = snapshot(sandbox);

  it('analyze, propose, migrate, generate (every --iac) and report write only where they were told', { timeout: 600_000 }, async () => {
    const runs = [
      ['analyze', '../repo', '--format', 'json', '-o', 'graph.json'],
      ['propose', '../repo', '--yes', '-o', 'plan.yaml'],
      ['migrate', '../repo', '--yes', '--out', 'migrate'],
      ...IAC_TARGETS.map((iac) => ['generate', '--plan', 'plan.yaml', '--out', `generate-${iac}`, '--iac', iac]),
      ['report', '--plan', 'plan.yaml', '--out', 'report'],
    ];
    for (const args of runs) expect((await run(args)).code, args.join(' ')).toBe(0);

    const after = snapshot(sandbox);
    // The repository and the file outside it are as they were; everything new is below work/.
    for (const [file, hash] of before) expect(after.get(file), file).toBe(hash);
    const written = [...after.keys()].filter((file) => !before.has(file));
    expect(written.length).toBeGreaterThan(20);
    for (const file of written) expect(file.startsWith('work/'), file).toBe(true);

    const migrated = [...snapshot(path.join(work, 'migrate')).keys()];
    // The workflow takes its name from the entry `../../escape`, without the dots and slashes.
    expect(migrated).toContain('statemachines/escape.asl.json');
    // The CON handler keeps its folder (NFC) and gets a name Windows accepts; the handler outside is not written.
    const conHandler = migrated.find((file) => file.startsWith('handlers/src/Ünïcødé/'.normalize('NFC')));
    expect(conHandler).toMatch(/^handlers\/src\/Ünïcødé\/con-[0-9a-f]{8}\.js$/u);
    expect(migrated.some((file) => file.includes('outside') || file.includes('job'))).toBe(false);
  });

  it('a hand-edited plan (workflow named con, a handler outside the repository) stays inside --out', { timeout: 300_000 }, async () => {
    const plan = readFileSync(path.join(work, 'plan.yaml'), 'utf8');
    const edited = plan.replace(/^ {2}- name: escape$/m, '  - name: con').replace('handler: src/Ünïcødé/con.js:handler', 'handler: ../outside/job.js:handler');
    expect(edited).not.toBe(plan);
    writeFileSync(path.join(work, 'edited.yaml'), edited);
    const before = snapshot(sandbox);
    for (const iac of ['sam', 'terraform']) expect((await run(['generate', '--plan', 'edited.yaml', '--out', `edited-${iac}`, '--iac', iac])).code).toBe(0);
    const after = snapshot(sandbox);
    const written = [...after.keys()].filter((file) => !before.has(file));
    for (const file of written) expect(file.startsWith('work/edited-'), file).toBe(true);
    // `con` is a device name on Windows: the files get a fingerprint; the handler outside the repository is not copied.
    expect(written).toContain('work/edited-sam/statemachines/con-1143da2b.asl.json');
    expect(written.some((file) => /\/con\.(asl|iam-policy)\.json$/.test(file))).toBe(false);
    expect(written.some((file) => file.includes('job'))).toBe(false);
  });

  it('a second run without --force is refused (exit 2) and changes nothing', { timeout: 300_000 }, async () => {
    const before = snapshot(sandbox);
    for (const args of [
      ['migrate', '../repo', '--yes', '--out', 'migrate'],
      ['generate', '--plan', 'plan.yaml', '--out', 'generate-sam', '--iac', 'sam'],
      ['report', '--plan', 'plan.yaml', '--out', 'report'],
      // Over a plan file that differs (the hand-edited one); over the same plan, propose says it is up to date.
      ['propose', '../repo', '--yes', '-o', 'edited.yaml'],
      ['analyze', '../repo', '-o', 'graph.json'],
    ]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/exists?[\s\S]*--force/);
    }
    const same = await run(['propose', '../repo', '--yes', '-o', 'plan.yaml']);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/plan\.yaml is up to date/);
    expect(snapshot(sandbox)).toEqual(before);
  });
});
