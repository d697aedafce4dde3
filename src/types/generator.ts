import type { DeploySettings } from './deploy.js';
import type { Graph } from './graph.js';
import type { Plan } from './plan.js';
import type { ReportInput } from './report.js';

/** A file a generator writes, relative to the output folder (POSIX separators). `src/write-output.ts` alone touches the disk. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

export interface GeneratorOptions {
  /** The analysed folder (absolute), for generators that read the original sources (refactored handlers). */
  root?: string;
  /** The folder of the plan file: with the plan's `sourceRoot`, the analysed folder when `root` is not given. */
  planDir?: string;
  /** Also write a unified diff of each refactored handler against its original (`--diff`). */
  diff?: boolean;
  /** The Graph the plan was built from, when the command has it (the report's before diagrams). */
  graph?: Graph;
  /** For the report: what the other stages produced (validation, lint, simulation, handlers), cost assumptions, and the link from the output folder to the sources. */
  report?: Omit<Partial<ReportInput>, 'graph' | 'plan'>;
  /** How the deployables are written (format, logging, tracing, triggers); the IaC and IAM generators need it. */
  deploy?: DeploySettings;
}

/** One output format: a pure function of the plan (generators/index.ts lists them all). */
export interface Generator {
  /** Also the name used on the command line (`--only asl`). */
  id: string;
  description: string;
  /** `output` (default): runs first. `review`: runs after the outputs were checked (the report). */
  stage?: 'output' | 'review';
  generate(plan: Plan, options: GeneratorOptions): GeneratedFile[] | Promise<GeneratedFile[]>;
}
