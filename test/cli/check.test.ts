import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../src/schema/schema-errors.js';
import { REPO, runCliAsync } from '../helpers/run-cli.js';
import { getSarifSchemaErrors } from '../helpers/validate-sarif.js';

/** `lambda2sfn check` run as a user runs it: the built binary on copies of the fixture repositories. */

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

interface JsonReport {
  failed: boolean;
  summary: { new: number; baselined: number; suppressed: number; fixed: number };
  findings: { rule: string; status: string; file: string; line: number; function?: string; fingerprint: string; suppression?: { reason: string } }[];
  fixed: { rule: string; function?: string; fingerprint: string; file: string; code?: string }[];
}

function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `l2s-check-${name}-`));
  cpSync(path.join(REPO, 'fixtures/check', name), dir, { recursive: true });
  return dir;
}

async function check(dir: string, ...args: string[]) {
  const result = await runCliAsync(['check', dir, '--no-cache', ...args]);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  return result;
}

async function checkJson(dir: string, ...args: string[]): Promise<{ code: number; report: JsonReport }> {
  const result = await check(dir, '--format', 'json', ...args);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport };
}

/** Edits a file of the copy: `edit` gets its text and returns the new one. */
function edit(dir: string, file: string, change: (text: string) => string): void {
  const target = path.join(dir, file);
  writeFileSync(target, change(readFileSync(target, 'utf8')));
}

const INVOICE = 'src/handlers/create-invoice.ts';

describe('check: the baseline, end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('sync-lambda-invoke');
  });

  it('without a baseline, every finding is new and fails the run', async () => {
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('3 new findings (3 errors).');
    expect(result.stdout).toContain('Failed: new findings at or above error.');
  });

  it('--update-baseline records them in lambda2sfn.baseline.json (schema-valid, stable) and passes', async () => {
    const first = await check(dir, '--update-baseline');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/wrote .*lambda2sfn\.baseline\.json \(3 findings\)/);
    expect(first.stdout).toContain('No new findings.');
    const written = readFileSync(path.join(dir, 'lambda2sfn.baseline.json'), 'utf8');
    const validate = compileSchema('check-baseline.schema.json');
    expect(validate(JSON.parse(written))).toBe(true);
    expect(written).not.toMatch(/"line"/);
    await check(dir, '--update-baseline');
    expect(readFileSync(path.join(dir, 'lambda2sfn.baseline.json'), 'utf8')).toBe(written);
  });

  it('afterwards, check passes, and shows what the baseline holds', async () => {
    const result = await check(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No new findings.\n3 findings in the baseline (lambda2sfn.baseline.json).\nPassed: no new finding at or above error.\n');
  });

  it('unrelated lines added above the findings move them, and they still match the baseline', async () => {
    edit(dir, INVOICE, (text) => `// Invoices: create one, with its tax and its PDF.\n\n${text.replace('export const handler', 'const CURRENCY = "EUR";\n\nexport const handler')}`);
    edit(dir, 'src/handlers/refund-invoice.js', (text) => text.replace("const lambda = new AWS.Lambda();", "const lambda = new AWS.Lambda({\n  region: 'eu-west-1',\n});"));
    edit(dir, 'serverless.yml', (text) => text.replace('functions:', '# The billing service.\nfunctions:'));
    const { code, report } = await checkJson(dir);
    expect(code).toBe(0);
    expect(report.summary).toEqual({ new: 0, baselined: 3, suppressed: 0, fixed: 0 });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([`${INVOICE}:16`, `${INVOICE}:18`, 'src/handlers/refund-invoice.js:10']);
  });

  it('a new finding fails the run, alone; a copy of a baselined call is new too', async () => {
    edit(dir, INVOICE, (text) =>
      text.replace(
        '  // No finding: asynchronous',
        '  const audit = await callFunction<{ ok: boolean }>(process.env.AUDIT_FUNCTION!, { invoiceId: invoice.id });\n  if (!audit.ok) {\n    const tax = await callFunction<{ total: number }>(process.env.TAX_FUNCTION!, { lines: invoice.lines });\n    console.log(tax.total);\n  }\n  // No finding: asynchronous',
      ),
    );
    const { code, report } = await checkJson(dir);
    expect(code).toBe(1);
    expect(report.findings.filter((finding) => finding.status === 'new').map((finding) => `${finding.function} ${finding.file}:${finding.line}`)).toEqual([
      `createInvoice ${INVOICE}:19`,
      `createInvoice ${INVOICE}:21`,
    ]);
    expect(report.summary).toEqual({ new: 2, baselined: 3, suppressed: 0, fixed: 0 });

    const text = await check(dir);
    expect(text.stdout).toContain(`${INVOICE}\n  19:`);
    expect(text.stdout).toContain('2 new findings (2 errors).');
    expect(text.stdout).not.toContain(':16 ');

    const sarif = await check(dir, '--format', 'sarif');
    const log = JSON.parse(sarif.stdout) as Log;
    expect(getSarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results!.map((result) => result.baselineState)).toEqual(['unchanged', 'unchanged', 'new', 'new', 'unchanged']);
  });

  it('a fixed finding is reported as gone, and --update-baseline prunes it', async () => {
    edit(dir, INVOICE, (text) =>
      text
        .replace(/ {2}const audit = [^\n]+\n {2}if \(!audit\.ok\) \{\n[^\n]+\n[^\n]+\n {2}\}\n/, '')
        .replace(/ {2}\/\/ Finding: waits for renderPdf as well\.\n {2}const pdf = [^\n]+\n/, "  const pdf = { url: 'pending' };\n"),
    );
    const { code, report } = await checkJson(dir);
    expect(code).toBe(0);
    expect(report.summary).toEqual({ new: 0, baselined: 2, suppressed: 0, fixed: 1 });
    expect(report.fixed).toEqual([{ rule: 'sync-lambda-invoke', function: 'createInvoice', fingerprint: expect.stringMatching(/:1$/), file: INVOICE, code: expect.stringContaining('PDF_FUNCTION') }]);
    const text = await check(dir);
    expect(text.stdout).toContain('1 baseline entry no longer found (fixed): run lambda2sfn check --update-baseline to prune it.');

    const update = await check(dir, '--update-baseline');
    expect(update.stderr).toMatch(/\(2 findings: 0 added, 1 fixed and removed\)/);
    const baseline = JSON.parse(readFileSync(path.join(dir, 'lambda2sfn.baseline.json'), 'utf8')) as { findings: unknown[] };
    expect(baseline.findings).toHaveLength(2);
  });

  it('--no-baseline reports every finding as new; --baseline FILE reads another file', async () => {
    expect((await checkJson(dir, '--no-baseline')).report.summary.new).toBe(2);
    const other = path.join(dir, 'other-baseline.json');
    writeFileSync(other, '{ "version": 1, "findings": [] }\n');
    expect((await checkJson(dir, '--baseline', other)).report.summary.new).toBe(2);
  });

  it('a baseline that is not valid JSON, or not a baseline, is a usage error with its line', async () => {
    const broken = path.join(dir, 'broken-baseline.json');
    writeFileSync(broken, '{\n  "version": 1,\n  "findings": [\n    { "rule": "x" ]\n}\n');
    const notJson = await check(dir, '--baseline', broken);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/broken-baseline\.json:4: the baseline is not valid JSON/);
    writeFileSync(broken, '{\n  "version": 1,\n  "findings": [\n    { "rule": "x", "fingerprint": "nope", "file": "a.ts" }\n  ]\n}\n');
    const invalid = await check(dir, '--baseline', broken);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/broken-baseline\.json:4: .*fingerprint/);
    expect(invalid.stderr).toContain('hint: write it again with lambda2sfn check --update-baseline');
    const rewritten = await check(dir, '--baseline', broken, '--update-baseline');
    expect(rewritten.code).toBe(0);
    expect(rewritten.stderr).toMatch(/wrote .*broken-baseline\.json \(2 findings\)\n$/);
  });
});

describe('check: inline ignores', () => {
  it('an ignore with a reason suppresses its finding; one without a reason suppresses it and is reported', async () => {
    const { code, report } = await checkJson(path.join(REPO, 'fixtures/check/ignore-without-reason'));
    expect(code).toBe(1);
    const byStatus = (status: string) => report.findings.filter((finding) => finding.status === status).map((finding) => `${finding.rule} ${finding.file}:${finding.line} ${JSON.stringify(finding.suppression?.reason ?? null)}`);
    expect(byStatus('suppressed')).toEqual([
      'queue-without-dlq serverless.yml:36 ""',
      'sync-lambda-invoke src/checkout.ts:9 "the card network needs the authorization in the same HTTP request"',
      'sync-lambda-invoke src/checkout.ts:11 ""',
      'hand-written-retry src/settle.js:8 ""',
    ]);
    expect(byStatus('new')).toEqual(['ignore-without-reason serverless.yml:35 null', 'ignore-without-reason src/checkout.ts:11 null', 'ignore-without-reason src/settle.js:7 null']);
    const text = await check(path.join(REPO, 'fixtures/check/ignore-without-reason'));
    expect(text.stdout).toContain('4 findings suppressed by lambda2sfn-ignore comments.');
  });

  it('suppressed findings stay out of the baseline; removing the ignore brings the finding back as new', async () => {
    const dir = copyFixture('ignore-without-reason');
    await check(dir, '--update-baseline');
    const baseline = JSON.parse(readFileSync(path.join(dir, 'lambda2sfn.baseline.json'), 'utf8')) as { findings: { rule: string }[] };
    expect(baseline.findings.map((entry) => entry.rule)).toEqual(['ignore-without-reason', 'ignore-without-reason', 'ignore-without-reason']);
    expect((await check(dir)).code).toBe(0);
    edit(dir, 'src/checkout.ts', (text) => text.replace(' // lambda2sfn-ignore sync-lambda-invoke\n', '\n'));
    const { code, report } = await checkJson(dir);
    expect(code).toBe(1);
    expect(report.findings.filter((finding) => finding.status === 'new').map((finding) => `${finding.rule} ${finding.file}:${finding.line}`)).toEqual(['sync-lambda-invoke src/checkout.ts:11']);
  });
});

describe('check: configuration', () => {
  it('lambda2sfn.config.yaml turns rules off, changes severities and thresholds', async () => {
    const dir = copyFixture('deep-chain');
    expect((await check(dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'lambda2sfn.config.yaml'), 'rules:\n  deep-chain: error\nthresholds:\n  maxChainDepth: 1\n');
    const { code, report } = await checkJson(dir);
    expect(code).toBe(1);
    expect(report.findings.map((finding) => `${finding.rule} ${finding.function}`)).toEqual(['deep-chain Intake', 'deep-chain Nightly']);
    writeFileSync(path.join(dir, 'lambda2sfn.config.yaml'), 'rules:\n  deep-chain: "off"\n');
    expect((await checkJson(dir, '--max-chain-depth', '1')).report.findings).toEqual([]);
  });

  it('the "lambda2sfn" key of package.json is read; --fail-on overrides its failOn', async () => {
    const dir = copyFixture('fan-out-invoke');
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'catalog', private: true, lambda2sfn: { rules: { 'sync-lambda-invoke': 'off' }, failOn: 'warning' } }, null, 2)}\n`);
    const { code, report } = await checkJson(dir);
    expect(code).toBe(1);
    expect(new Set(report.findings.map((finding) => finding.rule))).toEqual(new Set(['fan-out-invoke']));
    expect((await check(dir, '--fail-on', 'error')).code).toBe(0);
  });

  it('a configuration that does not match the schema is a usage error naming the file and line of each problem', async () => {
    const dir = copyFixture('deep-chain');
    writeFileSync(path.join(dir, 'lambda2sfn.config.json'), '{\n  "rules": {\n    "deep-chian": "error",\n    "sync-lambda-invoke": "loud"\n  },\n  "thresholds": { "maxChainDepth": 0 }\n}\n');
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/lambda2sfn\.config\.json:3: .*deep-chian/);
    expect(result.stderr).toMatch(/lambda2sfn\.config\.json:4: .*sync-lambda-invoke/);
    expect(result.stderr).toMatch(/lambda2sfn\.config\.json:6: .*maxChainDepth/);
    expect(result.stderr).toContain('hint: the rule ids are: sync-lambda-invoke,');
  });

  it('a configuration that does not parse is a usage error with its line', async () => {
    const dir = copyFixture('deep-chain');
    writeFileSync(path.join(dir, 'lambda2sfn.config.yaml'), 'rules:\n  deep-chain: [error\n');
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lambda2sfn\.config\.yaml:\d+: the configuration is not valid YAML/);
  });
});

describe('check: output', () => {
  const FIXTURE = 'fixtures/check/hand-written-retry';

  it('--format github writes one workflow command per new finding', async () => {
    const result = await check(FIXTURE, '--format', 'github');
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error file=fixtures\/check\/hand-written-retry\/src\/handlers\/book-courier\.ts,line=14,title=lambda2sfn hand-written-retry::bookCourier retries /);
  });

  it('on GitHub Actions the text report is followed by annotations; JSON on standard output is left alone', async () => {
    const text = await runCliAsync(['check', FIXTURE, '--no-cache'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(text.stdout).toMatch(/Failed: new findings at or above error\.\n::error file=/);
    const json = await runCliAsync(['check', FIXTURE, '--no-cache', '--format', 'json'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('-o writes the report atomically and refuses to replace a file without --force', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'l2s-check-out-'));
    const out = path.join(dir, 'lambda2sfn.sarif');
    const first = await check(FIXTURE, '--format', 'sarif', '-o', out);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    expect(getSarifSchemaErrors(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    const again = await check(FIXTURE, '--format', 'sarif', '-o', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await check(FIXTURE, '--format', 'sarif', '-o', out, '--force')).code).toBe(1);
  });

  it('the text report lists new findings by file, with their rule', async () => {
    const result = await check(FIXTURE);
    expect(result.stdout).toContain(`${FIXTURE}/src/handlers/notify-customer.js\n  7        error   notifyCustomer retries its publish to ShippingTopic with a function that calls itself again (4 attempts)`);
    expect(result.stdout).toMatch(/hand-written-retry\n\n3 new findings \(3 errors\)\.\nFailed/);
  });

  it('input problems are listed but do not fail the run; nothing is written to the analysed folder', async () => {
    const dir = copyFixture('asl-lint');
    const result = await check(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 input problem: findings in what could not be read are missing\.\n {2}statemachines\/broken\.asl\.json:5 {2}Cannot parse/);
    expect(existsSync(path.join(dir, 'lambda2sfn.baseline.json'))).toBe(false);
  });
});
