#!/usr/bin/env node
// `npm run test:property -- --runs 5000 --seed 42`: the round-trip property test (test/property) with more runs or
// another seed than `npm test` uses. `--no-shrink` reports the first failure as drawn instead of shrinking it.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    'no-shrink': { type: 'boolean', default: false },
  },
});
for (const name of ['runs', 'seed']) {
  if (!/^\d+$/.test(values[name])) {
    process.stderr.write(`property-test: --${name} must be a whole number\n`);
    process.exit(2);
  }
}
process.stdout.write(`property test: ${values.runs} runs, seed ${values.seed}\n`);
const result = spawnSync('npx', ['vitest', 'run', 'test/property'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PROPERTY_RUNS: values.runs,
    PROPERTY_SEED: values.seed,
    ...(values['no-shrink'] ? { PROPERTY_SHRINK: '0' } : {}),
  },
});
process.exit(result.status ?? 1);
