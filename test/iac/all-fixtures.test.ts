import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudformation } from '../../analyzers/iac/cloudformation.js';
import { serverless } from '../../analyzers/iac/serverless.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import { createRandom, mutate } from '../helpers/mutate.js';
import { createFixtureRoot } from './fixture-root.js';

/** Every case folder of every other fixture set (the detectors' and the example apps'), as analysed roots. */
function getRoots(): string[] {
  const analyzerSets = readdirSync('fixtures/analyzers').filter((name) => name !== 'serverless' && name !== 'cloudformation');
  return [
    ...analyzerSets.flatMap((set) => readdirSync(join('fixtures/analyzers', set)).map((name) => join('fixtures/analyzers', set, name))),
    ...readdirSync('fixtures/apps').map((name) => join('fixtures/apps', name)),
  ].filter((path) => !path.endsWith('.md') && !path.endsWith('.json') && !path.endsWith('.yml'));
}

function getIacFiles(root: string): string[] {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ya?ml|json|template)$/.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((file) => file !== 'expected.json');
}

describe('IaC files of the other fixtures', () => {
  for (const root of getRoots()) {
    it(`${root}: read without internal errors, every entity located in a file of the case`, () => {
      for (const file of getIacFiles(root)) {
        const text = readFileSync(join(root, file), 'utf8');
        for (const analyzer of [serverless, cloudformation]) {
          if (!analyzer.matches(file, text)) continue;
          const result = analyzer.analyze({ file, text, root: createFixtureRoot(root), limits: DEFAULT_LIMITS });
          expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'iac-internal-error')).toEqual([]);
          const entities = Object.values(result.inventory).flat();
          for (const entity of entities) {
            expect(entity.location.line).toBeGreaterThan(0);
            expect(entity.location.file.startsWith('..')).toBe(false);
          }
        }
      }
    });
  }
});

describe('damaged IaC files', () => {
  const cases = [
    ['fixtures/analyzers/serverless/variables', 'serverless.yml'],
    ['fixtures/analyzers/serverless/events-other', 'serverless.yml'],
    ['fixtures/analyzers/serverless/file-includes', 'serverless.yml'],
    ['fixtures/analyzers/cloudformation/sam-events', 'template.yaml'],
    ['fixtures/analyzers/cloudformation/cfn-json', 'template.json'],
    ['fixtures/apps/legacy-billing', 'template.yaml'],
    ['fixtures/apps/orders', 'serverless.yml'],
  ] as const;

  for (const [root, file] of cases) {
    it(`${root}/${file}: 60 damaged versions never throw nor fail internally`, () => {
      const original = readFileSync(join(root, file), 'utf8');
      const random = createRandom(root.length * 7919);
      const analyzer = file.startsWith('serverless') ? serverless : cloudformation;
      for (let round = 0; round < 60; round++) {
        const text = mutate(original, random);
        const result = analyzer.analyze({ file, text, root: createFixtureRoot(root), limits: DEFAULT_LIMITS });
        const internal = result.diagnostics.filter((diagnostic) => diagnostic.code === 'iac-internal-error');
        expect(internal, text).toEqual([]);
      }
    });
  }
});
