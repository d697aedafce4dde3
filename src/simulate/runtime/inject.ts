// Injected into every handler bundle by esbuild (`inject`): free uses of these globals in the handler's code and its
// bundled dependencies refer to these exports instead, so each function gets its own environment, a frozen clock,
// seeded randomness, shortened timers and a console of its own (see registry.ts). `LAMBDA2SFN_SIMULATED_FUNCTION` is defined
// per bundle. Only handler code sees this; the AWS SDK and lambda2sfn itself keep the real globals.
import type { SimulationGlobal } from './registry.js';

declare const LAMBDA2SFN_SIMULATED_FUNCTION: string;

const runtime = (globalThis as unknown as Record<symbol, SimulationGlobal>)[Symbol.for('lambda2sfn.simulate')]!.runtimeFor(LAMBDA2SFN_SIMULATED_FUNCTION);

export const process = runtime.process;
export const Date = runtime.Date;
export const Math = runtime.Math;
export const setTimeout = runtime.setTimeout;
export const setInterval = runtime.setInterval;
export const console = runtime.console;
export const crypto = runtime.crypto;
