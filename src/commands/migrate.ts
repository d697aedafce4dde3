import path from 'node:path';
import { getAslPath } from '../../generators/asl.js';
import { GENERATORS, IAC_GENERATOR_IDS } from '../../generators/index.js';
import type { Streams } from '../cli.js';
import { buildDeploySettings, type DeployFlags } from '../deploy-context.js';
import { EXIT } from '../errors.js';
import { generateForDeployment, runGenerators } from '../generate.js';
import { lintDefinition } from '../lint/index.js';
import { PLAN_FILE_NAME, renderPlanYaml } from '../plan-file.js';
import { IAC_TARGETS } from '../types/deploy.js';
import type { GeneratedFile } from '../types/generator.js';
import type { Plan } from '../types/plan.js';
import type { HandlerOutcome, LintFinding, ValidationResult } from '../types/report.js';
import { ASL_CHECKS } from '../validate/validate-plan-outputs.js';
import { validateAsl } from '../validate/validate-asl.js';
import { writeOutputFiles } from '../write-output.js';
import { formatFinding } from './lint.js';
import { buildPlanSession, renderPlanSummary, type PlanOptions } from './plan-session.js';

export interface MigrateCommandOptions extends PlanOptions, DeployFlags {
  out: string;
  force: boolean;
  /** Also write a unified diff of each refactored handler against its original. */
  diff?: boolean;
}

/**
 * `lambda2sfn migrate [dir] --out DIR`: analyze → propose → generate → validate → report, in one go. The plan, then
 * every generator of generators/index.ts for the repository's IaC format (the ASL, the deployable with its role,
 * the refactored handlers), each definition validated and linted, and last the report, which shows those results.
 * Nothing is written unless everything was generated, nothing outside DIR, nothing over a file without --force.
 */
export async function runMigrate(dir: string | undefined, options: MigrateCommandOptions, streams: Streams): Promise<number> {
  const out = path.resolve(options.out);
  const { root, graph, plan } = await buildPlanSession(dir, options, out, streams);
  streams.stdout.write(renderPlanSummary(plan));
  const settings = buildDeploySettings(plan, options, { graph, root });
  const generatorOptions = { root, graph, ...(options.diff ? { diff: true } : {}) };
  let files: GeneratedFile[];
  if (settings.iac) {
    files = await generateForDeployment(plan, { ...settings, iac: settings.iac }, generatorOptions);
  } else {
    streams.stderr.write(`lambda2sfn: cannot tell which infrastructure format the repository uses: no deployable written (pass --iac ${IAC_TARGETS.join('|')})\n`);
    const deployables = new Set(Object.values(IAC_GENERATOR_IDS));
    files = await runGenerators(plan, GENERATORS.filter((generator) => !deployables.has(generator.id)), generatorOptions);
  }
  const { validation, lint } = await checkDefinitions(plan, files);
  const { report } = await import('../../generators/report/index.js');
  const reportFiles = await report.generate(plan, {
    ...generatorOptions,
    report: { validation, lint, handlers: await getHandlerOutcomes(plan, root), sourceLink: toPosix(path.relative(out, root)) || '.' },
  });
  const all = [{ path: PLAN_FILE_NAME, contents: renderPlanYaml(plan) }, ...files, ...reportFiles];
  writeOutputFiles(out, all, { force: options.force });
  streams.stderr.write(`lambda2sfn: wrote ${all.length} files to ${options.out}${settings.iac ? ` (${settings.iac})` : ''}; the report is ${path.join(options.out, 'report.md')}\n`);
  // Warnings here; `lambda2sfn lint` and the report show the informational findings too.
  for (const finding of lint.filter((item) => item.severity === 'warning')) streams.stdout.write(formatFinding(finding.file, finding));
  const invalid = validation.filter((result) => !result.valid);
  for (const result of invalid) for (const error of result.errors) streams.stderr.write(`lambda2sfn: ${result.file}: ${error}\n`);
  if (invalid.length > 0) {
    streams.stderr.write(`lambda2sfn: internal error: ${invalid.length} generated definition${invalid.length > 1 ? 's are' : ' is'} not valid ASL. This is a bug in lambda2sfn; please report it with the plan file.\n`);
    return EXIT.failure;
  }
  return plan.workflows.some((workflow) => workflow.findings.some((finding) => finding.severity === 'error')) ? EXIT.findings : EXIT.ok;
}

/** Every generated ASL definition validated (asl-validator, the language service, JSONata) and linted with the workflow's type. */
async function checkDefinitions(plan: Plan, files: readonly GeneratedFile[]): Promise<{ validation: ValidationResult[]; lint: LintFinding[] }> {
  const validation: ValidationResult[] = [];
  const lint: LintFinding[] = [];
  for (const file of files.filter((item) => item.path.endsWith('.asl.json'))) {
    const definition = JSON.parse(file.contents) as Record<string, unknown>;
    const { valid, errors } = await validateAsl(definition);
    validation.push({ file: file.path, check: ASL_CHECKS, valid, errors });
    const type = plan.workflows.find((workflow) => getAslPath(workflow) === file.path)?.type;
    lint.push(...lintDefinition(definition, { file: file.path, ...(type ? { type } : {}) }));
  }
  return { validation, lint };
}

/** What the handlers generator did with each function: refactored, or kept with the reason at its marker. */
async function getHandlerOutcomes(plan: Plan, root: string): Promise<HandlerOutcome[]> {
  const { getHandlerOutputPaths, refactorHandlers } = await import('../../generators/handlers.js');
  const result = refactorHandlers(plan, { root });
  const outputs = getHandlerOutputPaths(result);
  return result.files.flatMap((file) =>
    file.functions.map((fn): HandlerOutcome => {
      const problem = file.problems[0];
      return {
        function: fn,
        source: file.file,
        ...(file.kept ? {} : { output: outputs.get(file.file) }),
        status: file.kept ? 'kept' : 'refactored',
        ...(file.kept && problem ? { reason: `${problem.reason}${problem.hint ? `: ${problem.hint}` : ''}`, marker: { file: file.file, line: problem.line, text: '' } } : {}),
      };
    }),
  );
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
