import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError, UsageError } from '../../src/errors.js';
import { SafePathAllocator } from '../../src/safe-path.js';
import { getTemporaryFiles, removeTemporaryFiles, writeFileAtomic, writeOutputFiles } from '../../src/write-output.js';

const temp: string[] = [];
function makeDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-write-'));
  temp.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('writeOutputFiles (--out DIR)', () => {
  it('writes every file under the folder, making subfolders, and leaves no temporary file', () => {
    const out = path.join(makeDir(), 'out');
    const written = writeOutputFiles(out, [
      { path: 'statemachine.asl.json', contents: '{}' },
      { path: 'chains/placeOrder/template.yaml', contents: 'a: 1\n' },
    ]);
    expect(written).toEqual([path.join(out, 'statemachine.asl.json'), path.join(out, 'chains/placeOrder/template.yaml')]);
    expect(listTree(out)).toEqual(['chains/placeOrder/template.yaml', 'statemachine.asl.json']);
    expect(getTemporaryFiles()).toEqual([]);
  });

  it.each(['../escape.txt', '/tmp/abs.txt', 'a/../../escape.txt', 'a/./b', 'nul\u0000.txt', '.git/config', ''])(
    'refuses the unsafe path %j and writes nothing',
    (relative) => {
      const dir = makeDir();
      const out = path.join(dir, 'out');
      expect(() => writeOutputFiles(out, [{ path: 'ok.txt', contents: 'x' }, { path: relative, contents: 'x' }])).toThrow(OutputError);
      expect(listTree(dir)).toEqual([]);
    },
  );

  it('refuses a file where another needs a folder (a, a/b) before writing anything', () => {
    const dir = makeDir();
    const out = path.join(dir, 'out');
    expect(() => writeOutputFiles(out, [{ path: 'a/b/c.txt', contents: 'x' }, { path: 'A/b', contents: 'x' }])).toThrow(/both an output file and the folder/);
    expect(listTree(dir)).toEqual([]);
  });

  it('writes names from the analysed code, made safe by safe-path.ts, inside the folder', () => {
    const dir = makeDir();
    const out = path.join(dir, 'out');
    const allocator = new SafePathAllocator();
    const hostile = ['../../../etc/passwd', '/root/.ssh/authorized_keys', 'CON', 'a\u0000b', 'Orders', 'orders', '.'.repeat(300)];
    const files = hostile.map((name) => ({ path: allocator.allocate(['chains', name], '.asl.json'), contents: name }));
    writeOutputFiles(out, files);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(path.join(out, 'chains'))).toHaveLength(hostile.length);
  });

  it('refuses a symbolic link inside the folder that points outside, and leaves the outside alone', () => {
    const dir = makeDir();
    const out = path.join(dir, 'out');
    const outside = path.join(dir, 'outside');
    mkdirSync(out);
    mkdirSync(outside);
    symlinkSync(outside, path.join(out, 'chains'));
    expect(() => writeOutputFiles(out, [{ path: 'chains/x.json', contents: '{}' }], { force: true })).toThrow(UsageError);
    expect(readdirSync(outside)).toEqual([]);
    writeFileSync(path.join(outside, 'target.json'), 'precious');
    symlinkSync(path.join(outside, 'target.json'), path.join(out, 'file.json'));
    expect(() => writeOutputFiles(out, [{ path: 'file.json', contents: 'overwritten' }], { force: true })).toThrow(/symbolic link/);
    expect(readFileSync(path.join(outside, 'target.json'), 'utf8')).toBe('precious');
  });

  it('does not overwrite without force, and writes nothing at all when one file exists', () => {
    const out = makeDir();
    writeFileSync(path.join(out, 'b.json'), 'mine');
    expect(() =>
      writeOutputFiles(out, [
        { path: 'a.json', contents: 'new' },
        { path: 'b.json', contents: 'new' },
      ]),
    ).toThrow(/an output file exists: .*b\.json/);
    expect(listTree(out)).toEqual(['b.json']);
    expect(readFileSync(path.join(out, 'b.json'), 'utf8')).toBe('mine');
    writeOutputFiles(out, [{ path: 'a.json', contents: 'new' }, { path: 'b.json', contents: 'new' }], { force: true });
    expect(readFileSync(path.join(out, 'b.json'), 'utf8')).toBe('new');
  });

  it('refuses two files that would land on the same path on a case-insensitive file system', () => {
    const out = makeDir();
    expect(() => writeOutputFiles(out, [{ path: 'A.json', contents: '1' }, { path: 'a.json', contents: '2' }])).toThrow(/two output files/);
    expect(listTree(out)).toEqual([]);
  });

  it('replaces a stale temporary file (or a link planted at its name) instead of writing through it', () => {
    const dir = makeDir();
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, path.join(out, `.graph.json.${process.pid}.tmp`));
    writeOutputFiles(out, [{ path: 'graph.json', contents: '{}' }]);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(listTree(out)).toEqual(['graph.json']);
  });
});

describe('writeFileAtomic (-o FILE)', () => {
  it('does not follow a symbolic link at the target, even with force', () => {
    const dir = makeDir();
    writeFileSync(path.join(dir, 'real.json'), 'precious');
    symlinkSync(path.join(dir, 'real.json'), path.join(dir, 'link.json'));
    expect(() => writeFileAtomic(path.join(dir, 'link.json'), 'x', { force: true })).toThrow(/symbolic link/);
    expect(readFileSync(path.join(dir, 'real.json'), 'utf8')).toBe('precious');
  });
});

describe('temporary files', () => {
  it('are removed when the rename fails half-way, and none stays registered', () => {
    const dir = makeDir();
    mkdirSync(path.join(dir, 'graph.json'));
    expect(() => writeFileAtomic(path.join(dir, 'graph.json'), 'x', { force: true })).toThrow(OutputError);
    expect(readdirSync(dir)).toEqual(['graph.json']);
    expect(getTemporaryFiles()).toEqual([]);
    removeTemporaryFiles();
  });
});
