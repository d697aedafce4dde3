import { getGeneratorsFor } from '../generators/index.js';
import { isSafeRelativePath } from './safe-path.js';
import type { DeploySettings } from './types/deploy.js';
import type { GeneratedFile, Generator, GeneratorOptions } from './types/generator.js';
import type { Plan } from './types/plan.js';

/**
 * Runs generators in order. Two generators writing the same path is a bug in lambda2sfn, as is a path outside the
 * output folder.
 */
export async function runGenerators(plan: Plan, generators: readonly Generator[], options: GeneratorOptions): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const generator of generators) {
    for (const file of await generator.generate(plan, options)) {
      if (!isSafeRelativePath(file.path)) throw new Error(`generator ${generator.id} produced an unsafe output path: ${JSON.stringify(file.path)}`);
      if (files.some((other) => other.path.toLowerCase() === file.path.toLowerCase())) throw new Error(`two generators wrote ${file.path} (the second: ${generator.id}), or two paths that differ only in case`);
      files.push(file);
    }
  }
  return files;
}

function isOutputStage(generator: Generator): boolean {
  return (generator.stage ?? 'output') === 'output';
}

/** Everything `generate` writes for a plan deployed with `settings.iac` (the `review` generators aside). */
export function generateForDeployment(plan: Plan, settings: DeploySettings, options: Omit<GeneratorOptions, 'deploy'> = {}): Promise<GeneratedFile[]> {
  return runGenerators(plan, getGeneratorsFor(settings.iac).filter(isOutputStage), { ...options, deploy: settings });
}
