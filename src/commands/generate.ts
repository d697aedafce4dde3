import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Streams } from '../cli.js';
import { buildDeploySettings } from '../deploy-context.js';
import { EXIT, UsageError } from '../errors.js';
import { generateForDeployment } from '../generate.js';
import { analyze } from '../pipeline.js';
import { readPlanFile } from '../plan-file.js';
import { createProgress } from '../progress.js';
import { IAC_TARGETS, type IacTarget, type LogLevel } from '../types/deploy.js';
import type { GeneratedFile } from '../types/generator.js';
import { writeFileAtomic } from '../write-output.js';

export interface GenerateCommandOptions {
  plan: string;
  out: string;
  iac?: IacTarget;
  logLevel?: LogLevel;
  tracing?: boolean;
  includeExecutionData?: boolean;
  force: boolean;
  progress: boolean;
}

/**
 * Writes files into a folder: every target is checked first, so an existing file without `force` stops the run
 * before anything is written; each file is then written atomically.
 */
export function writeOutputFiles(outDir: string, files: readonly GeneratedFile[], force: boolean): string[] {
  const root = path.resolve(outDir);
  const targets = files.map((file) => {
    const target = path.resolve(root, ...file.path.split('/'));
    if (path.relative(root, target).startsWith('..')) throw new UsageError(`refusing to write ${file.path} outside ${outDir}`);
    return { target, contents: file.contents };
  });
  if (!force) {
    const existing = targets.filter(({ target }) => existsSync(target));
    if (existing.length > 0) {
      throw new UsageError(`${existing.length} output file(s) already exist, e.g. ${path.relative(process.cwd(), existing[0]!.target)}`, 'pass --force to replace them, or choose another --out folder');
    }
  }
  for (const { target, contents } of targets) writeFileAtomic(target, contents, { force });
  return targets.map(({ target }) => target);
}

/** The analysed folder the plan points at, when it is still there. */
function getSourceRoot(planFile: string, sourceRoot: string): string | undefined {
  const root = path.resolve(path.dirname(path.resolve(planFile)), sourceRoot);
  return existsSync(root) && statSync(root).isDirectory() ? root : undefined;
}

/** `lambda2sfn generate --plan FILE --out DIR`: the ASL, the deployable for the repository's IaC, the IAM policy, DEPLOY.md. */
export async function runGenerate(options: GenerateCommandOptions, streams: Streams): Promise<number> {
  const plan = readPlanFile(options.plan);
  const root = getSourceRoot(options.plan, plan.sourceRoot);
  let analysis;
  if (root) {
    const progress = createProgress(streams.stderr, options.progress);
    const { graph } = await analyze(root, { onProgress: progress.update });
    progress.done();
    analysis = { graph, root };
  } else {
    streams.stderr.write(`lambda2sfn: the analysed folder ${plan.sourceRoot} (relative to the plan) is not there: triggers are not re-pointed\n`);
  }
  const settings = buildDeploySettings(plan, options, analysis);
  if (!settings.iac) {
    throw new UsageError('cannot tell which infrastructure format the repository uses', `pass --iac ${IAC_TARGETS.join('|')}`);
  }
  const files = await generateForDeployment(plan, { ...settings, iac: settings.iac }, { ...(root ? { root } : {}), ...(analysis ? { graph: analysis.graph } : {}) });
  const written = writeOutputFiles(options.out, files, options.force);
  streams.stderr.write(`lambda2sfn: wrote ${written.length} files to ${options.out} (${settings.iac}${options.iac ? '' : ', detected'}); see ${path.join(options.out, 'DEPLOY.md')}\n`);
  return EXIT.ok;
}
