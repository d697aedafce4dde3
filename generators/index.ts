import { handlers } from './handlers.js';
import type { Generator } from './types.js';

export type { GeneratedFile, Generator, GeneratorOptions } from './types.js';

/** Every generator, in the order their files are listed. */
export const generators: Generator[] = [handlers];
