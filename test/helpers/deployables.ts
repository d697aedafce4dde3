import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IAC_GENERATOR_IDS, getGeneratorsFor } from '../../generators/index.js';
import { buildDeploySettings, type DeployFlags } from '../../src/deploy-context.js';
import { runGenerators } from '../../src/generate.js';
import { analyze } from '../../src/pipeline.js';
import { readPlanFile } from '../../src/plan-file.js';
import type { DeploySettings, IacTarget } from '../../src/types/deploy.js';
import type { GeneratedFile } from '../../src/types/generator.js';
import type { Graph } from '../../src/types/graph.js';
import type { Plan } from '../../src/types/plan.js';
import { REPO } from './run-cli.js';

export const GENERATOR_FIXTURES = path.join(REPO, 'fixtures/generators');

export interface GeneratorCase {
  id: string;
  name: string;
  dir: string;
  plan: Plan;
  settings: DeploySettings;
  /** What the generator under test wrote. */
  own: GeneratedFile[];
  /** What the whole run wrote (the generators before it included: the ASL...). */
  all: GeneratedFile[];
}

/** The case folders of a generator: `fixtures/generators/<id>/<case>/` with a `plan.yaml`. */
export function listCases(id: string): string[] {
  const dir = path.join(GENERATOR_FIXTURES, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(path.join(dir, name, 'plan.yaml'))).sort();
}

const analyses = new Map<string, Promise<{ graph: Graph; root: string }>>();

/** The analysed folder of a plan, analysed once per test file. */
function analyseOnce(root: string): Promise<{ graph: Graph; root: string }> {
  let analysis = analyses.get(root);
  if (!analysis) {
    analysis = analyze(root).then(({ graph }) => ({ graph, root }));
    analyses.set(root, analysis);
  }
  return analysis;
}

/**
 * Runs a case as `generate` would: the plan, the settings from `settings.json` (flags) and the Graph of the plan's
 * analysed folder, the generators of the chosen format in order; `own` is what the generator under test wrote.
 */
export async function runCase(id: string, name: string, iac: IacTarget): Promise<GeneratorCase> {
  const dir = path.join(GENERATOR_FIXTURES, id, name);
  const planFile = path.join(dir, 'plan.yaml');
  const plan = readPlanFile(planFile);
  const flagsFile = path.join(dir, 'settings.json');
  const flags = (existsSync(flagsFile) ? JSON.parse(readFileSync(flagsFile, 'utf8')) : {}) as DeployFlags;
  const root = path.resolve(dir, plan.sourceRoot);
  const analysis = existsSync(root) ? await analyseOnce(root) : undefined;
  const settings = { ...buildDeploySettings(plan, { ...flags, iac: flags.iac ?? iac }, analysis), iac: flags.iac ?? iac };
  // The definitions, the policies and the deployable: what the deployable's checks read.
  const generators = getGeneratorsFor(settings.iac).filter((generator) => ['asl', 'iam-policy', IAC_GENERATOR_IDS[settings.iac]].includes(generator.id));
  const index = generators.findIndex((generator) => generator.id === id);
  if (index < 0) throw new Error(`generator ${id} does not run for --iac ${settings.iac}`);
  const before = await runGenerators(plan, generators.slice(0, index), { deploy: settings });
  const own = await generators[index]!.generate(plan, { deploy: settings });
  const after = await runGenerators(plan, generators.slice(index + 1), { deploy: settings });
  return { id, name, dir, plan, settings, own, all: [...before, ...own, ...after] };
}

export function getFile(files: readonly GeneratedFile[], file: string): GeneratedFile {
  const found = files.find((candidate) => candidate.path === file);
  if (!found) throw new Error(`no ${file} among ${files.map((candidate) => candidate.path).join(', ')}`);
  return found;
}
