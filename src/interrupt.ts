import { removeTemporaryFiles } from './write-output.js';

/** Exit codes of a run stopped by a signal, as shells report them: 128 + the signal number. */
export const INTERRUPT_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C (SIGINT) or SIGTERM stops the run cleanly: the temporary files of writes in progress are removed, nothing
 * half-written is left (every output is written to a temporary file and renamed), and the exit code is 130 (143).
 * Outputs are only written at the end of a run, so a run stopped earlier leaves no output at all.
 */
export function installInterruptHandlers(stderr: NodeJS.WritableStream = process.stderr): void {
  for (const signal of Object.keys(INTERRUPT_EXIT) as (keyof typeof INTERRUPT_EXIT)[]) {
    process.once(signal, () => {
      removeTemporaryFiles();
      stderr.write(`\nlambda2sfn: interrupted (${signal})\n`);
      process.exit(INTERRUPT_EXIT[signal]);
    });
  }
}
