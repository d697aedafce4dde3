import path from 'node:path';
import { getAslPath } from '../../generators/asl.js';
import { GENERATORS } from '../../generators/index.js';
import { getHandlerOutputPaths, refactorHandlers } from '../../generators/handlers.js';
import { renderReport } from '../../generators/report/index.js';
import { buildDeploySettings } from '../deploy-context.js';
import { generateForDeployment, runGenerators } from '../generate.js';
import { createSourceLineReader } from '../source-lines.js';
import { IAC_TARGETS, type IacTarget, type LogLevel } from '../types/deploy.js';
import type { GeneratorOptions } from '../types/generator.js';
import type { HandlerOutcome } from '../types/report.js';
import type { Plan } from '../types/plan.js';
import type { Streams } from '../cli.js';
import { EXIT } from '../errors.js';
import { lintDefinition } from '../lint/index.js';
import { PLAN_FILE_NAME, renderPlanYaml } from '../plan-file.js';
import type { GeneratedFile, OutputCheck } from '../types/generator.js';
import { validateAsl } from '../validate/validate-asl.js';
import { writeOutputFiles } from '../write-output.js';
import { buildPlanSession, renderPlanSummary, type PlanOptions } from './plan-session.js';
import { formatFinding } from './lint.js';

export interface MigrateCommandOptions extends PlanOptions {
  out: string;
  force: boolean;
  iac?: IacTarget;
  logLevel?: LogLevel;
  tracing?: boolean;
  includeExecutionData?: boolean;
  diff?: boolean;
}

/** The report's folder inside the output folder. */
const REPORT_DIR = 'report';

/**
 * `lambda2sfn migrate [dir] --out DIR`: analyze → propose → generate → validate → report, in one go: the plan, the
 * ASL, the deployables for the repository's IaC format with a least-privilege role, the refactored handlers, then the
 * report, which sees the checks of everything else. Nothing is written unless everything was generated, and nothing
 * outside DIR.
 */
export async function runMigrate(dir: string | undefined, options: MigrateCommandOptions, streams: Streams): Promise<number> {
  const out = path.resolve(options.out);
  const { root, graph, plan } = await buildPlanSession(dir, options, out, streams);
  streams.stdout.write(renderPlanSummary(plan));
  const files: GeneratedFile[] = [{ path: PLAN_FILE_NAME, contents: renderPlanYaml(plan) }];
  const settings = buildDeploySettings(plan, options, { graph, root });
  const generatorOptions = { root, graph, ...(options.diff ? { diff: true } : {}) };
  if (settings.iac) {
    files.push(...(await generateForDeployment(plan, { ...settings, iac: settings.iac }, generatorOptions)));
  } else {
    streams.stderr.write(`lambda2sfn: cannot tell which infrastructure format the repository uses: no deployables written (pass --iac ${IAC_TARGETS.join('|')})\n`);
    files.push(...(await runGenerators(plan, GENERATORS.filter((item) => item.id === 'asl' || item.id === 'handlers'), generatorOptions)));
  }
  const checks = await checkOutputs(files, plan.workflows.map((workflow) => ({ path: getAslPath(workflow), type: workflow.type })));
  const reportFiles = await renderReport({
    title: path.basename(root),
    graph,
    plan,
    validation: checks.map((check) => ({ file: check.path, check: 'asl-validator, asl-language-service', valid: check.errors.length === 0, errors: check.errors })),
    lint: checks.flatMap((check) => check.lint.map((finding) => ({ ...finding, file: check.path }))),
    handlers: getHandlerOutcomes(plan, generatorOptions),
    sourceLink: path.relative(path.join(out, REPORT_DIR), root).split(path.sep).join('/'),
    getSourceLine: createSourceLineReader(root),
  });
  files.push(...reportFiles.map((file) => ({ ...file, path: `${REPORT_DIR}/${file.path}` })));
  // write-output.ts checks every path, refuses links and existing files (without --force) before writing anything.
  writeOutputFiles(out, files, { force: options.force });
  streams.stderr.write(`lambda2sfn: wrote ${files.length} files to ${options.out}\n`);
  let invalid = 0;
  for (const check of checks) {
    for (const error of check.errors) streams.stderr.write(`lambda2sfn: ${check.path}: ${error}\n`);
    if (check.errors.length > 0) invalid++;
    // Warnings here; `lambda2sfn lint` and the report show the informational findings too.
    for (const finding of check.lint.filter((item) => item.severity === 'warning')) streams.stdout.write(formatFinding(check.path, finding));
  }
  if (invalid > 0) {
    streams.stderr.write(`lambda2sfn: internal error: ${invalid} generated definition${invalid > 1 ? 's are' : ' is'} not valid ASL. This is a bug in lambda2sfn; please report it with the plan file.\n`);
    return EXIT.failure;
  }
  const errors = plan.workflows.some((workflow) => workflow.findings.some((finding) => finding.severity === 'error'));
  return errors ? EXIT.findings : EXIT.ok;
}

/** Every generated ASL definition validated (asl-validator, the language service, JSONata) and linted. */
async function checkOutputs(files: readonly GeneratedFile[], workflows: { path: string; type: 'STANDARD' | 'EXPRESS' }[]): Promise<OutputCheck[]> {
  const checks: OutputCheck[] = [];
  for (const file of files.filter((item) => item.path.endsWith('.asl.json'))) {
    const definition = JSON.parse(file.contents) as Record<string, unknown>;
    const validation = await validateAsl(definition);
    const type = workflows.find((workflow) => workflow.path === file.path)?.type;
    checks.push({ path: file.path, errors: validation.errors, lint: lintDefinition(definition, type ? { type } : {}) });
  }
  return checks;
}

/** What happened to each handler of the plan, for the report: refactored (where to), or kept with the marker's reason. */
function getHandlerOutcomes(plan: Plan, options: GeneratorOptions): HandlerOutcome[] {
  const result = refactorHandlers(plan, options);
  const outputs = getHandlerOutputPaths(result);
  return result.files.flatMap((file) =>
    file.functions.map((fn): HandlerOutcome => {
      const problem = file.problems[0];
      if (!file.kept) return { function: fn, source: file.file, output: outputs.get(file.file)!, status: 'refactored' };
      return { function: fn, source: file.file, status: 'kept', ...(problem ? { reason: problem.reason, marker: { file: problem.file, line: problem.line, text: problem.hint } } : {}) };
    }),
  );
}
