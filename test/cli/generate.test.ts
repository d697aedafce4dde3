import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/run-cli.js';

/** `lambda2sfn generate` as a user runs it: the built binary, a plan file, an output folder. */

const PLAN = path.join(REPO, 'fixtures/generators/sam/orders/plan.yaml');
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

// Each case runs the built CLI (an analysis of the example) up to three times: generous timeouts for a loaded machine.
describe('lambda2sfn generate', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-generate-'));

  it('writes the ASL, the deployable of the chosen format, the IAM policies and DEPLOY.md', () => {
    const out = path.join(dir, 'terraform-out');
    const result = runCli(['generate', '--plan', PLAN, '--out', out, '--iac', 'terraform', '--no-progress']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wrote \d+ files/);
    for (const file of ['statemachines/place-order.asl.json', 'terraform/stepfunctions.tf', 'DEPLOY.md', 'place-order.iam-policy.json', 'expire-reservations.iam-policy.json']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    // The other formats are not written.
    expect(existsSync(path.join(out, 'sam'))).toBe(false);
    // The triggers found in the analysed app (POST /orders on the HTTP API, the 15-minute schedule) are re-pointed.
    const terraform = readFileSync(path.join(out, 'terraform/stepfunctions.tf'), 'utf8');
    expect(terraform).toContain('route_key = "POST /orders"');
    expect(terraform).toContain('schedule_expression = "rate(15 minutes)"');
  });

  it('honours logging and tracing flags', () => {
    const out = path.join(dir, 'cfn-flags');
    const result = runCli(['generate', '--plan', PLAN, '--out', out, '--iac', 'cloudformation', '--log-level', 'OFF', '--tracing', '--no-progress']);
    expect(result.code, result.stderr).toBe(0);
    const template = readFileSync(path.join(out, 'cloudformation/statemachines.yaml'), 'utf8');
    expect(template).not.toContain('LoggingConfiguration');
    expect(template).toContain('TracingConfiguration');
    expect(template).toContain('xray:PutTraceSegments');
  });

  it('does not overwrite without --force, and leaves the existing files alone', () => {
    const out = path.join(dir, 'existing');
    expect(runCli(['generate', '--plan', PLAN, '--out', out, '--iac', 'sam', '--no-progress']).code).toBe(0);
    const deploy = path.join(out, 'DEPLOY.md');
    writeFileSync(deploy, 'edited');
    const again = runCli(['generate', '--plan', PLAN, '--out', out, '--iac', 'sam', '--no-progress']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exist/);
    expect(readFileSync(deploy, 'utf8')).toBe('edited');
    expect(runCli(['generate', '--plan', PLAN, '--out', out, '--iac', 'sam', '--force', '--no-progress']).code).toBe(0);
    expect(readFileSync(deploy, 'utf8')).toContain('# Deploying the workflows with AWS SAM');
  });

  it('detects the repository\'s format (Serverless for the bundled example)', () => {
    const out = path.join(dir, 'detected');
    const result = runCli(['generate', '--plan', PLAN, '--out', out, '--no-progress']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\(serverless, detected\)/);
    expect(readFileSync(path.join(out, 'serverless/stepfunctions.yml'), 'utf8')).toContain('- ValidatePaymentLambdaFunction');
  });

  it('asks for --iac when the analysed folder is gone, and lists triggers as not re-pointed', () => {
    const moved = path.join(dir, 'moved');
    cpSync(path.dirname(PLAN), moved, { recursive: true });
    const planFile = path.join(moved, 'plan.yaml');
    const refused = runCli(['generate', '--plan', planFile, '--out', path.join(dir, 'moved-out'), '--no-progress']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--iac sam\|cloudformation\|serverless\|cdk\|terraform/);
    const written = runCli(['generate', '--plan', planFile, '--out', path.join(dir, 'moved-out'), '--iac', 'cdk', '--no-progress']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toMatch(/not there: triggers are not re-pointed/);
  });

  it('refuses a broken plan with the file and a hint, no stack trace', () => {
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'schemaVersion: 1\nworkflows: [\n');
    const result = runCli(['generate', '--plan', broken, '--out', path.join(dir, 'broken-out'), '--iac', 'sam']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.yaml');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('refuses an unknown format', () => {
    const result = runCli(['generate', '--plan', PLAN, '--out', path.join(dir, 'x'), '--iac', 'pulumi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'pulumi' is invalid/);
  });
});
