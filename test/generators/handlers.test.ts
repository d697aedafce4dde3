import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { handlers } from '../../generators/handlers.js';
import type { GeneratedFile } from '../../generators/types.js';
import type { FunctionPart, MovedCall, Plan, Step, WorkflowFunction } from '../../src/types/plan.js';
import { PLAN_SCHEMA_VERSION } from '../../src/types/plan.js';
import { expectTree } from '../helpers/golden-tree.js';
import { parseErrors, typeCheck } from '../helpers/type-check.js';

const CASES = path.resolve(import.meta.dirname, '../../fixtures/generators/handlers');

/** A case's `case.yaml`: what it shows, and the plan's functions (the fragment the generator reads). */
interface CaseFile {
  description: string;
  functions: (Partial<WorkflowFunction> & { id: string; movedCalls?: Partial<MovedCall>[]; parts?: (Partial<FunctionPart> & { name: string })[] })[];
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? listFiles(path.join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

/** The plan fragment completed into a plan: call texts read from the source, one Task per function or part. */
export function buildCasePlan(caseDir: string): Plan {
  const spec = parse(readFileSync(path.join(caseDir, 'case.yaml'), 'utf8')) as CaseFile;
  const lineOf = (file: string, line: number) => readFileSync(path.join(caseDir, 'input', file), 'utf8').split('\n')[line - 1]!.trim();
  const toCall = (call: Partial<MovedCall>): MovedCall => ({ to: call.to!, kind: call.kind ?? 'invoke-sync', file: call.file!, line: call.line!, text: call.text ?? lineOf(call.file!, call.line!) });
  const functions: WorkflowFunction[] = spec.functions.map((fn) => ({
    id: fn.id,
    ...(fn.handler ? { handler: fn.handler } : {}),
    placeholder: `${fn.id}FunctionArn`,
    invocation: fn.invocation ?? 'whole',
    parts: (fn.parts ?? []).map((part) => ({
      name: part.name,
      role: part.role ?? 'start',
      ...(part.after ? { after: toCall(part.after) } : {}),
      ...(part.catchClause ? { catchClause: part.catchClause } : {}),
      before: (part.before ?? []).map(toCall),
      vars: part.vars ?? [],
      states: [part.name],
    })),
    movedCalls: (fn.movedCalls ?? []).map(toCall),
  }));
  const steps: Step[] = functions.flatMap((fn) =>
    fn.invocation === 'parts'
      ? fn.parts.map((part): Step => ({ type: 'task', name: `${fn.id}-${part.name}`, comment: '', evidence: [], function: fn.id, part: part.name, input: { kind: 'path', path: '$' }, result: { resultPath: '$' }, retry: [], catch: [] }))
      : [{ type: 'task', name: fn.id, comment: '', evidence: [], function: fn.id, input: { kind: 'path', path: '$.payload' }, result: { resultPath: '$.result' }, retry: [], catch: [] }],
  );
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    toolVersion: '0.1.0',
    sourceRoot: 'input',
    workflows: [
      {
        name: path.basename(caseDir),
        logicalId: 'CaseWorkflow',
        chain: { entry: functions[0]!.id, triggers: ['http'], functions: functions.map((fn) => fn.id), nodes: functions.map((fn) => fn.id) },
        type: 'STANDARD',
        queryLanguage: 'JSONPath',
        decisions: [],
        functions,
        resources: [],
        model: { comment: spec.description, steps },
        findings: [],
      },
    ],
    skipped: [],
  };
}

const cases = readdirSync(CASES).filter((name) => existsSync(path.join(CASES, name, 'case.yaml'))).sort();

describe.each(cases)('handlers fixture %s', (name) => {
  const caseDir = path.join(CASES, name);
  const files: GeneratedFile[] = handlers.generate(buildCasePlan(caseDir), { planDir: caseDir });
  const code = files.filter((file) => /\.(ts|js|mjs|cjs)$/.test(file.path));

  it('gives the expected files', () => {
    expectTree(files, path.join(caseDir, 'expected'));
  });

  it(name.startsWith('kept-') ? 'keeps every handler as it was, with a marker' : 'refactors every handler, with no marker', () => {
    expect(code.length).toBeGreaterThan(0);
    for (const file of code) {
      if (name.startsWith('kept-')) expect(file.contents, file.path).toMatch(/\/\/ lambda2sfn: kept — .+ \(src\/[^:]+:\d+\)\. /);
      else expect(file.contents, file.path).not.toContain('lambda2sfn: kept');
    }
  });

  it('writes TypeScript that type-checks and JavaScript that parses', () => {
    const input = path.join(caseDir, 'input');
    const overlay = Object.fromEntries(code.map((file) => [file.path.replace(/^handlers\//, ''), file.contents]));
    const tsFiles = listFiles(input).filter((file) => file.endsWith('.ts'));
    if (tsFiles.length > 0) expect(typeCheck({ root: input, files: tsFiles, overlay })).toEqual([]);
    for (const file of code.filter((candidate) => !candidate.path.endsWith('.ts'))) expect(parseErrors(file.path, file.contents), file.path).toEqual([]);
  });
});
