import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Streams } from '../cli.js';
import { buildDeploySettings } from '../deploy-context.js';
import { EXIT, UsageError } from '../errors.js';
import { generateForDeployment } from '../generate.js';
import { readPlanFile } from '../plan-file.js';
import { IAC_TARGETS, type IacTarget, type LogLevel } from '../types/deploy.js';
import type { GeneratedFile } from '../types/generator.js';
import { validateAsl } from '../validate/validate-asl.js';
import { writeOutputFiles } from '../write-output.js';
import { analyzeFolder, type AnalysisCommandOptions } from './analyze.js';

/** The analysis options apply to the plan's sourceRoot, analysed again to re-point the triggers. */
export interface GenerateCommandOptions extends AnalysisCommandOptions {
  plan: string;
  out: string;
  iac?: IacTarget;
  logLevel?: LogLevel;
  tracing?: boolean;
  includeExecutionData?: boolean;
  /** Also write the handlers' diff against the originals, and list every file written on standard output. */
  diff?: boolean;
  force: boolean;
}

/** Every ASL written must validate; one that does not is a bug in a generator, reported before anything is written. */
async function checkDefinitions(files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files.filter((candidate) => candidate.path.endsWith('.asl.json'))) {
    const validation = await validateAsl(JSON.parse(file.contents));
    if (!validation.valid) throw new Error(`the generated ${file.path} is not valid ASL:\n  ${validation.errors.join('\n  ')}`);
  }
}

/** The analysed folder the plan points at, when it is still there. */
function getSourceRoot(planFile: string, sourceRoot: string): string | undefined {
  const root = path.resolve(path.dirname(path.resolve(planFile)), sourceRoot);
  return existsSync(root) && statSync(root).isDirectory() ? root : undefined;
}

/** `lambda2sfn generate --plan FILE --out DIR`: the ASL, the deployable for the repository's IaC, the IAM policy, DEPLOY.md. */
export async function runGenerate(options: GenerateCommandOptions, streams: Streams): Promise<number> {
  // Refused before the analysis, which may take a while: an output "folder" that is a file.
  if (existsSync(options.out) && !statSync(options.out).isDirectory()) throw new UsageError(`${options.out} exists and is not a folder`, 'choose another output folder');
  const plan = readPlanFile(options.plan);
  const root = getSourceRoot(options.plan, plan.sourceRoot);
  let analysis;
  if (root) {
    const { graph } = await analyzeFolder(root, options, streams);
    analysis = { graph, root };
  } else {
    streams.stderr.write(`lambda2sfn: the analysed folder ${plan.sourceRoot} (relative to the plan) is not there: triggers are not re-pointed\n`);
  }
  const settings = buildDeploySettings(plan, options, analysis);
  if (!settings.iac) {
    throw new UsageError('cannot tell which infrastructure format the repository uses', `pass --iac ${IAC_TARGETS.join('|')}`);
  }
  const files = await generateForDeployment(plan, { ...settings, iac: settings.iac }, {
    planDir: path.dirname(path.resolve(options.plan)),
    ...(root ? { root } : {}),
    ...(analysis ? { graph: analysis.graph } : {}),
    ...(options.diff ? { diff: true } : {}),
  });
  await checkDefinitions(files);
  // write-output.ts checks every path, refuses links and existing files (without --force) before writing anything.
  const written = writeOutputFiles(options.out, files, { force: options.force });
  if (options.diff) for (const file of files) streams.stdout.write(`${path.join(options.out, ...file.path.split('/'))}\n`);
  streams.stderr.write(`lambda2sfn: wrote ${written.length} files to ${options.out} (${settings.iac}${options.iac ? '' : ', detected'}); see ${path.join(options.out, 'DEPLOY.md')}\n`);
  return EXIT.ok;
}
