import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMonorepo } from '../scripts/bench/generate-monorepo.js';
import { analyze, type Analysis } from '../src/pipeline.js';
import type { ResolutionStats } from '../src/resolve/incremental.js';

// Incremental resolution (src/resolve/incremental.ts): after each change, a cached run must give byte for byte the
// graph of an uncached run, and do again only the units the change can affect.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-incremental-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A copy of a folder, its files older than the cache's racy window, and a warm cache of its own. */
async function setUp(source: string, extra: Record<string, string> = {}): Promise<{ root: string; cacheDir: string; first: Analysis }> {
  counter++;
  const root = path.join(scratch, `app-${counter}`);
  cpSync(source, root, { recursive: true });
  for (const [file, text] of Object.entries(extra)) writeFileSync(path.join(root, file), text);
  const old = new Date(Date.now() - 60_000);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(path.join(entry.parentPath, entry.name), old, old);
  }
  const cacheDir = path.join(scratch, `cache-${counter}`);
  const first = await analyze(root, { cacheDir });
  expect(first.resolution?.incremental).toBe(false);
  return { root, cacheDir, first };
}

/** Replaces text in a file of the copy (the text must be there). */
function edit(root: string, file: string, from: string, to: string): void {
  const absolute = path.join(root, file);
  const text = readFileSync(absolute, 'utf8');
  expect(text).toContain(from);
  writeFileSync(absolute, text.replace(from, to));
}

/** A cached run: the same graph as an uncached one; returns what it did again. */
async function rerun(root: string, cacheDir: string): Promise<{ stats: ResolutionStats; graph: string; loaded: number }> {
  const cached = await analyze(root, { cacheDir });
  const fresh = await analyze(root);
  const graph = JSON.stringify(cached.graph);
  expect(graph).toBe(JSON.stringify(fresh.graph));
  const loaded = (cached.summaries as { loadedCount?: number }).loadedCount ?? -1;
  return { stats: cached.resolution!, graph, loaded };
}

const app = (name: string) => path.join(FIXTURES, 'apps', name);

describe('incremental resolution on the orders app', () => {
  it('a handler body change: the graph follows, only that file (and the wrappers it calls) is resolved again', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(root, 'src/handlers/place-order.ts', 'await sqs.send(', 'await Promise.resolve(');
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    // place-order.ts, and invoke.ts: its SDK calls are reached through place-order's calls of the wrappers.
    expect(stats).toMatchObject({ incremental: true, units: 2, fileCalls: 1 });
    expect(stats.reaches).toBeLessThanOrEqual(1);
  });

  it('a shared wrapper change (the invocation type) changes every caller’s edge', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(root, 'src/lib/invoke.ts', "InvocationType: 'RequestResponse'", "InvocationType: 'Event'");
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    expect(stats.incremental).toBe(true);
  });

  it('an environment variable renamed at the call', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(root, 'src/handlers/place-order.ts', 'process.env.RESERVE_INVENTORY_FUNCTION!', 'process.env.RESERVE_STOCK_FUNCTION!');
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    expect(stats).toMatchObject({ incremental: true, units: 2 });
  });

  it('an exported constant of another file, used by a call, changes', async () => {
    const { root, cacheDir } = await setUp(app('orders'));
    writeFileSync(path.join(root, 'src/lib/targets.ts'), 'export const RESERVE_TARGET = process.env.RESERVE_INVENTORY_FUNCTION!;\n');
    edit(root, 'src/handlers/place-order.ts', 'invokeFunction<Reservation>(process.env.RESERVE_INVENTORY_FUNCTION!,', 'invokeFunction<Reservation>(RESERVE_TARGET,');
    edit(root, 'src/handlers/place-order.ts', "import { json } from '../lib/http';", "import { json } from '../lib/http';\nimport { RESERVE_TARGET } from '../lib/targets';");
    // A new file no import looked for before, imported by the changed handler: the handler's units are done again.
    const before = await rerun(root, cacheDir);
    expect(before.stats.incremental).toBe(true);
    edit(root, 'src/lib/targets.ts', 'RESERVE_INVENTORY_FUNCTION', 'FRAUD_CHECK_FUNCTION');
    const after = await rerun(root, cacheDir);
    expect(after.graph).not.toBe(before.graph);
    expect(after.stats.incremental).toBe(true);
    expect(after.stats.units).toBeGreaterThanOrEqual(2);
    expect(after.graph).toContain('"to":"fraudCheck"');
  });

  it('a new export changes no edge and resolves almost nothing again', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    appendFileSync(path.join(root, 'src/lib/logger.ts'), '\nexport const touched = 1;\n');
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).toBe(JSON.stringify(first.graph));
    expect(stats.incremental).toBe(true);
    expect(stats.units).toBeLessThan(first.resolution!.units);
  });

  it('a new file and a deleted one that no import looked for: resolved incrementally, their own units done', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'), {
      // Dead code calling the shared wrapper: deleting it changes the wrapper's caller list.
      'src/lib/dead-caller.ts': "import { invokeFunctionAsync } from './invoke';\nexport const poke = () => invokeFunctionAsync('orders-dev-fraudCheck', {});\n",
    });
    writeFileSync(path.join(root, 'src/lib/extra.ts'), "import { invokeFunctionAsync } from './invoke';\nexport const extra = () => invokeFunctionAsync('orders-dev-updateLoyalty', {});\n");
    const added = await rerun(root, cacheDir);
    expect(added.stats).toMatchObject({ incremental: true, fileCalls: 1 });
    // Its own unit and the wrapper's (a new caller); not every file's.
    expect(added.stats.units).toBeGreaterThanOrEqual(2);
    expect(added.stats.units).toBeLessThan(first.resolution!.units);
    rmSync(path.join(root, 'src/lib/dead-caller.ts'));
    const deleted = await rerun(root, cacheDir);
    expect(deleted.stats).toMatchObject({ incremental: true, fileCalls: 0 });
    expect(deleted.stats.units).toBeGreaterThanOrEqual(1);
    expect(deleted.graph).not.toBe(added.graph);
    expect((await rerun(root, cacheDir)).stats).toMatchObject({ incremental: true, units: 0, reaches: 0, fileCalls: 0 });
  });

  it('a new or deleted file an import could now lead to: everything is resolved', async () => {
    const handler = readFileSync(path.join(app('orders'), 'src/handlers/fraud-check.ts'), 'utf8');
    const { root, cacheDir, first } = await setUp(app('orders'), {
      // Imports of files that are not there yet (external packages until they are), reached by a handler.
      'src/lib/uses-missing.ts': "import { ping } from './missing';\nimport { pong } from './later.js';\nexport const check = async () => (await ping()) + pong();\n",
      'src/handlers/fraud-check.ts': handler
        .replace("import { logger } from '../lib/logger';", "import { logger } from '../lib/logger';\nimport { check } from '../lib/uses-missing';")
        .replace(/(export const handler = async \([^)]*\)[^{]*\{)/, '$1\n  await check();'),
    });
    // Now the import leads to a wrapper call: a new edge from the handler, which only a full resolution finds.
    writeFileSync(path.join(root, 'src/lib/missing.ts'), "import { invokeFunctionAsync } from './invoke';\nexport const ping = () => invokeFunctionAsync('orders-dev-updateLoyalty', {});\n");
    const found = await rerun(root, cacheDir);
    expect(found.stats.incremental).toBe(false);
    expect(found.graph).not.toBe(JSON.stringify(first.graph));
    rmSync(path.join(root, 'src/lib/missing.ts'));
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
    // A file no import names; then an index file for a folder an import names; the TypeScript source of a `.js` import.
    writeFileSync(path.join(root, 'src/lib/missing-notes.ts'), 'export const unused = 1;\n');
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(true);
    const folder = path.join(root, 'src/lib/missing');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'index.ts'), 'export const ping = () => 2;\n');
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
    writeFileSync(path.join(root, 'src/lib/later.ts'), 'export const pong = () => 3;\n');
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
  });

  it('a change to the IaC: everything is resolved', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(root, 'serverless.yml', 'RELEASE_INVENTORY_FUNCTION: ${self:service}-${sls:stage}-releaseInventory', 'RELEASE_INVENTORY_FUNCTION: ${self:service}-${sls:stage}-fraudCheck');
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    expect(stats.incremental).toBe(false);
  });

  it('a retry loop around a call changes its annotations', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(
      root,
      'src/handlers/place-order.ts',
      "  await markOrder(order.orderId, 'PAID', payment.paymentId);",
      "  for (let attempt = 1; ; attempt++) {\n    try {\n      await markOrder(order.orderId, 'PAID', payment.paymentId);\n      break;\n    } catch (err) {\n      if (attempt >= 3) throw err;\n      await sleep(100 * attempt);\n    }\n  }",
    );
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    expect(stats.incremental).toBe(true);
  });

  it('a new caller of a wrapper changes the wrapper’s caller list', async () => {
    const { root, cacheDir, first } = await setUp(app('orders'));
    edit(root, 'src/handlers/fraud-check.ts', "import { logger } from '../lib/logger';", "import { logger } from '../lib/logger';\nimport { invokeFunctionAsync } from '../lib/invoke';");
    edit(root, 'src/handlers/fraud-check.ts', '  const reasons: string[] = [];', "  const reasons: string[] = [];\n  await invokeFunctionAsync('orders-dev-updateLoyalty', { customerId: event.customerId });");
    const { stats, graph } = await rerun(root, cacheDir);
    expect(graph).not.toBe(JSON.stringify(first.graph));
    const edges = (JSON.parse(graph) as { edges: { from: string; to: string; kind: string }[] }).edges;
    expect(edges).toContainEqual(expect.objectContaining({ from: 'fraudCheck', to: 'updateLoyalty', kind: 'invoke-async' }));
    // The new caller's file, and the wrapper's, whose SDK call now has one more call site.
    expect(stats).toMatchObject({ incremental: true, units: 2 });
  });

  it('a library function newly reached by a handler: its unchanged file is resolved again (its owners changed)', async () => {
    const audit = [
      "import { SendMessageCommand } from '@aws-sdk/client-sqs';",
      "import { sqs } from './clients';",
      '',
      'export async function audit(id: string): Promise<void> {',
      '  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ORDERS_QUEUE_URL, MessageBody: id }));',
      '}',
      '',
    ].join('\n');
    const { root, cacheDir, first } = await setUp(app('orders'), { 'src/lib/audit.ts': audit });
    expect(first.graph.unreached).toContainEqual(expect.objectContaining({ file: 'src/lib/audit.ts' }));
    edit(root, 'src/handlers/place-order.ts', "import { json } from '../lib/http';", "import { json } from '../lib/http';\nimport { audit } from '../lib/audit';");
    edit(root, 'src/handlers/place-order.ts', '  await markOrder(order.orderId, \'PAID\', payment.paymentId);', '  await markOrder(order.orderId, \'PAID\', payment.paymentId);\n  await audit(order.orderId);');
    const { stats, graph } = await rerun(root, cacheDir);
    const after = JSON.parse(graph) as Analysis['graph'];
    expect(after.unreached).not.toContainEqual(expect.objectContaining({ file: 'src/lib/audit.ts' }));
    expect(after.edges).toContainEqual(expect.objectContaining({ from: 'placeOrder', to: 'OrdersQueue', file: 'src/lib/audit.ts' }));
    expect(stats).toMatchObject({ incremental: true, reaches: 1 });
  });

  it('a damaged or missing resolution cache is a miss: everything is resolved, never an error', async () => {
    const { root, cacheDir } = await setUp(app('orders'));
    const stored = path.join(cacheDir, 'resolution.ndjson');
    const text = readFileSync(stored, 'utf8');
    writeFileSync(stored, text.slice(0, Math.floor(text.length / 2)));
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
    writeFileSync(stored, text.replace('"calls":{', '"calls":'));
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
    writeFileSync(stored, '\u0000 garbage');
    edit(root, 'src/handlers/place-order.ts', 'await sqs.send(', 'await Promise.resolve(');
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
    rmSync(stored);
    expect((await rerun(root, cacheDir)).stats.incremental).toBe(false);
  });
});

describe('incremental resolution on the CDK and Terraform apps', () => {
  const cases = [
    { name: 'cdk-returns', file: 'services/returns/src/handlers/request-return.ts', from: 'process.env.LABEL_FUNCTION', to: 'process.env.LABEL_FN' },
    { name: 'terraform-claims', file: 'services/submit-claim/index.js', from: 'process.env.FRAUD_CHECK_FUNCTION', to: 'process.env.FRAUD_FN' },
  ];
  for (const { name, file, from, to } of cases) {
    it(`${name}: a new export, then a renamed environment variable`, async () => {
      const { root, cacheDir, first } = await setUp(app(name));
      appendFileSync(path.join(root, file), '\nexport const touched = 1;\n');
      const touched = await rerun(root, cacheDir);
      expect(touched.graph).toBe(JSON.stringify(first.graph));
      expect(touched.stats.incremental).toBe(true);
      edit(root, file, from, to);
      const renamed = await rerun(root, cacheDir);
      expect(renamed.graph).not.toBe(touched.graph);
      expect(renamed.stats).toMatchObject({ incremental: true, units: 1 });
    });
  }
});

describe('incremental resolution on the benchmark monorepo', () => {
  const source = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-incremental-bench-'));
  afterAll(() => rmSync(source, { recursive: true, force: true }));
  const repo = generateMonorepo(source, 200, { filesPerService: 12 });

  it('one changed handler: a few units again, a few summaries read, the same graph', async () => {
    const { root, cacheDir, first } = await setUp(source);
    appendFileSync(path.join(root, repo.editableFile), '\nexport const touched = 1;\n');
    const { stats, graph, loaded } = await rerun(root, cacheDir);
    expect(graph).toBe(JSON.stringify(first.graph));
    expect(stats.incremental).toBe(true);
    expect(stats.reaches).toBeLessThanOrEqual(1);
    expect(stats.fileCalls).toBe(1);
    // The handler's file and the shared wrappers' (the handler is one of their callers); of the wrappers' 64
    // caller sites, only the handler's is resolved again, and few summaries are read.
    expect(stats.units).toBeLessThanOrEqual(3);
    expect(stats.sites).toBeLessThanOrEqual(2);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(16);
  });

  it('a shared wrapper changed, then a new caller of it in a library file', async () => {
    const { root, cacheDir, first } = await setUp(source);
    const wrapper = 'packages/shared/src/invoke.ts';
    const text = readFileSync(path.join(root, wrapper), 'utf8');
    expect(text).toContain("'Event'");
    edit(root, wrapper, "'Event'", "'RequestResponse'");
    const changed = await rerun(root, cacheDir);
    expect(changed.graph).not.toBe(JSON.stringify(first.graph));
    expect(changed.stats.incremental).toBe(true);
    writeFileSync(path.join(root, wrapper), text);
    const handler = path.join(root, repo.editableFile);
    const handlerText = readFileSync(handler, 'utf8');
    writeFileSync(handler, handlerText.replace('export const handler = async (event: Input) => {', "export const handler = async (event: Input) => {\n  await invokeAsync('svc0001-h2', { id: event.id });"));
    const caller = await rerun(root, cacheDir);
    expect(caller.stats.incremental).toBe(true);
    expect(caller.graph).not.toBe(JSON.stringify(first.graph));
  });
});
