import { InvalidArgumentError } from 'commander';
import type { FaultSpec } from './types.js';

/** The error name of an injected failure when `--fail` names none. */
export const DEFAULT_FAULT_ERROR = 'SimulatedFailure';

/**
 * Parses `--fail FUNCTION[:N|always][:ERROR]`: `validatePayment` (always, SimulatedFailure), `validatePayment:1`,
 * `validatePayment:1:TransientError`, `validatePayment:PaymentDeclinedError` (always, that error).
 */
export function parseFaultSpec(value: string): FaultSpec {
  const [fn, ...rest] = value.split(':');
  if (!fn || rest.length > 2) throw new InvalidArgumentError('expected FUNCTION[:N][:ERROR], e.g. validatePayment:1:TransientError');
  let times: number | undefined;
  let error = DEFAULT_FAULT_ERROR;
  const [first, second] = rest;
  if (first !== undefined && /^\d+$/.test(first)) {
    times = Number(first);
    if (times <= 0) throw new InvalidArgumentError('N must be a positive whole number (leave it out to fail every time)');
  } else if (first !== undefined && first !== 'always') {
    if (second !== undefined) throw new InvalidArgumentError('expected FUNCTION[:N][:ERROR], e.g. validatePayment:1:TransientError');
    error = first;
  }
  if (second !== undefined) error = second;
  if (!/^[A-Za-z_$][\w$.]*$/.test(error)) throw new InvalidArgumentError(`"${error}" is not an error name`);
  return { function: fn, ...(times !== undefined ? { times } : {}), error };
}

/** `validatePayment fails once (TransientError)`, for scenario names. */
export function describeFault(fault: FaultSpec): string {
  const count = fault.times === undefined ? 'always fails' : fault.times === 1 ? 'fails once' : `fails ${fault.times} times`;
  return `${fault.function} ${count} (${fault.error})`;
}

/** An error as the function would have thrown it: its `name` is what Lambda reports as `errorType`. */
export function createFaultError(fault: FaultSpec): Error {
  const error = new Error(`lambda2sfn simulate: injected failure of ${fault.function}`);
  error.name = fault.error;
  return error;
}

/** Counts each function's invocations in one world and says when one must fail. */
export class FaultInjector {
  private readonly counts = new Map<string, number>();

  constructor(private readonly faults: readonly FaultSpec[]) {}

  /** Called once per invocation of `fn`: the error to throw instead of running the handler, if any. */
  next(fn: string): Error | undefined {
    const fault = this.faults.find((candidate) => candidate.function === fn);
    if (!fault) return undefined;
    const count = (this.counts.get(fn) ?? 0) + 1;
    this.counts.set(fn, count);
    return fault.times === undefined || count <= fault.times ? createFaultError(fault) : undefined;
  }
}
