#!/usr/bin/env node
// Thin entry point: the CLI lives in src/cli.ts, compiled to dist/ by `npm run build` (run by `npm ci` via `prepare`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('lambda2sfn: not built yet; run `npm run build` (npm ci does it) in the lambda2sfn folder\n');
  process.exit(3);
}
const { run, installInterruptHandlers } = await import(cli.href);
installInterruptHandlers();
process.exitCode = await run(process.argv.slice(2));
