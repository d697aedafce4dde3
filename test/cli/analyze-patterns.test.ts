import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `analyze --format text` as a user reads it: each annotation on its own line under the edge, with numbers and lines. */
describe('lambda2sfn analyze: pattern annotations as text', () => {
  it('shows retries of a library in both argument orders, and results handed to .then callbacks', () => {
    const { code, stdout } = runCli(['analyze', 'fixtures/analyzers/retry-library/promise-retry-then', '--no-cache']);
    expect(code).toBe(0);
    expect(stdout).toContain('retry    library promise-retry at line 11: 4 attempts, delays 250, 500, 800 ms (backoff ×2, max 800 ms), then throws');
    expect(stdout).toContain('retry    library promise-retry at line 22: 2 attempts, first delay 2000 ms (backoff ×2), partial jitter, then throws');
    expect(stdout).toContain('result   used: returned through line 11, handed to a callback as res at line 11, read at line 24 (StatusCode)');
  });

  it('shows Promise.any and Promise.race fan-outs and the SDK client retries', () => {
    const fanOut = runCli(['analyze', 'fixtures/analyzers/fan-out/any-and-race', '--no-cache']).stdout;
    expect(fanOut).toContain('fan-out  map over request.carriers (carrier: code), with Promise.any at line 24, no concurrency limit, failures tolerated');
    expect(fanOut).toContain('fan-out  parallel branch 2 of 2, with Promise.race at line 18, no concurrency limit');
    const sdk = runCli(['analyze', 'fixtures/analyzers/sdk-client-retry/v3-max-attempts-commonjs', '--no-cache']).stdout;
    expect(sdk).toContain('SDK client @aws-sdk/client-sqs at src/clients.js:6: 5 attempts, delays 100, 200, 400, 800 ms (backoff ×2, max 20000 ms), full jitter');
    expect(sdk).toContain('result   not used: handed to a callback that takes no parameter at line 8');
  });

  it('shows the branch and the structured test of ternaries', () => {
    const { stdout } = runCli(['analyze', 'fixtures/analyzers/condition/ternary-esm', '--no-cache']);
    expect(stdout).toContain('condition  else of ternary `order.weightKg <= EXPRESS_WEIGHT_LIMIT_KG` at line 10 (event): $.detail.weightKg <= 20');
    expect(stdout).toContain('condition  then of ternary `trackingId` at line 14 (result of line 11): trackingId truthy');
  });
});
