import type { Generator } from '../src/types/generator.js';
import { asl } from './asl.js';

/**
 * The one list of generators, in the order `migrate` runs them. A new output format is one file in generators/ and
 * one line here; `migrate` and `generate` look generators up by id (the report, IaC and handler generators join here).
 */
export const GENERATORS: readonly Generator[] = [asl];

export function getGenerator(id: string): Generator | undefined {
  return GENERATORS.find((generator) => generator.id === id);
}
