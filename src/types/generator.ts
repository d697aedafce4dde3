import type { Graph } from './graph.js';
import type { LintFinding } from './lint.js';
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
  /** For `review` generators: the checks of what the `output` generators wrote (validation, lint). */
  checks?: OutputCheck[];
}

/** The checks of one generated file. */
export interface OutputCheck {
  /** The file, relative to the output folder. */
  path: string;
  /** Problems that make the file wrong (ASL validation): a bug in a generator. */
  errors: string[];
  /** Best-practice findings (`lambda2sfn lint` rules). */
  lint: LintFinding[];
}

/** One output format: a pure function of the plan (generators/index.ts lists them all). */
export interface Generator {
  /** Also the name used on the command line (`--only asl`). */
  id: string;
  description: string;
  /** `output` (default): runs first. `review`: runs after the outputs were checked and sees `options.checks` (the report). */
  stage?: 'output' | 'review';
  generate(plan: Plan, options: GeneratorOptions): GeneratedFile[] | Promise<GeneratedFile[]>;
}
