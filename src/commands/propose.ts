import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Streams } from '../cli.js';
import { EXIT } from '../errors.js';
import { PLAN_FILE_NAME, renderPlanYaml } from '../plan-file.js';
import type { Plan } from '../types/plan.js';
import { writeFileAtomic } from '../write-output.js';
import { buildPlanSession, renderPlanSummary, type PlanOptions } from './plan-session.js';

export interface ProposeCommandOptions extends PlanOptions {
  output?: string;
  force: boolean;
}

/**
 * `lambda2sfn propose [dir]`: the ranked chains, the chosen ones built into workflows, the plan written to
 * `lambda2sfn.plan.yaml` (or `-o`). With `--plan FILE` the plan is replayed and written back to the same file,
 * which is left alone when nothing changed.
 */
export async function runPropose(dir: string | undefined, options: ProposeCommandOptions, streams: Streams): Promise<number> {
  const target = path.resolve(options.output ?? options.plan ?? PLAN_FILE_NAME);
  const { plan } = await buildPlanSession(dir, options, path.dirname(target), streams);
  const contents = renderPlanYaml(plan);
  streams.stdout.write(renderPlanSummary(plan));
  const unchanged = existsSync(target) && readFileSync(target, 'utf8') === contents;
  if (unchanged) {
    streams.stderr.write(`lambda2sfn: ${path.relative(process.cwd(), target) || target} is up to date\n`);
  } else {
    // Replaying a plan may update it in place: the plan given is the file the user asked to work on.
    writeFileAtomic(target, contents, { force: options.force || (options.plan !== undefined && options.output === undefined) });
    streams.stderr.write(`lambda2sfn: wrote ${path.relative(process.cwd(), target) || target}\n`);
  }
  return getPlanExitCode(plan);
}

/** 1 when a workflow has error findings (a cycle inside it, an Express workflow that cannot do what it must), else 0. */
export function getPlanExitCode(plan: Plan): number {
  return plan.workflows.some((workflow) => workflow.findings.some((finding) => finding.severity === 'error')) ? EXIT.findings : EXIT.ok;
}
