import type { Graph } from './graph.js';
import type { Plan } from './plan.js';

/** A file a generator writes, relative to the output folder (POSIX separators). `src/write-output.ts` alone touches the disk. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

export interface GeneratorOptions {
  /** The analysed folder (absolute), for generators that read the original sources (refactored handlers). */
  root?: string;
  /** The Graph the plan was built from, when the command has it (the report's before diagrams). */
  graph?: Graph;
}

/** One output format: a pure function of the plan (generators/index.ts lists them all). */
export interface Generator {
  /** Also the name used on the command line (`--only asl`). */
  id: string;
  description: string;
  generate(plan: Plan, options: GeneratorOptions): GeneratedFile[] | Promise<GeneratedFile[]>;
}
