import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN } from '../helpers/run-cli.js';
import type { Expectations } from '../helpers/expectations.js';

/**
 * The cases of the bad-input corpus that are not committed: megabytes, symlinks, file modes and FIFOs do not
 * belong in git. `addHostileFiles(dir)` writes them under `dir/generated/` and returns what the analysis must say
 * about them, in the same shape as the corpus' expected.json.
 */

export const NESTING = 10_000;
export const MINIFIED_BYTES = 10 * 1024 * 1024;

export interface HostileFiles {
  expected: Required<Pick<Expectations, 'edges' | 'diagnostics' | 'nodes'>>;
  /** Why the permission cases were left out, when they were. */
  skipped: string[];
}

export interface HostileOptions {
  /** Make unreadable files and folders (only meaningful when the analysis does not run as root). */
  permissions: boolean;
}

function write(root: string, relative: string, text: string | Buffer): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A minified bundle of about `bytes` bytes, on one line, whose handler invokes `target` at its very end. */
export function buildMinifiedBundle(bytes: number, target: string): string {
  const head = 'import{LambdaClient as L,InvokeCommand as I}from"@aws-sdk/client-lambda";const c=new L({});';
  const tail = `export const handler=async e=>{await c.send(new I({FunctionName:"${target}"}));return 1};`;
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const chunk = `function f${i}(a,b){var x=a*b+${i};if(x>${i}){return[x,"s${i}",{k:x}]}return null}`;
    parts.push(chunk);
    size += chunk.length;
  }
  parts.push(tail);
  return parts.join('');
}

export function addHostileFiles(root: string, options: HostileOptions): HostileFiles {
  const expected: HostileFiles['expected'] = { nodes: [], edges: [], diagnostics: [] };
  const skipped: string[] = [];

  // A 10 MB minified file: over the default 5 MiB limit, skipped with a diagnostic (and parsed when the limit is
  // raised: see corpus.test.ts).
  write(
    root,
    'generated/minified/serverless.yml',
    'service: minified\nprovider:\n  name: aws\nfunctions:\n  bundle:\n    handler: bundle.handler\n  target:\n    handler: target.handler\n',
  );
  write(root, 'generated/minified/bundle.js', buildMinifiedBundle(MINIFIED_BYTES, 'minified-dev-target'));
  write(root, 'generated/minified/target.js', 'export const handler = async () => 1;\n');
  expected.nodes.push({ id: 'bundle', kind: 'function' }, { id: 'target', kind: 'function' });
  expected.diagnostics.push({ code: 'file-too-large', file: 'generated/minified/bundle.js' });
  expected.diagnostics.push({ code: 'handler-not-found', file: 'generated/minified/serverless.yml', line: 5 });

  // Nesting 10,000 levels deep, in each language we parse. The JavaScript file keeps its handler: only the
  // statement too deep to parse is skipped.
  const deepArray = `${'['.repeat(NESTING)}${']'.repeat(NESTING)}`;
  write(
    root,
    'generated/deep/serverless.yml',
    'service: deep\nprovider:\n  name: aws\nfunctions:\n  deepCaller:\n    handler: nested.handler\n  deepCallee:\n    handler: callee.handler\n',
  );
  write(
    root,
    'generated/deep/nested.js',
    [
      "import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';",
      '',
      'const lambda = new LambdaClient({});',
      '',
      `export const table = ${deepArray};`,
      '',
      'export const handler = async () => {',
      "  await lambda.send(new InvokeCommand({ FunctionName: 'deep-dev-deepCallee' }));",
      '};',
      '',
    ].join('\n'),
  );
  write(root, 'generated/deep/callee.js', 'export const handler = async () => 1;\n');
  expected.diagnostics.push({ code: 'too-deep', file: 'generated/deep/nested.js', line: 5 });
  expected.edges.push({ from: 'deepCaller', to: 'deepCallee', kind: 'invoke-sync', file: 'generated/deep/nested.js', line: 8 });
  expected.nodes.push({ id: 'deepCaller', kind: 'function' }, { id: 'deepCallee', kind: 'function' });

  write(root, 'generated/deep-yaml/serverless.yml', `service: deep-yaml\nprovider:\n  name: aws\ncustom:\n  x: ${deepArray}\n`);
  expected.diagnostics.push({ code: 'yaml-too-deep', file: 'generated/deep-yaml/serverless.yml', line: 5 });

  // Block nesting: indentation makes 10,000 levels 50 MB (over the size limit), so 2,000 (2 MB), which is
  // already deeper than the YAML parser's stack; and 10,000 compact sequences (`- - - x`) on one line.
  const deepBlock = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}- `).join('\n');
  write(root, 'generated/deep-yaml-block/template.yaml', `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${deepBlock}x\n`);
  expected.diagnostics.push({ code: 'yaml-too-deep', file: 'generated/deep-yaml-block/template.yaml', line: 2002 });
  write(root, 'generated/deep-yaml-compact/serverless.yml', `service: compact\ncustom:\n  x:\n    ${'- '.repeat(NESTING)}x\n`);
  expected.diagnostics.push({ code: 'yaml-too-deep', file: 'generated/deep-yaml-compact/serverless.yml', line: 4 });

  write(
    root,
    'generated/deep-json/template.json',
    `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": ${'{"a":'.repeat(NESTING)}1${'}'.repeat(NESTING)}\n}\n`,
  );
  expected.diagnostics.push({ code: 'yaml-too-deep', file: 'generated/deep-json/template.json', line: 3 });

  write(
    root,
    'generated/deep-hcl/main.tf',
    `resource "aws_sqs_queue" "shallow" {\n  name = "corpus-shallow"\n}\n\nlocals {\n  deep = ${deepArray}\n}\n`,
  );
  expected.diagnostics.push({ code: 'too-deep', file: 'generated/deep-hcl/main.tf', line: 6 });
  expected.nodes.push({ id: 'shallow', kind: 'queue' });

  // Symlinks: a folder that contains itself, two folders pointing at each other, one leading out, one broken.
  mkdirSync(path.join(root, 'generated/loops/a'), { recursive: true });
  mkdirSync(path.join(root, 'generated/loops/b'), { recursive: true });
  symlinkSync('.', path.join(root, 'generated/loops/self'));
  symlinkSync('../b', path.join(root, 'generated/loops/a/to-b'));
  symlinkSync('../a', path.join(root, 'generated/loops/b/to-a'));
  symlinkSync('/', path.join(root, 'generated/loops/outside'));
  symlinkSync('nowhere.ts', path.join(root, 'generated/loops/broken.ts'));
  expected.diagnostics.push(
    { code: 'symlink-loop', file: 'generated/loops/self' },
    { code: 'symlink-duplicate', file: 'generated/loops/a/to-b' },
    { code: 'symlink-duplicate', file: 'generated/loops/b/to-a' },
    { code: 'symlink-outside-root', file: 'generated/loops/outside' },
    { code: 'broken-symlink', file: 'generated/loops/broken.ts' },
  );

  // A FIFO with a source name: opening it would block for ever, so it must never be read.
  const fifo = spawnSync('mkfifo', [path.join(root, 'generated/pipe.js')]);
  if (fifo.status !== 0) skipped.push('FIFO: mkfifo is not available');

  // Unreadable files and folders.
  if (options.permissions) {
    write(root, 'generated/locked-dir/handler.ts', 'export const handler = async () => 1;\n');
    write(root, 'generated/locked-file/handler.ts', 'export const handler = async () => 1;\n');
    write(root, 'generated/locked-yaml/serverless.yml', 'service: locked\n');
    chmodSync(path.join(root, 'generated/locked-dir'), 0o000);
    chmodSync(path.join(root, 'generated/locked-file/handler.ts'), 0o000);
    chmodSync(path.join(root, 'generated/locked-yaml/serverless.yml'), 0o000);
    expected.diagnostics.push(
      { code: 'unreadable', file: 'generated/locked-dir' },
      { code: 'unreadable', file: 'generated/locked-file/handler.ts' },
      { code: 'unreadable', file: 'generated/locked-yaml/serverless.yml' },
    );
  }
  return { expected, skipped };
}

/** Give everything back its permissions so the temporary folder can be removed. */
export function unlockHostileFiles(root: string): void {
  for (const locked of ['generated/locked-dir', 'generated/locked-file/handler.ts', 'generated/locked-yaml/serverless.yml']) {
    try {
      chmodSync(path.join(root, locked), 0o755);
    } catch {
      // not made (permission cases skipped)
    }
  }
}

const NOBODY = { uid: 65534, gid: 65534 };

/**
 * How to run the CLI so that file modes bind: as ourselves when we are not root; as `nobody` when we are (root
 * reads any file whatever its mode, and CI runs as root). Undefined `user` and a reason when neither works.
 */
export function getUnprivilegedRunner(): { user?: { uid: number; gid: number }; permissions: boolean; reason?: string } {
  if (typeof process.getuid !== 'function') return { permissions: false, reason: 'no POSIX file modes on this platform' };
  if (process.getuid() !== 0) return { permissions: true };
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(BIN)}, require('fs').constants.R_OK)`], {
    ...NOBODY,
    encoding: 'utf8',
  });
  if (probe.status === 0) return { user: NOBODY, permissions: true };
  return {
    permissions: false,
    reason: `running as root, and user nobody cannot read the CLI (${(probe.stderr || String(probe.error)).split('\n')[0]})`,
  };
}
