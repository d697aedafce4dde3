import { describe, expect, it } from 'vitest';
import { parseIgnoreComments } from '../../src/check/ignore-comments.js';

/** Where an ignore comment points, and what it says, for each way people write one. */
describe('parseIgnoreComments', () => {
  const cases: { name: string; text: string; expected: { line: number; target: number; rules: string[]; reason: string }[] }[] = [
    { name: 'after the code, // comment', text: 'a();\nawait call(); // lambda2sfn-ignore sync-lambda-invoke -- needed now\n', expected: [{ line: 2, target: 2, rules: ['sync-lambda-invoke'], reason: 'needed now' }] },
    { name: 'on its own line: the next line', text: '// lambda2sfn-ignore hand-written-retry -- legacy\nfor (;;) {}\n', expected: [{ line: 1, target: 2, rules: ['hand-written-retry'], reason: 'legacy' }] },
    { name: 'other comment lines between it and the code are skipped', text: '  // lambda2sfn-ignore fan-out-invoke -- few items\n  // (at most ten)\n  /* more */\n  await Promise.all(x);\n', expected: [{ line: 1, target: 4, rules: ['fan-out-invoke'], reason: 'few items' }] },
    { name: 'several rules, comma or space separated', text: '// lambda2sfn-ignore sync-lambda-invoke, hand-written-retry deep-chain -- all three\ncall();\n', expected: [{ line: 1, target: 2, rules: ['sync-lambda-invoke', 'hand-written-retry', 'deep-chain'], reason: 'all three' }] },
    { name: 'no reason', text: 'call(); // lambda2sfn-ignore sync-lambda-invoke\n', expected: [{ line: 1, target: 1, rules: ['sync-lambda-invoke'], reason: '' }] },
    { name: 'an empty reason', text: '/* lambda2sfn-ignore sync-lambda-invoke -- */\ncall();\n', expected: [{ line: 1, target: 2, rules: ['sync-lambda-invoke'], reason: '' }] },
    { name: 'a block comment keeps what follows it out of the reason', text: 'call(); /* lambda2sfn-ignore sync-lambda-invoke -- ok */ other();\n', expected: [{ line: 1, target: 1, rules: ['sync-lambda-invoke'], reason: 'ok' }] },
    { name: 'YAML and Terraform # comments', text: 'Resources:\n  # lambda2sfn-ignore queue-without-dlq -- drained by hand\n  Queue:\n', expected: [{ line: 2, target: 3, rules: ['queue-without-dlq'], reason: 'drained by hand' }] },
    { name: 'CRLF line endings', text: '// lambda2sfn-ignore deep-chain -- ok\r\ncall();\r\n', expected: [{ line: 1, target: 2, rules: ['deep-chain'], reason: 'ok' }] },
    { name: 'a longer word is not the marker', text: '// lambda2sfn-ignored sync-lambda-invoke -- no\ncall();\n', expected: [] },
    { name: 'no rule named', text: '// lambda2sfn-ignore -- legacy\ncall();\n', expected: [{ line: 1, target: 2, rules: [], reason: 'legacy' }] },
  ];
  it.each(cases)('$name', ({ text, expected }) => {
    expect(parseIgnoreComments('src/a.ts', text).map(({ line, target, rules, reason }) => ({ line, target, rules, reason }))).toEqual(expected);
  });
});
