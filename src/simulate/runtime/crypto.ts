// Stands for `node:crypto` (and `crypto`) in handler bundles: the real module, with randomUUID and randomBytes
// seeded per function (registry.ts) so that ids are the same in both worlds.
import * as realCrypto from 'node:crypto';
import type { SimulationGlobal } from './registry.js';

declare const LAMBDA2SFN_SIMULATED_FUNCTION: string;

const runtime = (globalThis as unknown as Record<symbol, SimulationGlobal>)[Symbol.for('lambda2sfn.simulate')]!.runtimeFor(LAMBDA2SFN_SIMULATED_FUNCTION);

export * from 'node:crypto';
export const randomUUID = runtime.randomUUID;
export const randomBytes = runtime.randomBytes;
export default { ...realCrypto, randomUUID, randomBytes };
