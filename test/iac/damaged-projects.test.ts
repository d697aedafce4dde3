import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdk } from '../../analyzers/iac/cdk.js';
import { terraform } from '../../analyzers/iac/terraform.js';
import { DEFAULT_LIMITS, type IacInput, type ProjectIacAnalyzer } from '../../src/types/analyzers.js';
import { createRandom, mutate } from '../helpers/mutate.js';
import { getProjectInputs } from './fixture-cases.js';

/**
 * Damaged CDK and Terraform files (truncated, lines dropped, stray characters): the project analyzers never throw nor
 * fail internally, every diagnostic has a file and a line, and the files not damaged are still read.
 */
const cases: [ProjectIacAnalyzer, string, string][] = [
  [cdk, 'fixtures/apps/cdk-returns', 'infra/lib/returns-stack.ts'],
  [cdk, 'fixtures/analyzers/cdk/messaging', 'lib/app.ts'],
  [terraform, 'fixtures/apps/terraform-claims', 'infra/decisions.tf'],
  [terraform, 'fixtures/analyzers/terraform/local-module', 'modules/service/main.tf'],
];

describe('damaged CDK and Terraform files', () => {
  for (const [analyzer, root, file] of cases) {
    it(`${root}/${file}: 15 damaged versions never throw nor fail internally; the other files are still read`, async () => {
      const inputs = await getProjectInputs(analyzer, root, DEFAULT_LIMITS);
      const original = readFileSync(join(root, file), 'utf8');
      const undamaged = await analyzer.analyzeProject(inputs.filter((input) => input.file !== file));
      const random = createRandom(root.length * 7919 + file.length);
      for (let round = 0; round < 15; round++) {
        const text = mutate(original, random);
        const damaged: IacInput[] = inputs.map((input) => (input.file === file ? { ...input, text } : input));
        const result = await analyzer.analyzeProject(damaged);
        expect(result.diagnostics.filter((d) => d.code === 'iac-internal-error'), text).toEqual([]);
        for (const diagnostic of result.diagnostics) expect(diagnostic.file, JSON.stringify(diagnostic)).toBeTruthy();
        // Entities declared in other files than the damaged one are all still there.
        const ids = new Set(Object.values(result.inventory).flat().map((entity) => ('id' in entity ? entity.id : '')));
        for (const entity of [...(undamaged.inventory.queues ?? []), ...(undamaged.inventory.topics ?? [])]) {
          if (entity.location.file !== file) expect(ids.has(entity.id), `${entity.id} after damage:\n${text}`).toBe(true);
        }
      }
    });
  }
});
