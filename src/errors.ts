/** Exit codes, documented in the README. */
export const EXIT = {
  /** Done; nothing needs attention. */
  ok: 0,
  /** Done, with findings: input that could not be fully analysed (analyze), new findings (check), differences (simulate). */
  findings: 1,
  /** The command line is wrong: an unknown option, a missing folder. */
  usage: 2,
  /** Something failed that should not have: a bug, or an output we could not write. */
  failure: 3,
} as const;

/** A mistake in how the command was called. Printed as message + hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A problem with what the user gave us that stops the command (an unreadable plan file). Exit code 2. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** Something we could not do (write the output). Exit code 3. */
export class OutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputError';
  }
}
