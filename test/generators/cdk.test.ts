import { rmSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK_FILE } from '../../generators/cdk.js';
import { listCases, runCase } from '../helpers/deployables.js';
import { writeTree } from '../helpers/golden-tree.js';
import { REPO } from '../helpers/run-cli.js';

/** The generated CDK file type-checks (strict) against the real aws-cdk-lib. Synthesis: cdk-synth.slow.test.ts. */

// Inside the repository, so that `aws-cdk-lib` and `constructs` resolve from its node_modules.
const DIR = path.join(REPO, 'test', `.tmp-cdk-check-${process.pid}`);
const CASES = listCases('cdk');

beforeAll(async () => {
  for (const name of CASES) writeTree(path.join(DIR, name), (await runCase('cdk', name, 'cdk')).all);
}, 120_000);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('the generated CDK constructs', () => {
  it('type-check against aws-cdk-lib (strict)', () => {
    expect(CASES.length).toBeGreaterThan(0);
    // One program for every case: aws-cdk-lib's declarations are read once.
    const program = ts.createProgram({
      rootNames: CASES.map((name) => path.join(DIR, name, CDK_FILE)),
      options: {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        lib: ['lib.es2022.d.ts'],
      },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 120_000);

});
