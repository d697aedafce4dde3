import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCacheDir, getUserCacheBase } from '../src/cache/cache-dir.js';
import { SummaryCache } from '../src/cache/summary-cache.js';
import type { SummaryMap } from '../src/cache/summary-map.js';
import { analyze } from '../src/pipeline.js';
import type { FileSummary } from '../src/types/summary.js';
import { getTemporaryFiles } from '../src/write-output.js';
import { runCli } from './helpers/run-cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-cache-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A copy of a fixture app and an empty cache folder of its own. */
function setUp(app: string): { root: string; cacheDir: string } {
  counter++;
  const root = path.join(scratch, `app-${counter}`);
  cpSync(path.join(FIXTURES, 'apps', app), root, { recursive: true });
  // Files older than the cache's "racy" window, as files on disk usually are: their times alone are trusted.
  const old = new Date(Date.now() - 60_000);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(path.join(entry.parentPath, entry.name), old, old);
  }
  return { root, cacheDir: path.join(scratch, `cache-${counter}`) };
}

const SUMMARIES = 'summaries.ndjson';
const INDEX = 'summaries.index.ndjson';

/** A summaries file with every summary's JSON replaced by as many x's: same size, same places, nothing readable. */
function garbleSummaries(bytes: Buffer): Buffer {
  const garbled = Buffer.from(bytes);
  for (let at = garbled.indexOf(0x0a) + 1; at < garbled.length; at++) {
    if (garbled[at - 1] === 0x09) while (at < garbled.length && garbled[at] !== 0x0a) garbled[at++] = 0x78;
  }
  return garbled;
}

/** A summary of about 2 kB, for the cache-writing test. */
function largeSummary(file: string): FileSummary {
  return {
    file,
    imports: [],
    exports: {},
    reexportAll: [],
    scopes: [{ parent: -1, bindings: { name: { k: 'str', v: 'x'.repeat(2000) } } }],
    functions: [],
    calls: [],
    contexts: [],
    moduleRefs: [],
    ownerRefs: {},
    diagnostics: [],
  };
}

describe('the on-disk cache', () => {
  for (const app of ['orders', 'legacy-billing']) {
    it(`gives ${app} the same graph as an uncached run, cold and warm, and parses nothing the second time`, async () => {
      const { root, cacheDir } = setUp(app);
      const uncached = await analyze(root);
      const cold = await analyze(root, { cacheDir });
      expect(existsSync(path.join(cacheDir, SUMMARIES))).toBe(true);
      expect(existsSync(path.join(cacheDir, 'infrastructure.json'))).toBe(true);
      const warm = await analyze(root, { cacheDir });
      expect(JSON.stringify(cold.graph)).toBe(JSON.stringify(uncached.graph));
      expect(JSON.stringify(warm.graph)).toBe(JSON.stringify(uncached.graph));
      expect(warm.parsedFiles).toBe(0);
      expect(cold.parsedFiles).toBeGreaterThan(0);
    });
  }

  it('parses a changed file again, and only that one, and the graph follows the change', async () => {
    const { root, cacheDir } = setUp('orders');
    const before = await analyze(root, { cacheDir });
    const handler = path.join(root, 'src/handlers/place-order.ts');
    const text = readFileSync(handler, 'utf8');
    // Remove the SQS send: its edge must go.
    const changed = text.replace(/await sqs\.send\(/, 'await Promise.resolve(');
    expect(changed).not.toBe(text);
    writeFileSync(handler, changed);
    const after = await analyze(root, { cacheDir });
    const fresh = await analyze(root);
    expect(after.parsedFiles).toBe(1);
    expect(JSON.stringify(after.graph)).toBe(JSON.stringify(fresh.graph));
    expect(after.graph.edges.length).toBe(before.graph.edges.length - 1);
    // The changed entry was appended to the cache file; read back, it replaces the old one.
    const again = await analyze(root, { cacheDir });
    expect(again.parsedFiles).toBe(0);
    expect(JSON.stringify(again.graph)).toBe(JSON.stringify(fresh.graph));
  });

  it('a deleted file is dropped from the index, its line left in the summaries file until it is rewritten', async () => {
    const { root, cacheDir } = setUp('orders');
    writeFileSync(path.join(root, 'src/lib/extra.ts'), 'export const extra = 1;\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, 'src/lib/extra.ts'), old, old);
    await analyze(root, { cacheDir });
    const file = path.join(cacheDir, SUMMARIES);
    const before = readFileSync(file);
    rmSync(path.join(root, 'src/lib/extra.ts'));
    const after = await analyze(root, { cacheDir });
    expect(JSON.stringify(after.graph)).toBe(JSON.stringify((await analyze(root)).graph));
    // Not rewritten: the same bytes; the index no longer names the file.
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readFileSync(path.join(cacheDir, INDEX), 'utf8').split('\n').at(-2)).toContain('"deleted":["src/lib/extra.ts"]');
    const again = await analyze(root, { cacheDir });
    expect(again.parsedFiles).toBe(0);
    expect(again.summaries.has('src/lib/extra.ts')).toBe(false);
  });

  it('notices a change that keeps the size and the modification time (content hash of recently written files)', async () => {
    const { root, cacheDir } = setUp('orders');
    const handler = path.join(root, 'src/handlers/place-order.ts');
    const text = readFileSync(handler, 'utf8');
    // Written just now: inside the racy window, so the next run checks its content, not only its times.
    writeFileSync(handler, text);
    await analyze(root, { cacheDir });
    const { mtime } = statSync(handler);
    const swapped = text.replace('ORDERS_QUEUE_URL', 'ORDERS_QUEUE_URX');
    expect(swapped.length).toBe(text.length);
    writeFileSync(handler, swapped);
    utimesSync(handler, mtime, mtime);
    const after = await analyze(root, { cacheDir });
    expect(JSON.stringify(after.graph)).toBe(JSON.stringify((await analyze(root)).graph));
  });

  it('ignores damaged entries and a damaged file, re-parsing what it cannot use, never failing', async () => {
    const { root, cacheDir } = setUp('orders');
    const expected = JSON.stringify((await analyze(root)).graph);
    await analyze(root, { cacheDir });
    const file = path.join(cacheDir, SUMMARIES);
    const lines = readFileSync(file, 'utf8').split('\n');
    // Cut one summary in half, replace another with garbage, add a line that is no entry at all.
    lines[1] = lines[1].slice(0, Math.floor(lines[1].length / 2));
    lines[2] = `${lines[2].slice(0, lines[2].indexOf('\t'))}\t{"file":"elsewhere.ts"}`;
    lines.push('not an entry');
    writeFileSync(file, lines.join('\n'));
    // Without the stored resolution every summary is read, so the damage inside one is found (when read).
    rmSync(path.join(cacheDir, 'resolution.ndjson'));
    const damaged = await analyze(root, { cacheDir });
    expect(JSON.stringify(damaged.graph)).toBe(expected);
    expect(damaged.parsedFiles).toBe(2);
    // The damaged entries were replaced: the next run parses nothing.
    expect((await analyze(root, { cacheDir })).parsedFiles).toBe(0);

    writeFileSync(file, '\u0000\u0001 binary garbage');
    writeFileSync(path.join(cacheDir, 'infrastructure.json'), '{"format":');
    const garbage = await analyze(root, { cacheDir });
    expect(JSON.stringify(garbage.graph)).toBe(expected);
    expect(garbage.parsedFiles).toBeGreaterThan(0);
  });

  it('reads only the summaries a run needs, through the index, and the whole file when the index is missing or stale', async () => {
    const { root, cacheDir } = setUp('orders');
    const first = await analyze(root, { cacheDir });
    const file = path.join(cacheDir, SUMMARIES);
    const index = path.join(cacheDir, INDEX);
    const original = readFileSync(file);
    // Every summary garbled, the file's size kept: a summary the run reads is found damaged, and its file parsed again.
    writeFileSync(file, garbleSummaries(original));
    // A changed handler: resolving it again reads the summaries of the files it calls into.
    const handler = path.join(root, 'src/handlers/place-order.ts');
    writeFileSync(handler, `${readFileSync(handler, 'utf8')}\nexport const changed = 1;\n`);
    const expected = JSON.stringify((await analyze(root)).graph);
    const lazy = await analyze(root, { cacheDir });
    expect(JSON.stringify(lazy.graph)).toBe(expected);
    // Only the summaries read were parsed again: the others were never read (reading the whole file would find all).
    const read = (lazy.summaries as SummaryMap).loadedCount;
    expect(read).toBeGreaterThan(0);
    expect(lazy.parsedFiles).toBe(1 + read);
    expect(lazy.parsedFiles).toBeLessThan(first.summaries.size);

    // A sound cache without its index: the summaries file is read whole, nothing is parsed, the index is written again.
    rmSync(cacheDir, { recursive: true });
    await analyze(root, { cacheDir });
    rmSync(index);
    const whole = await analyze(root, { cacheDir });
    expect([JSON.stringify(whole.graph), whole.parsedFiles]).toEqual([expected, 0]);
    expect(existsSync(index)).toBe(true);
    // An index made for another summaries file (another id) is not used either: the garbled file is read whole.
    writeFileSync(index, readFileSync(index, 'utf8').replace(/"id":"[^"]+"/, '"id":"another"'));
    writeFileSync(file, garbleSummaries(readFileSync(file)));
    const other = await analyze(root, { cacheDir });
    expect(JSON.stringify(other.graph)).toBe(expected);
    expect(other.parsedFiles).toBe(first.summaries.size);
  });

  it('reads the infrastructure again when an IaC file changes', async () => {
    const { root, cacheDir } = setUp('orders');
    await analyze(root, { cacheDir });
    const serverless = path.join(root, 'serverless.yml');
    appendFileSync(serverless, '\n# a comment changes the text, not the inventory\n');
    const text = readFileSync(serverless, 'utf8');
    writeFileSync(serverless, text.replace(/timeout: (\d+)/, 'timeout: 7'));
    const after = await analyze(root, { cacheDir });
    expect(JSON.stringify(after.graph)).toBe(JSON.stringify((await analyze(root)).graph));
    expect(after.graph.nodes.some((node) => node.timeout === 7)).toBe(true);
  });

  it('keeps one folder per analysed root under the user cache folder, never inside the analysed folder', () => {
    expect(getUserCacheBase({ XDG_CACHE_HOME: '/var/cache/me' })).toBe(path.join('/var/cache/me', 'lambda2sfn'));
    const a = getCacheDir('/some/where/a', '/base');
    const b = getCacheDir('/some/where/b', '/base');
    expect(path.dirname(a)).toBe('/base');
    expect(a).not.toBe(b);
  });

  it('lambda2sfn analyze caches by default, --cache-dir chooses the folder, --no-cache writes nothing', () => {
    const { root, cacheDir } = setUp('orders');
    const home = path.join(scratch, `xdg-${counter}`);
    const env = { XDG_CACHE_HOME: home };
    const first = runCli(['analyze', root, '--format', 'json'], { env });
    expect(first.code).toBe(0);
    expect(existsSync(path.join(getCacheDir(root, path.join(home, 'lambda2sfn')), SUMMARIES))).toBe(true);
    expect(readdirSync(root)).not.toContain('.lambda2sfn-cache');

    const chosen = runCli(['analyze', root, '--format', 'json', '--cache-dir', cacheDir], { env });
    expect(chosen.stdout).toBe(first.stdout);
    expect(existsSync(path.join(getCacheDir(root, cacheDir), SUMMARIES))).toBe(true);

    const other = path.join(scratch, `xdg-none-${counter}`);
    const bypass = runCli(['analyze', root, '--format', 'json', '--no-cache'], { env: { XDG_CACHE_HOME: other } });
    expect(bypass.stdout).toBe(first.stdout);
    expect(existsSync(other)).toBe(false);
  });

  it('a first run writes the cache as it goes, to a temporary file an interrupt removes, renamed into place at the end', () => {
    const cacheDir = path.join(scratch, `first-run-${++counter}`);
    const cache = SummaryCache.load(cacheDir, 'key', Date.now());
    // Over a megabyte of summaries: the first batch is written before the run ends.
    for (let i = 0; i < 600; i++) {
      const kept = cache.set(`src/f${i}.ts`, { size: 1, mtimeMs: 1, ctimeMs: 1, hash: `h${i}`, iac: false }, largeSummary(`src/f${i}.ts`));
      expect(kept).toEqual(largeSummary(`src/f${i}.ts`));
    }
    const pending = getTemporaryFiles().filter((file) => file.startsWith(cacheDir));
    expect(pending).toHaveLength(1);
    expect(existsSync(pending[0])).toBe(true);
    expect(existsSync(path.join(cacheDir, SUMMARIES))).toBe(false);
    expect(cache.save()).toBeUndefined();
    expect(getTemporaryFiles().filter((file) => file.startsWith(cacheDir))).toEqual([]);
    expect(readdirSync(cacheDir).sort()).toEqual([INDEX, SUMMARIES]);
    const again = SummaryCache.load(cacheDir, 'key', Date.now());
    expect(again.getByHash('src/f599.ts', 'h599', { size: 1, mtimeMs: 1, ctimeMs: 1 })?.load()).toEqual(largeSummary('src/f599.ts'));
  });
});
