import fs, { chmodSync, mkdirSync, mkdtempSync, promises as fsPromises, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALWAYS_SKIPPED_DIRS, discoverFiles, getFileKind, isTestPath, readSourceText } from '../src/discover.js';
import { DEFAULT_LIMITS } from '../src/types/analyzers.js';

const tempRoots: string[] = [];

/** Creates a temp folder holding `files` (path → content); returns its path. */
function makeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'l2s-discover-'));
  tempRoots.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(root, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  return root;
}

function link(root: string, linkPath: string, target: string): void {
  mkdirSync(path.dirname(path.join(root, linkPath)), { recursive: true });
  symlinkSync(target, path.join(root, linkPath));
}

afterAll(() => {
  for (const root of tempRoots) {
    chmodTreeReadable(root);
    rmSync(root, { recursive: true, force: true });
  }
});

function chmodTreeReadable(root: string): void {
  try {
    chmodSync(path.join(root, 'locked'), 0o755);
  } catch {
    // most trees have no locked folder
  }
}

// Root reads any folder whatever its mode, so the chmod test only means something for other users.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('getFileKind', () => {
  it.each([
    ['handler.ts', 'code'],
    ['handler.mts', 'code'],
    ['handler.cjs', 'code'],
    ['view.tsx', 'code'],
    ['types.d.ts', undefined],
    ['types.d.mts', undefined],
    ['serverless.yml', 'iac'],
    ['template.yaml', 'iac'],
    ['stack.template', 'iac'],
    ['main.tf', 'iac'],
    ['cdk.json', 'iac'],
    ['package.json', 'config'],
    ['tsconfig.json', 'config'],
    ['tsconfig.build.json', 'config'],
    ['pnpm-workspace.yaml', 'config'],
    ['lerna.json', 'config'],
    ['.gitignore', 'config'],
    ['package-lock.json', undefined],
    ['pnpm-lock.yaml', undefined],
    ['flow.asl.json', 'other'],
    ['logo.png', undefined],
    ['README.md', undefined],
  ])('%s → %s', (name, kind) => {
    expect(getFileKind(name)).toBe(kind);
  });
});

describe('isTestPath', () => {
  it.each([
    ['src/a.test.ts', true],
    ['src/a.spec.js', true],
    ['src/__tests__/a.ts', true],
    ['test/helpers.ts', true],
    ['packages/x/tests/a.ts', true],
    ['src/__mocks__/aws.ts', true],
    ['e2e/flow.ts', true],
    ['src/testing.ts', false],
    ['src/contest/a.ts', false],
    ['src/latest.ts', false],
  ])('%s → %s', (file, expected) => {
    expect(isTestPath(file)).toBe(expected);
  });
});

describe('discoverFiles', () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    outside = makeTree({ 'x.ts': 'export {};\n', 'dir/y.ts': 'export {};\n' });
    root = makeTree({
      '.gitignore': 'generated/\nsecret*.ts\n!secret-ok.ts\ndata.json\n# comment\n',
      'package.json': '{}',
      'tsconfig.json': '{}',
      'serverless.yml': 'service: x\n',
      'main.tf': '',
      'flow.asl.json': '{}',
      'package-lock.json': '{}',
      'README.md': '# x',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]),
      'types.d.ts': 'export {};',
      'data.json': '{}',
      'big.json': 'x'.repeat(2000),
      'src/handler.ts': 'export const handler = async () => {};\n',
      'src/handler.test.ts': '',
      'src/__tests__/a.ts': '',
      'src/secret-keys.ts': '',
      'src/secret-ok.ts': '',
      'src/lib/util.mjs': '',
      'generated/x.ts': '',
      'packages/a/.gitignore': '*.js\n!keep.js\n',
      'packages/a/index.js': '',
      'packages/a/keep.js': '',
      'packages/a/index.ts': '',
      'packages/a/src/deep.js': '',
      'packages/b/.gitignore': '!data.json\n',
      'packages/b/data.json': '{}',
      'packages/b/lib/x.ts': '',
      ...Object.fromEntries(ALWAYS_SKIPPED_DIRS.map((dir) => [`${dir}/skipped.ts`, ''])),
      'packages/b/build/x.ts': '',
      'packages/b/node_modules/dep/index.js': '',
    });
    link(root, 'loop/self', '..');
    link(root, 'links/to-src', '../src');
    link(root, 'links/file.ts', '../src/handler.ts');
    link(root, 'links/outside', outside);
    link(root, 'links/outside.ts', path.join(outside, 'x.ts'));
    link(root, 'links/broken.ts', 'missing.ts');
    link(root, 'links/to-node-modules', '../node_modules');
  });

  it('lists code, IaC and config files, honouring nested .gitignore files and default skips', async () => {
    const { files } = await discoverFiles(root, { limits: { ...DEFAULT_LIMITS, maxFileBytes: 1000 } });
    expect(files.map((file) => `${file.kind} ${file.path}${file.isTest ? ' (test)' : ''}`)).toEqual([
      'config .gitignore',
      'other flow.asl.json',
      'code links/file.ts',
      'iac main.tf',
      'config package.json',
      'config packages/a/.gitignore',
      'code packages/a/index.ts',
      'code packages/a/keep.js',
      'config packages/b/.gitignore',
      'iac packages/b/data.json',
      'code packages/b/lib/x.ts',
      'iac serverless.yml',
      'code src/__tests__/a.ts (test)',
      'code src/handler.test.ts (test)',
      'code src/handler.ts',
      'code src/lib/util.mjs',
      'code src/secret-ok.ts',
      'config tsconfig.json',
    ]);
  });

  it('reports sizes', async () => {
    const { files } = await discoverFiles(root);
    expect(files.find((file) => file.path === 'src/handler.ts')?.size).toBe(39);
    expect(files.find((file) => file.path === 'big.json')?.size).toBe(2000);
  });

  it('keeps the times of its stat, which the cache compares instead of a second stat', async () => {
    const { files } = await discoverFiles(root);
    const handler = files.find((file) => file.path === 'src/handler.ts')!;
    const stats = statSync(path.join(root, 'src/handler.ts'));
    expect({ mtimeMs: handler.mtimeMs, ctimeMs: handler.ctimeMs }).toEqual({ mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs });
  });

  it('skips files over maxFileBytes with a diagnostic', async () => {
    const { files, diagnostics } = await discoverFiles(root, { limits: { ...DEFAULT_LIMITS, maxFileBytes: 1000 } });
    expect(files.some((file) => file.path === 'big.json')).toBe(false);
    expect(diagnostics.filter((d) => d.code === 'file-too-large')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'big.json' }),
    ]);
  });

  it('follows symlinks inside the root once and reports the ones it does not follow', async () => {
    const { files, diagnostics } = await discoverFiles(root);
    const paths = files.map((file) => file.path);
    expect(paths).toContain('links/file.ts');
    // The real folder wins over the symlink to it; the loop and the links outside are not followed.
    expect(paths.filter((file) => file.startsWith('links/to-src/') || file.startsWith('loop/'))).toEqual([]);
    expect(paths.some((file) => file.includes('outside'))).toBe(false);
    expect(
      diagnostics.filter((d) => d.severity === 'info').map((d) => `${d.code} ${d.file}`),
    ).toEqual([
      'broken-symlink links/broken.ts',
      'symlink-outside-root links/outside',
      'symlink-outside-root links/outside.ts',
      'symlink-duplicate links/to-src',
      'symlink-loop loop/self',
    ]);
  });

  it('walks a symlinked folder whose target is not walked otherwise', async () => {
    const tree = makeTree({ 'ignored/real/a.ts': '', '.gitignore': 'ignored/\n' });
    link(tree, 'src/shared', '../ignored/real');
    link(tree, 'ignored/real/back', '..');
    const { files, diagnostics } = await discoverFiles(tree);
    expect(files.map((file) => file.path)).toEqual(['.gitignore', 'src/shared/a.ts']);
    expect(diagnostics).toEqual([]);
  });

  it('survives a symlink cycle between two folders', async () => {
    const tree = makeTree({ 'a/x.ts': '', 'b/y.ts': '' });
    link(tree, 'a/to-b', '../b');
    link(tree, 'b/to-a', '../a');
    const { files, diagnostics } = await discoverFiles(tree);
    expect(files.map((file) => file.path)).toEqual(['a/x.ts', 'b/y.ts']);
    expect(diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual([
      'symlink-duplicate a/to-b',
      'symlink-duplicate b/to-a',
    ]);
  });

  it('applies extra ignore patterns that .gitignore negations cannot undo', async () => {
    const tree = makeTree({ '.gitignore': '!legacy/\n', 'legacy/a.ts': '', 'src/a.ts': '', 'src/b.generated.ts': '' });
    const { files } = await discoverFiles(tree, { extraIgnores: ['legacy/', '*.generated.ts', ''] });
    expect(files.map((file) => file.path)).toEqual(['.gitignore', 'src/a.ts']);
  });

  it('gives the same result on every run', async () => {
    const first = await discoverFiles(root);
    const second = await discoverFiles(root);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    const paths = first.files.map((file) => file.path);
    expect(paths).toEqual(paths.toSorted((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('sorts paths by bytes, not by locale', async () => {
    const tree = makeTree({ 'b.ts': '', 'B.ts': '', 'a-b/x.ts': '', 'a/x.ts': '', 'é.ts': '', 'z.ts': '' });
    const { files } = await discoverFiles(tree);
    expect(files.map((file) => file.path)).toEqual(['B.ts', 'a-b/x.ts', 'a/x.ts', 'b.ts', 'z.ts', 'é.ts']);
  });

  it('reports a missing root instead of throwing', async () => {
    const result = await discoverFiles(path.join(outside, 'does-not-exist'));
    expect(result.files).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'unreadable', file: '.' })]);
    expect(result.diagnostics[0]?.message).not.toContain(outside);
  });

  it('reports a root that is a file', async () => {
    const result = await discoverFiles(path.join(outside, 'x.ts'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'unreadable', file: '.' })]);
  });

  it.skipIf(isRoot)('reports an unreadable folder and goes on (chmod 000)', async () => {
    const tree = makeTree({ 'locked/a.ts': '', 'open/b.ts': '' });
    chmodSync(path.join(tree, 'locked'), 0o000);
    const { files, diagnostics } = await discoverFiles(tree);
    expect(files.map((file) => file.path)).toEqual(['open/b.ts']);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'unreadable', file: 'locked' })]);
  });

  describe('with filesystem errors injected', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('reports an unreadable folder and goes on', async () => {
      const tree = makeTree({ 'locked/a.ts': '', 'open/b.ts': '' });
      const realReaddir = fsPromises.readdir;
      vi.spyOn(fsPromises, 'readdir').mockImplementation(((dir: string, options: never) => {
        if (String(dir).endsWith(`${path.sep}locked`)) {
          return Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' }));
        }
        return realReaddir(dir, options);
      }) as typeof fsPromises.readdir);
      const { files, diagnostics } = await discoverFiles(tree);
      expect(files.map((file) => file.path)).toEqual(['open/b.ts']);
      expect(diagnostics).toEqual([
        expect.objectContaining({ code: 'unreadable', file: 'locked', message: 'Cannot read locked: EACCES (permission denied).' }),
      ]);
    });

    it('reports a file it cannot stat and goes on', async () => {
      const tree = makeTree({ 'a.ts': '', 'b.ts': '' });
      const realStat = fs.statSync;
      vi.spyOn(fs, 'statSync').mockImplementation(((file: string, options: never) => {
        if (String(file).endsWith(`${path.sep}a.ts`)) throw Object.assign(new Error('EIO: i/o error, stat'), { code: 'EIO' });
        return realStat(file, options);
      }) as typeof fs.statSync);
      const { files, diagnostics } = await discoverFiles(tree);
      expect(files.map((file) => file.path)).toEqual(['b.ts']);
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'unreadable', file: 'a.ts' })]);
    });
  });
});

describe('readSourceText', () => {
  let root: string;

  beforeAll(() => {
    root = makeTree({
      'bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;\r\nconst b = 2;\r\n')]),
      'plain.ts': 'export {};\n',
      'nul.js': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x01, 0x02]),
      'utf16.ts': Buffer.from('\ufeffconst a = 1;', 'utf16le'),
      'random.js': Buffer.from(Array.from({ length: 4000 }, (_, i) => 0x80 + ((i * 37) % 0x7f))),
      'latin1.ts': Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\nexport const x = 1;\n'.repeat(5))]),
      'big.ts': 'x'.repeat(100),
      'empty.ts': '',
    });
  });

  it('strips the BOM and keeps CRLF', () => {
    expect(readSourceText(path.join(root, 'bom.ts'))).toEqual({ text: 'const a = 1;\r\nconst b = 2;\r\n' });
  });

  it('reads plain and empty files', () => {
    expect(readSourceText(path.join(root, 'plain.ts'))).toEqual({ text: 'export {};\n' });
    expect(readSourceText(path.join(root, 'empty.ts'))).toEqual({ text: '' });
  });

  it('keeps text with a few invalid bytes (mis-encoded comments) as text, with a not-utf8 notice at the line', () => {
    const result = readSourceText(path.join(root, 'latin1.ts'), { file: 'latin1.ts' });
    expect('text' in result && result.text.startsWith('// caf\ufffd\n')).toBe(true);
    expect('text' in result && result.notice).toMatchObject({ code: 'not-utf8', severity: 'info', file: 'latin1.ts', line: 1 });
    expect(readSourceText(path.join(root, 'plain.ts'))).not.toHaveProperty('notice');
  });

  it.each([
    ['nul.js', 'NUL bytes'],
    ['utf16.ts', 'UTF-16'],
    ['random.js', 'not valid UTF-8'],
  ])('reports %s as binary (%s)', (file, reason) => {
    const result = readSourceText(path.join(root, file), { file: `src/${file}` });
    expect(result).toEqual({
      diagnostic: expect.objectContaining({ code: 'binary-file', severity: 'warning', file: `src/${file}` }),
    });
    expect('diagnostic' in result && result.diagnostic.message).toContain(reason);
  });

  it('reports a missing file, a folder and an oversized file', () => {
    expect(readSourceText(path.join(root, 'missing.ts'), { file: 'missing.ts' })).toEqual({
      diagnostic: expect.objectContaining({ code: 'unreadable', file: 'missing.ts', message: 'Cannot read missing.ts: ENOENT (no such file or directory).' }),
    });
    expect(readSourceText(root, { file: 'dir' })).toEqual({
      diagnostic: expect.objectContaining({ code: 'unreadable', file: 'dir' }),
    });
    expect(readSourceText(path.join(root, 'big.ts'), { file: 'big.ts', maxFileBytes: 50 })).toEqual({
      diagnostic: expect.objectContaining({ code: 'file-too-large', file: 'big.ts' }),
    });
  });
});
