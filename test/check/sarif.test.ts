import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';
import { getSarifSchemaErrors } from '../helpers/validate-sarif.js';

/**
 * `check --format sarif` against the SARIF 2.1.0 JSON schema shipped in test/schemas (the one GitHub code scanning
 * validates uploads against), plus what code scanning needs beyond the schema: rule help, regions, fingerprints.
 * test/cli/check.test.ts validates the SARIF of a run against a baseline (baselineState) the same way.
 */

/** A fixture with findings of several rules, suppressed ones and ignores without a reason. */
const FIXTURE = 'fixtures/check/ignore-without-reason';

async function getSarif(args: string[] = []): Promise<{ code: number; log: Log; text: string }> {
  const result = await runCliAsync(['check', FIXTURE, '--format', 'sarif', '--no-cache', ...args]);
  expect(result.stderr).toBe('');
  return { code: result.code, log: JSON.parse(result.stdout) as Log, text: result.stdout };
}

describe('check --format sarif', () => {
  it('is valid SARIF 2.1.0', async () => {
    const { code, log } = await getSarif();
    expect(code).toBe(1);
    expect(getSarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
  });

  it('the schema check can fail: a result without a message, or a bad level, is refused', async () => {
    const { log } = await getSarif();
    const broken = structuredClone(log);
    delete (broken.runs[0].results![0] as { message?: unknown }).message;
    expect(getSarifSchemaErrors(broken)).not.toEqual([]);
    const badLevel = structuredClone(log);
    (badLevel.runs[0].results![0] as { level: string }).level = 'fatal';
    expect(getSarifSchemaErrors(badLevel)).not.toEqual([]);
  });

  it('describes every rule with help, and every result with its rule, a region and a partial fingerprint', async () => {
    const { log } = await getSarif();
    const [run] = log.runs;
    const rules = run.tool.driver.rules!;
    expect(rules.map((rule) => rule.id)).toContain('sync-lambda-invoke');
    expect(rules.map((rule) => rule.id)).toContain('asl-lint/missing-timeout');
    for (const rule of rules) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.fullDescription?.text).toBeTruthy();
      expect(rule.help?.text).toContain('Fix:');
      expect(rule.help?.markdown).toBeTruthy();
    }
    const results = run.results!;
    // Suppressed findings are left out; the three ignores without a reason are reported.
    expect(results.map((result) => `${result.ruleId} ${result.locations![0].physicalLocation!.artifactLocation!.uri}:${result.locations![0].physicalLocation!.region!.startLine}`)).toEqual([
      `ignore-without-reason ${FIXTURE}/serverless.yml:35`,
      `ignore-without-reason ${FIXTURE}/src/checkout.ts:11`,
      `ignore-without-reason ${FIXTURE}/src/settle.js:7`,
    ]);
    for (const result of results) {
      expect(rules[result.ruleIndex!].id).toBe(result.ruleId);
      expect(result.level).toBe('error');
      expect(result.partialFingerprints?.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
      expect(result.locations![0].physicalLocation!.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
    }
  });

  it('shows configured severities and turned-off rules in the rule metadata', async () => {
    const { log, code } = await getSarif(['--config', 'fixtures/check/unused-ignore/lambda2sfn.config.json']);
    expect(code).toBe(1);
    const fanOut = log.runs[0].tool.driver.rules!.find((rule) => rule.id === 'fan-out-invoke');
    expect(fanOut?.defaultConfiguration).toEqual({ enabled: false, level: 'warning' });
    expect(getSarifSchemaErrors(log)).toEqual([]);
  });

  it('is byte-identical from one run to the next', async () => {
    const [first, second] = [await getSarif(), await getSarif()];
    expect(second.text).toBe(first.text);
  });
});
