import type { Plan } from '../src/types/plan.js';

/** One file a generator writes, relative to the output folder (POSIX separators). */
export interface GeneratedFile {
  path: string;
  contents: string;
}

export interface GeneratorOptions {
  /** The folder of the plan file: the plan's `sourceRoot` is relative to it. */
  planDir: string;
  /** Also write a unified diff of each refactored file against its original (`--diff`). */
  diff?: boolean;
}

/** An output of `lambda2sfn generate`/`migrate`: reads the plan (and, for handlers, the original sources), never writes. */
export interface Generator {
  /** Equals the file name under `generators/` and the fixture folder `fixtures/generators/<id>/`. */
  id: string;
  description: string;
  generate(plan: Plan, options: GeneratorOptions): GeneratedFile[];
}
