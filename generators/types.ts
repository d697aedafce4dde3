// The generator contract lives in src/types/generator.ts; this re-export keeps imports inside generators/ short.
export type { GeneratedFile, Generator, GeneratorOptions } from '../src/types/generator.js';
