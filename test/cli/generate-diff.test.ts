import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPlanYaml } from '../../src/plan-file.js';
import { buildSamplePlan } from '../helpers/sample-plan.js';
import { REPO, runCli } from '../helpers/run-cli.js';

describe('lambda2sfn generate --diff', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'lambda2sfn-diff-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  cpSync(path.join(REPO, 'fixtures/apps/orders'), path.join(work, 'app'), { recursive: true });
  const plan = buildSamplePlan();
  plan.workflows = plan.workflows.slice(0, 1);
  plan.sourceRoot = 'app';
  writeFileSync(path.join(work, 'lambda2sfn.plan.yaml'), renderPlanYaml(plan));
  const original = readFileSync(path.join(work, 'app/src/handlers/place-order.ts'), 'utf8');
  const result = runCli(['generate', '--plan', path.join(work, 'lambda2sfn.plan.yaml'), '--out', path.join(work, 'out'), '--diff', '--no-progress'], { timeout: 120_000 });

  it('writes the refactored handlers with one diff per handler against the original, and lists the files written', () => {
    expect(result.code, result.stderr).toBe(0);
    const listed = result.stdout.trim().split('\n');
    expect(listed).toContain(path.join(work, 'out/handlers/src/handlers/place-order.ts'));
    expect(listed).toContain(path.join(work, 'out/handlers/handlers.diff'));
    for (const file of listed) expect(existsSync(file), file).toBe(true);
    const diff = readFileSync(path.join(work, 'out/handlers/handlers.diff'), 'utf8');
    for (const handler of ['place-order', 'fulfill-order', 'notify-customer', 'update-loyalty']) {
      expect(diff).toContain(`--- a/src/handlers/${handler}.ts`);
      expect(diff).toContain(`+++ b/src/handlers/${handler}.ts`);
    }
    expect(diff).toMatch(/^-import \{ invokeFunction \} from '\.\.\/lib\/invoke';$/m);
    expect(diff).toMatch(/^\+export const beforeFraudCheck = async/m);
  });

  it('leaves the analysed folder as it was', () => {
    expect(readFileSync(path.join(work, 'app/src/handlers/place-order.ts'), 'utf8')).toBe(original);
    expect(existsSync(path.join(work, 'app/handlers'))).toBe(false);
  });
});
