import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { parsePlanYaml, renderPlanYaml } from '../src/plan-file.js';
import { validatePlan } from '../src/schema/validate-plan.js';
import type { Plan } from '../src/types/plan.js';
import { PLAN_SCHEMA_VERSION } from '../src/types/plan.js';
import { buildSamplePlan } from './helpers/sample-plan.js';
import { compareTypeWithSchema, resolveRef, type JsonSchema } from './helpers/schema-compare.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'plan.schema.json'), 'utf8')) as JsonSchema;

function getErrors(value: unknown): string[] {
  const result = validatePlan(value);
  return result.valid ? [] : result.errors;
}

describe('validatePlan', () => {
  it('accepts the sample plan and returns it', () => {
    const plan = buildSamplePlan();
    expect(getErrors(plan)).toEqual([]);
    expect(validatePlan(plan)).toEqual({ valid: true, plan });
  });

  it('reads back what it writes, byte for byte', () => {
    const yaml = renderPlanYaml(buildSamplePlan());
    const plan = parsePlanYaml(yaml, 'lambda2sfn.plan.yaml');
    expect(plan).toEqual(buildSamplePlan());
    expect(renderPlanYaml(plan)).toBe(yaml);
  });

  it('names missing, unknown and wrong properties with the item they are in', () => {
    const plan = buildSamplePlan() as unknown as { workflows: Record<string, unknown>[]; extra?: boolean };
    plan.extra = true;
    const workflow = plan.workflows[0] as { type: string; model: { steps: Record<string, unknown>[] }; decisions: Record<string, unknown>[] };
    workflow.type = 'FAST';
    delete workflow.decisions[0]?.reason;
    (workflow.model.steps[0] as Record<string, unknown>).timeoutSeconds = 0;
    (workflow.model.steps[1] as Record<string, unknown>).type = 'loop';
    expect(getErrors(plan)).toEqual([
      'plan: unknown property "extra"',
      'workflows[0] ("place-order").type: must be one of "STANDARD", "EXPRESS", got "FAST"',
      'workflows[0] ("place-order").decisions[0] ("workflow-type"): missing required property "reason"',
      'workflows[0] ("place-order").model.steps[0] ("PlaceOrderBeforeFraudCheck").timeoutSeconds: must be >= 1, got 0',
      'workflows[0] ("place-order").model.steps[1] ("PlaceOrderBeforeFraudCheckReturned"): unknown type "loop"',
    ]);
  });

  it('refuses other schema versions plainly', () => {
    expect(getErrors({ ...buildSamplePlan(), schemaVersion: 2 })).toEqual(['schemaVersion: unsupported schema version 2; this lambda2sfn reads version 1']);
  });

  it('checks what the schema cannot: unique names, known functions, parts and resources, choices among the alternatives', () => {
    const plan: Plan = buildSamplePlan();
    const [placeOrder, nightly] = plan.workflows;
    if (!placeOrder || !nightly) throw new Error('sample plan changed');
    nightly.name = 'place-order';
    placeOrder.decisions[0]!.choice = 'FAST';
    placeOrder.decisions.push({ ...placeOrder.decisions[1]!, choice: 'keep' });
    placeOrder.resources.push({ id: 'OrdersQueue', kind: 'queue', placeholder: 'OrdersDLQQueueUrl', attribute: 'url', actions: [] });
    const [first, , fraud] = placeOrder.model.steps;
    if (first?.type !== 'task' || fraud?.type !== 'choice') throw new Error('sample plan changed');
    first.part = 'beforeEverything';
    const fraudTask = fraud.branches[0]?.steps[0];
    if (fraudTask?.type !== 'task') throw new Error('sample plan changed');
    fraudTask.function = 'fraudCheckV2';
    fraud.otherwise.push({ type: 'succeed', name: 'FraudCheck', comment: '', evidence: [] });
    const start = nightly.model.steps[2];
    if (start?.type !== 'service') throw new Error('sample plan changed');
    start.resource = 'Shipping';
    expect(getErrors(plan)).toEqual([
      'workflows[0] ("place-order").decisions[0] ("workflow-type").choice: "FAST" is not one of "STANDARD", "EXPRESS"',
      'workflows[0] ("place-order").decisions[2] ("queue:OrdersQueue").id: another decision has the same id',
      'workflows[0] ("place-order").resources[9].placeholder: OrdersDLQQueueUrl is also the placeholder of OrdersDLQ',
      'workflows[0] ("place-order").model.steps[0] ("PlaceOrderBeforeFraudCheck").part: "beforeEverything" is not a part of placeOrder',
      'workflows[0] ("place-order").model.steps[2] ("NeedsFraudCheck").branches[0].steps[0] ("FraudCheck").function: "fraudCheckV2" is not in functions',
      'workflows[0] ("place-order").model.steps[2] ("NeedsFraudCheck").otherwise[1] ("FraudCheck").name: the state name "FraudCheck" is used twice',
      'workflows[1] ("place-order").name: another workflow has the same name',
      'workflows[1] ("place-order").model.steps[2] ("StartFulfilment").resource: "Shipping" is not in resources',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parsePlanYaml('schemaVersion: 1\nworkflows: [\n', 'p.yaml')).toThrow(/^p\.yaml:3: the plan is not valid YAML/);
  });
});

describe('the plan schema file', () => {
  it('has the version of the Plan type', () => {
    expect(schema.properties?.schemaVersion?.const).toBe(PLAN_SCHEMA_VERSION);
  });

  it('lists properties in the order the plan file writes them', () => {
    const problems: string[] = [];
    const checkOrder = (value: unknown, node: JsonSchema, where: string): void => {
      const target = resolveRef(node, schema);
      if (Array.isArray(value)) {
        value.forEach((item, index) => checkOrder(item, target.items ?? {}, `${where}[${index}]`));
      } else if (value !== null && typeof value === 'object') {
        const branch = target.oneOf?.map((entry) => resolveRef(entry, schema)).find((entry) => {
          const record = value as Record<string, unknown>;
          return entry.properties?.type?.const === record.type && entry.properties?.kind?.const === record.kind;
        });
        const properties = (branch ?? target).properties;
        if (!properties) return;
        const keys = Object.keys(value);
        const expected = Object.keys(properties).filter((key) => keys.includes(key));
        if (JSON.stringify(keys) !== JSON.stringify(expected)) problems.push(`${where}: ${keys.join(',')} ≠ ${expected.join(',')}`);
        for (const key of keys) checkOrder((value as Record<string, unknown>)[key], properties[key] ?? {}, `${where}.${key}`);
      }
    };
    checkOrder(buildSamplePlan(), schema, 'plan');
    // And every plan the mapping rules' golden files hold, as propose writes them.
    const cases = path.join(REPO_ROOT, 'fixtures/generators/asl');
    for (const name of readdirSync(cases)) {
      const file = path.join(cases, name, 'expected', 'lambda2sfn.plan.yaml');
      if (existsSync(file)) checkOrder(parsePlanYaml(readFileSync(file, 'utf8'), file), schema, name);
    }
    expect(problems).toEqual([]);
  });

  it('mirrors src/types/plan.ts: properties in order, optionality, types, enums, unions and doc comments', () => {
    const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: true } });
    const source = project.addSourceFileAtPath(path.join(REPO_ROOT, 'src/types/plan.ts'));
    project.resolveSourceFileDependencies();
    expect(compareTypeWithSchema(source.getInterfaceOrThrow('Plan').getType(), schema, 'Plan')).toEqual([]);
  });
});
