import { existsSync } from 'node:fs';
import path from 'node:path';
import { GENERATORS } from '../../generators/index.js';
import type { Streams } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { lintDefinition } from '../lint/index.js';
import { PLAN_FILE_NAME, renderPlanYaml } from '../plan-file.js';
import type { GeneratedFile, OutputCheck } from '../types/generator.js';
import { validateAsl } from '../validate/validate-asl.js';
import { writeFileAtomic } from '../write-output.js';
import { buildPlanSession, renderPlanSummary, type PlanOptions } from './plan-session.js';
import { formatFinding } from './lint.js';

export interface MigrateCommandOptions extends PlanOptions {
  out: string;
  force: boolean;
}

/**
 * `lambda2sfn migrate [dir] --out DIR`: analyze → propose → generate → validate → report, in one go. Every
 * generator of generators/index.ts runs; `review` generators (the report) run last and see the checks. Nothing is
 * written unless everything was generated, and nothing outside DIR.
 */
export async function runMigrate(dir: string | undefined, options: MigrateCommandOptions, streams: Streams): Promise<number> {
  const out = path.resolve(options.out);
  const { root, graph, plan } = await buildPlanSession(dir, options, out, streams);
  streams.stdout.write(renderPlanSummary(plan));
  const files: GeneratedFile[] = [{ path: PLAN_FILE_NAME, contents: renderPlanYaml(plan) }];
  const generatorOptions = { root, graph };
  for (const generator of GENERATORS.filter((item) => (item.stage ?? 'output') === 'output')) files.push(...(await generator.generate(plan, generatorOptions)));
  const checks = await checkOutputs(files, plan.workflows.map((workflow) => ({ name: workflow.name, type: workflow.type })));
  for (const generator of GENERATORS.filter((item) => item.stage === 'review')) files.push(...(await generator.generate(plan, { ...generatorOptions, checks })));
  const existing = files.map((file) => path.join(out, file.path)).filter((file) => existsSync(file));
  if (existing.length > 0 && !options.force) {
    throw new UsageError(`${existing.length} output file${existing.length > 1 ? 's' : ''} already exist${existing.length > 1 ? '' : 's'} (${path.relative(process.cwd(), existing[0]!)}${existing.length > 1 ? ', ...' : ''})`, 'pass --force to replace them, or choose another --out');
  }
  for (const file of files) writeFileAtomic(path.join(out, file.path), file.contents, { force: options.force });
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
async function checkOutputs(files: readonly GeneratedFile[], workflows: { name: string; type: 'STANDARD' | 'EXPRESS' }[]): Promise<OutputCheck[]> {
  const checks: OutputCheck[] = [];
  for (const file of files.filter((item) => item.path.endsWith('.asl.json'))) {
    const definition = JSON.parse(file.contents) as Record<string, unknown>;
    const validation = await validateAsl(definition);
    const type = workflows.find((workflow) => file.path.endsWith(`/${workflow.name}.asl.json`))?.type;
    checks.push({ path: file.path, errors: validation.errors, lint: lintDefinition(definition, type ? { type } : {}) });
  }
  return checks;
}
