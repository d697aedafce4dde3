/**
 * The one table of AWS prices the cost comparison uses (US East (N. Virginia), on-demand, first pricing tier, free
 * tiers left out). Read from the AWS pricing pages on the date below; the report prints the table and its date
 * next to every figure, and each price can be overridden on the command line (`--price name=value`). Update the
 * date with the figures, and the hand-computed tests in `test/cost.test.ts` with them.
 */
export const PRICES_DATE = '2026-11-01';

export const PRICES = {
  /** Lambda: per request. $0.20 per million. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on x86_64: per GB-second of billed duration (1 ms steps). */
  lambdaGbSecondX86: 0.0000166667,
  /** Lambda on arm64: per GB-second of billed duration (1 ms steps). */
  lambdaGbSecondArm: 0.0000133334,
  /** Step Functions Standard: per state transition; every retry is one more transition. $25 per million. */
  standardTransition: 25 / 1_000_000,
  /** Step Functions Express: per workflow request. $1.00 per million. */
  expressRequest: 1 / 1_000_000,
  /** Step Functions Express: per GB-second of duration, billed in 64 MB and 100 ms steps. */
  expressGbSecond: 0.00001667,
} as const;

export type PriceName = keyof typeof PRICES;
export type PriceTable = Record<PriceName, number>;

/** What each price is for and its unit, as the report prints them. */
export const PRICE_DESCRIPTIONS: Record<PriceName, { label: string; unit: string; perMillion?: boolean }> = {
  lambdaRequest: { label: 'Lambda requests', unit: 'per million requests', perMillion: true },
  lambdaGbSecondX86: { label: 'Lambda duration, x86_64', unit: 'per GB-second' },
  lambdaGbSecondArm: { label: 'Lambda duration, arm64', unit: 'per GB-second' },
  standardTransition: { label: 'Step Functions Standard state transitions', unit: 'per million transitions', perMillion: true },
  expressRequest: { label: 'Step Functions Express requests', unit: 'per million requests', perMillion: true },
  expressGbSecond: { label: 'Step Functions Express duration', unit: 'per GB-second (64 MB, 100 ms steps)' },
};

/** Express bills memory in steps of this many MB and duration in steps of this many ms. */
export const EXPRESS_MEMORY_STEP_MB = 64;
export const EXPRESS_DURATION_STEP_MS = 100;

export function isPriceName(name: string): name is PriceName {
  return Object.hasOwn(PRICES, name);
}
