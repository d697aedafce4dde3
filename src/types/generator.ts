import type { Plan } from './plan.js';

/** A file a generator writes, relative to the output folder; `src/write-output.ts` alone puts it on disk. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

/** An output format: a pure function of the plan (and what its options carry) to files. */
export interface Generator<Options = Record<string, unknown>> {
  id: string;
  description: string;
  generate(plan: Plan, options: Options): GeneratedFile[] | Promise<GeneratedFile[]>;
}
