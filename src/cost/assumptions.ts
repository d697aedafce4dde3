import type { GraphNode } from '../types/graph.js';
import { PRICES, type PriceTable } from './prices.js';

/**
 * What the cost comparison assumes. Every figure of the report follows from these and the price table; the user
 * overrides them on the command line (`docs/report.md`, "Cost model").
 */
export interface CostAssumptions {
  /** Executions of each chain per month (`--invocations-per-month`). */
  invocationsPerMonth: number;
  /** Time each function spends in its own code per invocation, in ms, by Graph node id (`--duration fn=ms`). */
  durationsMs: Record<string, number>;
  /** Own time for functions not in `durationsMs` (`--default-duration`); absent: the function's configured timeout. */
  defaultDurationMs?: number;
  /** Items each fan-out over an array processes (`--items-per-map`). */
  itemsPerMap: number;
  /** Share of attempts that fail once and are retried (`--retry-rate`, 0 to 1): each retry is one more invocation, one more transition. */
  retryRate: number;
  /** Lambda architecture, for the duration price (`--arch`). */
  architecture: 'x86_64' | 'arm64';
  /** Memory an Express execution is billed for (`--express-memory`); 64 MB is the smallest step. */
  expressMemoryMb: number;
  /** Duration of a direct service integration step (SQS send, SNS publish...) in an Express workflow, in ms. */
  serviceStepMs: number;
  prices: PriceTable;
}

/** Lambda's own defaults, for functions whose IaC does not say. */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
export const LAMBDA_DEFAULT_MEMORY_MB = 128;

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  invocationsPerMonth: 1_000_000,
  durationsMs: {},
  itemsPerMap: 10,
  retryRate: 0,
  architecture: 'x86_64',
  expressMemoryMb: 64,
  serviceStepMs: 50,
  prices: { ...PRICES },
};

export function toAssumptions(overrides: Partial<CostAssumptions> = {}): CostAssumptions {
  return {
    ...DEFAULT_ASSUMPTIONS,
    ...overrides,
    durationsMs: { ...overrides.durationsMs },
    prices: { ...PRICES, ...overrides.prices },
  };
}

/** Where a function's figures come from, so the report can say it. */
export interface FunctionAssumption {
  id: string;
  memoryMb: number;
  memorySource: 'iac' | 'lambda-default';
  /** Own time per invocation, waits on other functions not included. */
  durationMs: number;
  durationSource: 'given' | 'default-duration' | 'timeout' | 'lambda-default-timeout';
}

export function getFunctionAssumption(id: string, node: GraphNode | undefined, assumptions: CostAssumptions): FunctionAssumption {
  const memory = node?.memorySize;
  const given = assumptions.durationsMs[id];
  const [durationMs, durationSource]: [number, FunctionAssumption['durationSource']] =
    given !== undefined
      ? [given, 'given']
      : assumptions.defaultDurationMs !== undefined
        ? [assumptions.defaultDurationMs, 'default-duration']
        : node?.timeout !== undefined
          ? [node.timeout * 1000, 'timeout']
          : [LAMBDA_DEFAULT_TIMEOUT_SECONDS * 1000, 'lambda-default-timeout'];
  return {
    id,
    memoryMb: memory ?? LAMBDA_DEFAULT_MEMORY_MB,
    memorySource: memory === undefined ? 'lambda-default' : 'iac',
    durationMs,
    durationSource,
  };
}

/** The Lambda price per GB-second for the assumed architecture. */
export function getLambdaGbSecondPrice(assumptions: CostAssumptions): number {
  return assumptions.architecture === 'arm64' ? assumptions.prices.lambdaGbSecondArm : assumptions.prices.lambdaGbSecondX86;
}
