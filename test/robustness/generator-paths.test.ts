import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATORS, getGeneratorsFor } from '../../generators/index.js';
import { getAslFileName } from '../../generators/shared/placeholders.js';
import { buildDeploySettings } from '../../src/deploy-context.js';
import { runGenerators } from '../../src/generate.js';
import { isSafeRelativePath } from '../../src/safe-path.js';
import { IAC_TARGETS } from '../../src/types/deploy.js';
import type { GeneratedFile } from '../../src/types/generator.js';
import type { Plan, WorkflowPlan } from '../../src/types/plan.js';
import { writeOutputFiles } from '../../src/write-output.js';
import { buildSamplePlan } from '../helpers/sample-plan.js';

/**
 * Names in a plan come from the analysed code, or from whoever edited the plan file: every generator must turn
 * them into paths that stay inside the output folder and never meet on a case-insensitive disk.
 */
const HOSTILE_NAMES = [
  '../escape',
  '../../../../tmp/owned',
  '/etc/cron.d/job',
  'C:\\Windows\\System32\\x',
  'nul\u0000byte',
  'CON',
  'aux.json',
  '.hidden',
  '..',
  'trailing. ',
  'evil\u202eexe',
  'x'.repeat(400),
  'Orders',
  'orders',
  'ORDERS',
  'place-order',
];

/** Handler files with hostile names that exist in the analysed folder, and some that point outside it. */
const HANDLER_FILES = ['src/Orders.js', 'src/orders.js', 'src/CON.js', 'src/con.js', `src/${'h'.repeat(200)}.js`, 'src/a b/c.js', 'README.md/x.js'];
const OUTSIDE_HANDLERS = ['../outside.js', '/etc/passwd.js'];

const HANDLER_SOURCE = [
  "const { SendMessageCommand, SQSClient } = require('@aws-sdk/client-sqs');",
  'const sqs = new SQSClient({});',
  "exports.handler = async (event) => { await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) })); return { ok: true }; };",
  '',
].join('\n');

const root = mkdtempSync(path.join(tmpdir(), 'l2s-hostile-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The sample plan's workflows, once per hostile name, each function's handler in a hostile file. */
function buildHostilePlan(): Plan {
  const sample = buildSamplePlan();
  const handlers = [...HANDLER_FILES, ...OUTSIDE_HANDLERS];
  let next = 0;
  const workflows = HOSTILE_NAMES.map((name, i): WorkflowPlan => {
    const workflow = structuredClone(sample.workflows[i % sample.workflows.length]!);
    workflow.name = name;
    workflow.logicalId = `Hostile${i}Workflow`;
    for (const fn of workflow.functions) {
      const file = handlers[next++ % handlers.length]!;
      fn.handler = `${file}:handler`;
      fn.movedCalls = [{ to: 'OrdersQueue', kind: 'sqs', file, line: 3, text: 'await sqs.send(new SendMessageCommand(...))' }];
    }
    return workflow;
  });
  return { ...sample, sourceRoot: '.', workflows };
}

function expectSafeAndDistinct(files: readonly GeneratedFile[], where: string): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    expect(isSafeRelativePath(file.path), `${where}: ${JSON.stringify(file.path)} is a safe relative path`).toBe(true);
    const key = file.path.normalize('NFC').toLowerCase();
    expect(seen.get(key), `${where}: ${file.path} and ${seen.get(key)} collide on a case-insensitive disk`).toBeUndefined();
    seen.set(key, file.path);
  }
}

describe('generators given hostile workflow, function and handler names', () => {
  for (const file of HANDLER_FILES) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), HANDLER_SOURCE);
  }
  const plan = buildHostilePlan();

  it('name every ASL file apart, inside statemachines/', () => {
    const paths = plan.workflows.map(getAslFileName);
    expect(new Set(paths.map((file) => file.toLowerCase())).size).toBe(plan.workflows.length);
    for (const file of paths) {
      expect(file.startsWith('statemachines/')).toBe(true);
      expect(isSafeRelativePath(file)).toBe(true);
    }
    // A name propose gives keeps its file name.
    expect(paths[HOSTILE_NAMES.indexOf('place-order')]).toBe('statemachines/place-order.asl.json');
  });

  it.each(IAC_TARGETS)('every generator run for --iac %s: paths inside the output folder, no two alike, written without escaping', async (iac) => {
    const settings = { ...buildDeploySettings(plan, { iac }), iac };
    const files = await runGenerators(plan, getGeneratorsFor(iac), { root, deploy: settings, diff: true });
    expectSafeAndDistinct(files, iac);
    // Every workflow has its definition and policy; the handlers that exist are written, those outside are not.
    expect(files.filter((file) => file.path.endsWith('.asl.json'))).toHaveLength(plan.workflows.length);
    expect(files.filter((file) => file.path.endsWith('.iam-policy.json'))).toHaveLength(plan.workflows.length);
    const handlerFiles = files.filter((file) => file.path.startsWith('handlers/') && file.path.endsWith('.js'));
    expect(handlerFiles).toHaveLength(HANDLER_FILES.length);
    expect(files.some((file) => file.path === 'handlers/README.md')).toBe(true);

    const out = mkdtempSync(path.join(tmpdir(), 'l2s-hostile-out-'));
    try {
      const written = writeOutputFiles(path.join(out, 'out'), files);
      expect(written).toHaveLength(files.length);
      // Nothing next to the output folder: every file is below it.
      expect(readdirSync(out)).toEqual(['out']);
      for (const target of written) expect(path.relative(path.join(out, 'out'), target).startsWith('..')).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every generator of the registry, each on its own, names its files safely', async () => {
    for (const generator of GENERATORS) {
      const settings = { ...buildDeploySettings(plan, { iac: 'sam' }), iac: 'sam' as const };
      expectSafeAndDistinct(await generator.generate(plan, { root, deploy: settings, diff: true }), generator.id);
    }
  });
});
