import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, isSafeSegment, MAX_SEGMENT_BYTES, SafePathAllocator, toSafeRelativePath, toSafeSegment } from '../../src/safe-path.js';

describe('toSafeSegment', () => {
  it.each(['placeOrder', 'ProcessOrderFunction', 'orders-dev-charge', 'état', 'a b', 'x_1'])('keeps the safe name %s as it is', (name) => {
    expect(toSafeSegment(name)).toBe(name);
    expect(toSafeSegment(name, '.asl.json')).toBe(`${name}.asl.json`);
  });

  it.each([
    ['../../.bashrc', /^bashrc-[0-9a-f]{8}$/],
    ['/etc/cron.d/x', /^etc-cron\.d-x-[0-9a-f]{8}$/],
    ['a\u0000b', /^a-b-[0-9a-f]{8}$/],
    ['..', /^[0-9a-f]{8}$/],
    ['.', /^[0-9a-f]{8}$/],
    ['', /^[0-9a-f]{8}$/],
    ['.hidden', /^hidden-[0-9a-f]{8}$/],
    ['CON', /^_?CON-[0-9a-f]{8}$/],
    ['nul.txt', /^_?nul\.txt-[0-9a-f]{8}$/],
    ['C:\\Windows\\System32', /^C-Windows-System32-[0-9a-f]{8}$/],
    ['trailing. ', /^trailing-[0-9a-f]{8}$/],
    ['evil\u202eexe.txt', /^evil-exe\.txt-[0-9a-f]{8}$/],
  ])('cleans %j', (name, pattern) => {
    const segment = toSafeSegment(name);
    expect(segment).toMatch(pattern);
    expect(isSafeSegment(segment)).toBe(true);
  });

  it('limits the length in bytes, and keeps two long names that share a prefix apart', () => {
    const a = toSafeSegment(`${'é'.repeat(300)}a`, '.json');
    const b = toSafeSegment(`${'é'.repeat(300)}b`, '.json');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(a.endsWith('.json')).toBe(true);
    expect(a).not.toBe(b);
  });

  it('normalises to NFC, so macOS (NFD) names and Linux names agree', () => {
    expect(isSafeSegment('e\u0301')).toBe(false);
    expect(toSafeSegment('e\u0301')).not.toBe(toSafeSegment('é'));
    expect(isSafeSegment(toSafeSegment('e\u0301'))).toBe(true);
  });

  it('for any name: a safe segment, always the same one, and never the same as another name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (a, b) => {
        const safeA = toSafeSegment(a, '.yaml');
        expect(isSafeSegment(safeA)).toBe(true);
        expect(toSafeSegment(a, '.yaml')).toBe(safeA);
        if (a !== b) expect(toSafeSegment(b, '.yaml')).not.toBe(safeA);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
});

describe('toSafeRelativePath and isSafeRelativePath', () => {
  it('joins safe segments', () => {
    expect(toSafeRelativePath(['chains', 'placeOrder'], '.asl.json')).toBe('chains/placeOrder.asl.json');
    expect(toSafeRelativePath(['..', '..', 'etc'])).toMatch(/^[0-9a-f]{8}\/[0-9a-f]{8}\/etc$/);
  });

  it.each(['../x', '/etc/passwd', 'a/../../b', 'a//b', 'a/./b', 'a\\b', 'a\u0000b', '', 'x/', '.git/config'])('refuses %j', (relative) => {
    expect(isSafeRelativePath(relative)).toBe(false);
  });
});

describe('SafePathAllocator', () => {
  it('keeps names that differ only in case apart (case-insensitive file systems), stably', () => {
    const allocator = new SafePathAllocator();
    const first = allocator.allocate(['chains', 'Orders'], '.json');
    const second = allocator.allocate(['chains', 'orders'], '.json');
    expect(first).toBe('chains/Orders.json');
    expect(second.toLowerCase()).not.toBe(first.toLowerCase());
    expect(allocator.allocate(['chains', 'Orders'], '.json')).toBe(first);
    expect(allocator.allocate(['chains', 'orders'], '.json')).toBe(second);
  });

  it('gives no file where another name needs a folder, whichever comes first', () => {
    const allocator = new SafePathAllocator();
    const file = allocator.allocate(['handlers', 'README.md']);
    const nested = allocator.allocate(['handlers', 'readme.md', 'x'], '.js');
    expect(file).toBe('handlers/README.md');
    expect(nested.toLowerCase().startsWith('handlers/readme.md/')).toBe(false);
    const folderFirst = new SafePathAllocator();
    expect(folderFirst.allocate(['a', 'b'])).toBe('a/b');
    expect(folderFirst.allocate(['A']).toLowerCase()).not.toBe('a');
    expect(folderFirst.allocate(['a', 'b'])).toBe('a/b');
  });

  it('never gives two different name lists the same path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 }), { maxLength: 30 }), (lists) => {
        const allocator = new SafePathAllocator();
        const byPath = new Map<string, string>();
        for (const names of lists) {
          const allocated = allocator.allocate(names);
          expect(isSafeRelativePath(allocated)).toBe(true);
          const key = allocated.toLowerCase();
          const owner = byPath.get(key);
          if (owner !== undefined) expect(owner).toBe(JSON.stringify(names));
          byPath.set(key, JSON.stringify(names));
        }
        // No path is the folder of another.
        for (const key of byPath.keys()) {
          for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) expect(byPath.has(key.slice(0, i))).toBe(false);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
