import { getGeneratorsFor } from '../generators/index.js';
import type { DeploySettings } from './types/deploy.js';
import type { GeneratedFile, Generator, GeneratorOptions } from './types/generator.js';
import type { Plan } from './types/plan.js';

/** Refuses a generated path that could leave the output folder or that is not a plain relative POSIX path. */
export function assertSafeOutputPath(file: string): void {
  const parts = file.split('/');
  if (file === '' || file.startsWith('/') || file.includes('\\') || /^[A-Za-z]:/.test(file) || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`a generator produced an unsafe output path: ${JSON.stringify(file)}`);
  }
}

/**
 * Runs generators in order; each sees what the ones before it wrote (`options.files`). Two generators writing the
 * same path is a bug in lambda2sfn, as is a path outside the output folder.
 */
export async function runGenerators(plan: Plan, generators: readonly Generator[], options: GeneratorOptions): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const generator of generators) {
    for (const file of await generator.generate(plan, { ...options, files })) {
      assertSafeOutputPath(file.path);
      if (files.some((other) => other.path === file.path)) throw new Error(`two generators wrote ${file.path} (the second: ${generator.id})`);
      files.push(file);
    }
  }
  return files;
}

/** Everything `generate` (and `migrate`) writes for a plan deployed with `settings.iac`. */
export function generateForDeployment(plan: Plan, settings: DeploySettings, options: Omit<GeneratorOptions, 'deploy' | 'files'> = {}): Promise<GeneratedFile[]> {
  return runGenerators(plan, getGeneratorsFor(settings.iac), { ...options, deploy: settings });
}
