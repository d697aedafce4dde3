import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What one whole-process run cost, as the process itself saw it at exit (plus the wall time seen from outside). */
export interface Measurement {
  /** From spawn to exit, including Node's start-up. */
  wallMs: number;
  /** User + system CPU time of all the process's threads. */
  cpuMs: number;
  /** Peak resident memory of the process. */
  maxRssBytes: number;
}

export interface RunOptions {
  /** rusage-hook.mjs, preloaded into the process. */
  hook: string;
  nodeArgs?: string[];
  /** Where the process's standard output goes (the analysis' JSON, for the graph check); discarded when absent. */
  stdoutFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Runs `node [nodeArgs] script [args]` with the resource-usage hook preloaded and returns its cost. Throws with the
 * process's standard error when it fails, so a broken run never shows up as a fast one.
 */
export async function measureNode(script: string, args: string[], options: RunOptions): Promise<Measurement> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-rusage-'));
  const usageFile = path.join(scratch, 'usage.json');
  const out = options.stdoutFile ? openSync(options.stdoutFile, 'w') : 'ignore';
  try {
    const started = performance.now();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(options.hook).href, ...(options.nodeArgs ?? []), script, ...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, BENCH_RUSAGE_FILE: usageFile },
        stdio: ['ignore', out, 'pipe'],
      });
      let errors = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        if (errors.length < 20_000) errors += chunk;
      });
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stderr: errors }));
    });
    const wallMs = performance.now() - started;
    // Exit code 1 is lambda2sfn's "done with findings": still a complete run; the graph check judges the result.
    if (code !== 0 && code !== 1) throw new Error(`${path.basename(script)} ${args.join(' ')} exited with ${code}:\n${stderr.slice(0, 4000)}`);
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; userUs: number; systemUs: number };
    return { wallMs, cpuMs: (usage.userUs + usage.systemUs) / 1000, maxRssBytes: usage.maxRssKiB * 1024 };
  } finally {
    if (typeof out === 'number') closeSync(out);
    rmSync(scratch, { recursive: true, force: true });
  }
}
