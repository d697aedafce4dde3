import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * CLI tests run the built binary as a user does: build once before the run. Type errors do not stop the emit
 * (`npm run typecheck` reports them); a build that emits nothing does stop the run.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.stderr.write(`warning: the build reported type errors:\n${result.stdout.slice(0, 2000)}\n`);
}
