import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CDK_FILE } from '../../generators/cdk.js';
import { CLOUDFORMATION_TEMPLATE } from '../../generators/cloudformation.js';
import { SAM_TEMPLATE } from '../../generators/sam.js';
import { TERRAFORM_FILE } from '../../generators/terraform.js';
import { findPlaceholders, getAslFileName } from '../../generators/shared/placeholders.js';
import { SERVERLESS_FILE } from '../../generators/serverless.js';
import { parseYaml } from '../../src/iac/cfn-yaml.js';
import { SourceMap } from '../../src/iac/source-map.js';
import { analyze } from '../../src/pipeline.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import type { IacTarget } from '../../src/types/deploy.js';
import type { WorkflowPlan } from '../../src/types/plan.js';
import { getFile, listCases, runCase, type GeneratorCase } from '../helpers/deployables.js';
import { expectTree, writeTree } from '../helpers/golden-tree.js';

/** The ASL a deployable refers to, by a path relative to the deployable's file: it must be one of the files written. */
function readReferencedAsl(testCase: GeneratorCase, fromFile: string, relative: string): unknown {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), relative));
  return JSON.parse(getFile(testCase.all, resolved).contents) as unknown;
}

/** The placeholders of an ASL document (every `${Name}`), sorted. */
function getPlaceholders(asl: unknown): string[] {
  return [...findPlaceholders(asl)].sort();
}

function getAslPathOf(workflow: WorkflowPlan): string {
  return getAslFileName(workflow);
}

function readCfnYaml(text: string, file: string): Record<string, unknown> {
  const parsed = parseYaml(text, { file, limits: DEFAULT_LIMITS, sourceMap: new SourceMap() });
  expect(parsed.diagnostics, `${file} parses with CloudFormation tags`).toEqual([]);
  expect(parsed.ok).toBe(true);
  return parsed.value as Record<string, unknown>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Generated CloudFormation/SAM back through our own analyzer: the state machines are nodes of the Graph. */
async function expectAnalyzerFindsStateMachines(testCase: GeneratorCase): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-deployables-'));
  try {
    writeTree(dir, testCase.all);
    const { graph } = await analyze(dir);
    for (const workflow of testCase.plan.workflows) {
      expect(graph.nodes.find((node) => node.id === workflow.logicalId)?.kind, `${workflow.logicalId} in the Graph`).toBe('state-machine');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkCfnTemplate(testCase: GeneratorCase, file: string, type: string, uriProperty: string): Resources {
  const template = readCfnYaml(getFile(testCase.own, file).contents, file);
  const resources = template.Resources as Resources;
  for (const workflow of testCase.plan.workflows) {
    const machine = resources[workflow.logicalId]!;
    expect(machine.Type).toBe(type);
    const asl = readReferencedAsl(testCase, file, machine.Properties[uriProperty] as string);
    expect(Object.keys(machine.Properties.DefinitionSubstitutions as object).sort(), `${workflow.name}: a substitution per placeholder and no other`).toEqual(getPlaceholders(asl));
    for (const value of Object.values(machine.Properties.DefinitionSubstitutions as object)) expect(typeof value === 'number').toBe(false);
  }
  // Every parameter used is declared, and every declared parameter is used.
  const text = JSON.stringify(resources);
  for (const name of Object.keys((template.Parameters ?? {}) as object)) expect(text.includes(`"Ref":"${name}"`) || text.includes(`\${${name}}`), `parameter ${name} is used`).toBe(true);
  return resources;
}

const FORMATS: { id: string; iac: IacTarget; check?: (testCase: GeneratorCase) => Promise<void> | void }[] = [
  { id: 'iam-policy', iac: 'cloudformation' },
  {
    id: 'sam',
    iac: 'sam',
    check: async (testCase) => {
      checkCfnTemplate(testCase, SAM_TEMPLATE, 'AWS::Serverless::StateMachine', 'DefinitionUri');
      await expectAnalyzerFindsStateMachines(testCase);
    },
  },
  {
    id: 'cloudformation',
    iac: 'cloudformation',
    check: async (testCase) => {
      const resources = checkCfnTemplate(testCase, CLOUDFORMATION_TEMPLATE, 'AWS::StepFunctions::StateMachine', 'DefinitionS3Location');
      for (const workflow of testCase.plan.workflows) {
        expect(resources[`${workflow.logicalId}Role`]?.Type).toBe('AWS::IAM::Role');
      }
      await expectAnalyzerFindsStateMachines(testCase);
    },
  },
  {
    id: 'terraform',
    iac: 'terraform',
    check: async (testCase) => {
      const hcl = createRequire(import.meta.url)('@cdktf/hcl2json') as { parse(file: string, contents: string): Promise<Record<string, any>> };
      const text = getFile(testCase.own, TERRAFORM_FILE).contents;
      const body = await hcl.parse(TERRAFORM_FILE, text);
      const variables = new Set(Object.keys(body.variable ?? {}));
      for (const used of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) expect(variables.has(used[1]!), `variable ${used[1]} is declared`).toBe(true);
      for (const workflow of testCase.plan.workflows) {
        const [machine] = Object.values(body.resource.aws_sfn_state_machine as Record<string, { definition: string; type: string }[]>).filter((list) => list[0]!.definition.includes(`/${workflow.name}.asl.json`)).map((list) => list[0]!);
        expect(machine?.type).toBe(workflow.type);
        const file = /templatefile\("\$\{path\.module\}\/([^"]+)"/.exec(machine!.definition)?.[1];
        const asl = readReferencedAsl(testCase, TERRAFORM_FILE, file!);
        const keys = [...machine!.definition.matchAll(/^\s*"?([A-Za-z][A-Za-z0-9_]*)"?\s*=/gm)].map((match) => match[1]!).sort();
        expect(keys, `${workflow.name}: templatefile gets every placeholder and no other`).toEqual(getPlaceholders(asl));
        // templatefile reads `${...}` and `%{...}` as template syntax: the definition may hold no other.
        const aslText = getFile(testCase.all, getAslPathOf(workflow)).contents;
        expect(aslText.replace(/\$\{[A-Za-z][A-Za-z0-9_]*\}/g, '')).not.toMatch(/\$\{|%\{/);
      }
    },
  },
  {
    id: 'cdk',
    iac: 'cdk',
    check: (testCase) => {
      const text = getFile(testCase.own, CDK_FILE).contents;
      for (const workflow of testCase.plan.workflows) {
        expect(text).toContain(`export class ${workflow.logicalId} extends Construct`);
        const classText = text.slice(text.indexOf(`export class ${workflow.logicalId} `));
        const file = /path\.join\(__dirname, '([^']+)'\)/.exec(classText)?.[1];
        const asl = readReferencedAsl(testCase, CDK_FILE, file!);
        const block = /definitionSubstitutions: \{\n([^}]*)\n\s*\}/.exec(classText)?.[1] ?? '';
        const keys = [...block.matchAll(/^\s+([A-Za-z][A-Za-z0-9_]*): /gm)].map((match) => match[1]!).sort();
        expect(keys, `${workflow.name}: a substitution per placeholder and no other`).toEqual(getPlaceholders(asl));
      }
    },
  },
  {
    id: 'serverless',
    iac: 'serverless',
    check: (testCase) => {
      const text = getFile(testCase.own, SERVERLESS_FILE).contents;
      // The plugin's schema rejects the short-form tags: long form only.
      expect(text).not.toMatch(/!(Ref|GetAtt|Sub|Join)\b/);
      const document = readCfnYaml(text, SERVERLESS_FILE) as { stepFunctions: { stateMachines: Record<string, { id: string; definition: unknown }> } };
      for (const workflow of testCase.plan.workflows) {
        const machine = Object.values(document.stepFunctions.stateMachines).find((candidate) => candidate.id === workflow.logicalId);
        const asl = JSON.parse(getFile(testCase.all, getAslPathOf(workflow)).contents) as unknown;
        expectInlined(asl, machine!.definition, workflow.name);
      }
    },
  },
];

/** The inline definition is the ASL with each `${Placeholder}` string replaced by a value, and nothing else changed. */
function expectInlined(asl: unknown, definition: unknown, where: string): void {
  if (typeof asl === 'string' && /^\$\{[A-Za-z][A-Za-z0-9_]*\}$/.test(asl)) {
    expect(JSON.stringify(definition), `${where}: ${asl} is substituted`).not.toContain(asl);
    return;
  }
  if (Array.isArray(asl)) {
    expect(Array.isArray(definition), where).toBe(true);
    asl.forEach((item, index) => expectInlined(item, (definition as unknown[])[index], `${where}[${index}]`));
    return;
  }
  if (asl !== null && typeof asl === 'object') {
    expect(Object.keys(definition as object).sort(), where).toEqual(Object.keys(asl).sort());
    for (const [key, item] of Object.entries(asl)) expectInlined(item, (definition as Record<string, unknown>)[key], `${where}.${key}`);
    return;
  }
  expect(definition, where).toEqual(asl);
}

for (const format of FORMATS) {
  describe(`generator ${format.id}`, () => {
    const cases = listCases(format.id);
    it('has a fixture case', () => expect(cases.length).toBeGreaterThan(0));
    for (const name of cases) {
      describe(name, () => {
        let run: Promise<GeneratorCase> | undefined;
        const getCase = () => (run ??= runCase(format.id, name, format.iac));
        it('writes the expected files', async () => {
          const testCase = await getCase();
          expectTree(testCase.own, path.join(testCase.dir, 'expected'));
        });
        if (format.check) it('writes output its tools read', async () => format.check!(await getCase()));
      });
    }
  });
}
