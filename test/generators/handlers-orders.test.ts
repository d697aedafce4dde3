import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { handlers, refactorHandlers } from '../../generators/handlers.js';
import { expectTree } from '../helpers/golden-tree.js';
import { buildSamplePlan } from '../helpers/sample-plan.js';
import { typeCheck } from '../helpers/type-check.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const APP = path.join(REPO, 'fixtures/apps/orders');
const PLAN_DIR = path.join(REPO, 'test');

function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const name of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, name.name);
      if (name.isDirectory()) walk(full);
      else hash.update(`${path.relative(dir, full)}\0${readFileSync(full)}`);
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function getImports(text: string): { module: string; names: string[] }[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true);
  return source.statements.filter(ts.isImportDeclaration).map((declaration) => {
    const clause = declaration.importClause;
    const bindings = clause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((element) => element.name.text) : [];
    if (clause?.name) names.push(clause.name.text);
    return { module: (declaration.moduleSpecifier as ts.StringLiteral).text, names };
  });
}

describe('handlers: the bundled example with the sample plan', () => {
  const before = hashTree(APP);
  const files = handlers.generate(buildSamplePlan(), { planDir: PLAN_DIR, diff: true });
  const handlerFiles = files.filter((file) => file.path.endsWith('.ts'));

  it('writes the refactored handlers, the README and the diff, and matches the golden files', () => {
    expect(files.map((file) => file.path)).toEqual([
      'handlers/src/handlers/fulfill-order.ts',
      'handlers/src/handlers/notify-customer.ts',
      'handlers/src/handlers/place-order.ts',
      'handlers/src/handlers/update-loyalty.ts',
      'handlers/README.md',
      'handlers/handlers.diff',
    ]);
    expectTree(files, path.join(REPO, 'fixtures/generators/handlers/orders-sample-plan/expected'));
  });

  it('keeps no handler as it was: every transformation on the example is safe', () => {
    const result = refactorHandlers(buildSamplePlan(), { planDir: PLAN_DIR });
    expect(result.files.filter((file) => file.kept).map((file) => file.problems)).toEqual([]);
  });

  it('leaves no Lambda, SQS or SNS client, nor the invoke wrapper, in the new handlers', () => {
    for (const file of handlerFiles) {
      const imports = getImports(file.contents);
      expect(imports.map((entry) => entry.module), file.path).not.toContain('@aws-sdk/client-lambda');
      expect(imports.map((entry) => entry.module), file.path).not.toContain('@aws-sdk/client-sqs');
      expect(imports.map((entry) => entry.module), file.path).not.toContain('@aws-sdk/client-sns');
      expect(imports.map((entry) => entry.module), file.path).not.toContain('../lib/invoke');
      const clients = imports.find((entry) => entry.module === '../lib/clients')?.names ?? [];
      expect(clients, file.path).not.toContain('lambda');
      expect(clients, file.path).not.toContain('sqs');
      expect(clients, file.path).not.toContain('sns');
      expect(file.contents, file.path).not.toMatch(/Records|invokeFunction|SendMessageCommand|PublishCommand|PAYMENT_ATTEMPTS|sleep\(/);
    }
  });

  it('splits placeOrder into the parts the plan names, with the handler as the dispatcher', () => {
    const placeOrder = handlerFiles.find((file) => file.path.endsWith('place-order.ts'))!.contents;
    for (const part of buildSamplePlan().workflows[0]!.functions[0]!.parts) expect(placeOrder).toMatch(new RegExp(`export const ${part.name} = async`));
    expect(placeOrder).toMatch(/export const handler = async \(input: PlaceOrderPartInput\)/);
  });

  it('type-checks every refactored handler with the app\'s tsconfig, next to the app\'s own modules', () => {
    const overlay = Object.fromEntries(handlerFiles.map((file) => [file.path.replace(/^handlers\//, ''), file.contents]));
    const libs = readdirSync(path.join(APP, 'src/lib')).map((name) => `src/lib/${name}`);
    const others = readdirSync(path.join(APP, 'src/handlers')).filter((name) => name.endsWith('.ts')).map((name) => `src/handlers/${name}`);
    expect(typeCheck({ root: APP, files: [...new Set([...Object.keys(overlay), ...others, ...libs])], overlay })).toEqual([]);
  });

  it('never touches the original sources', () => {
    expect(hashTree(APP)).toBe(before);
  });
});

describe('handlers: the bundled example with the plan lambda2sfn propose writes', async () => {
  const { analyze } = await import('../../src/pipeline.js');
  const { proposePlan } = await import('../../src/propose/index.js');
  const { graph } = await analyze(APP, {});
  const { plan } = await proposePlan({ graph, root: APP, sourceRoot: '.', toolVersion: '0.1.0', entries: graph.chains.map((chain) => chain.entry), sources: { flags: new Map() } });
  const result = refactorHandlers(plan, { root: APP });
  const files = await handlers.generate(plan, { root: APP });

  it('refactors each handler, or keeps it with a marker at the line and lists it', () => {
    expect(result.files.length).toBeGreaterThan(0);
    const readme = files.find((file) => file.path === 'handlers/README.md')!.contents;
    for (const file of result.files) {
      const written = files.find((candidate) => candidate.path === `handlers/${file.file}`)!.contents;
      if (file.kept) {
        expect(file.problems.length, file.file).toBeGreaterThan(0);
        for (const problem of file.problems) expect(written.split('\n')[problem.line - 1], file.file).toContain('// lambda2sfn: kept — ');
        expect(readme).toContain(`\`handlers/${file.file}\` (${file.functions.join(', ')}): **kept as it was**`);
      } else {
        expect(written).not.toMatch(/@aws-sdk\/client-(lambda|sqs|sns)'|\bRecords\b/);
      }
    }
  });

  it('type-checks every handler it wrote', () => {
    const overlay = Object.fromEntries(files.filter((file) => file.path.endsWith('.ts')).map((file) => [file.path.replace(/^handlers\//, ''), file.contents]));
    const libs = readdirSync(path.join(APP, 'src/lib')).map((name) => `src/lib/${name}`);
    expect(typeCheck({ root: APP, files: [...Object.keys(overlay), ...libs], overlay })).toEqual([]);
  });
});
