import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_RULES, lintDefinition } from '../src/lint/index.js';
import { parsePlanYaml } from '../src/plan-file.js';
import { REPO } from './helpers/run-cli.js';

type Definition = Record<string, unknown>;

const task = (extra: Record<string, unknown> = {}) => ({ Type: 'Task', Comment: 'charges the card (src/charge.ts:12)', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${F}', 'Payload.$': '$' }, TimeoutSeconds: 10, ...extra });
const machine = (states: Record<string, unknown>): Definition => ({ StartAt: Object.keys(states)[0], States: states });

/** Per rule: definitions it must accept, and definitions it must flag (with the state it names). */
const CASES: Record<string, { valid: Definition[]; invalid: [Definition, string | undefined][]; type?: 'STANDARD' | 'EXPRESS' }> = {
  'missing-timeout': {
    valid: [machine({ Charge: { ...task(), End: true } }), machine({ Charge: { ...task({ TimeoutSeconds: undefined, TimeoutSecondsPath: '$.timeout' }), End: true } })],
    invalid: [[machine({ Charge: { ...task({ TimeoutSeconds: undefined }), End: true } }), 'Charge']],
  },
  'retry-all-errors': {
    valid: [
      machine({ Charge: { ...task({ Retry: [{ ErrorEquals: ['Lambda.ServiceException'] }] }), End: true } }),
      machine({ Charge: { ...task({ Retry: [{ ErrorEquals: ['CardDeclined'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }] }), End: true } }),
    ],
    invalid: [[machine({ Charge: { ...task({ Retry: [{ ErrorEquals: ['Lambda.ServiceException'] }, { ErrorEquals: ['States.ALL'] }] }), End: true } }), 'Charge']],
  },
  'missing-comment': {
    valid: [machine({ Charge: { ...task(), End: true } }), machine({ Wait: { Type: 'Wait', Seconds: 1, End: true } })],
    invalid: [[machine({ Charge: { ...task({ Comment: ' ' }), End: true } }), 'Charge']],
  },
  'generic-state-name': {
    valid: [machine({ ChargeCard: { ...task(), End: true } })],
    invalid: [
      [machine({ 'Lambda Invoke (2)': { ...task(), End: true } }), 'Lambda Invoke (2)'],
      [machine({ 'Task 1': { ...task(), End: true } }), 'Task 1'],
    ],
  },
  'payload-size': {
    valid: [
      machine({ Each: { Type: 'Map', Comment: 'x', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultPath: null, End: true } }),
      machine({ Charge: { ...task({ ResultSelector: { 'Payload.$': '$.Payload' }, ResultPath: '$.charge' }), End: true } }),
    ],
    invalid: [
      [machine({ Each: { Type: 'Map', Comment: 'x', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } }), 'Each'],
      [machine({ Charge: { ...task({ ResultPath: '$.charge' }), End: true } }), 'Charge'],
    ],
  },
  'history-limit': {
    valid: [machine({ Charge: { ...task(), End: true } })],
    invalid: [
      [machine({ Poll: { ...task(), Next: 'Done?' }, 'Done?': { Type: 'Choice', Comment: 'x', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finish' }], Default: 'Poll' }, Finish: { Type: 'Succeed' } }), 'Poll'],
    ],
    type: 'STANDARD',
  },
  'standard-for-short-flow': {
    valid: [machine({ Charge: { ...task(), Next: 'Later' }, Later: { Type: 'Wait', Seconds: 3600, End: true } })],
    invalid: [[machine({ Charge: { ...task(), End: true } }), undefined]],
    type: 'STANDARD',
  },
};

/** Warnings the golden outputs rightly carry: a step on an unresolved target has no timeout until someone names the target. */
const EXPECTED_WARNINGS: Record<string, string[]> = { 'unresolved-task': ['missing-timeout'] };

describe('lint rules', () => {
  for (const rule of LINT_RULES) {
    const cases = CASES[rule.id];
    it(`${rule.id}: accepts the valid cases and flags the invalid ones`, () => {
      expect(cases, `no test cases for ${rule.id}`).toBeDefined();
      const options = cases?.type ? { type: cases.type } : {};
      for (const definition of cases?.valid ?? []) expect(lintDefinition(definition, { file: 'flow.asl.json', ...options }).filter((finding) => finding.rule === rule.id)).toEqual([]);
      for (const [definition, state] of cases?.invalid ?? []) {
        const findings = lintDefinition(definition, { file: 'flow.asl.json', ...options }).filter((finding) => finding.rule === rule.id);
        expect(findings.map((finding) => finding.state)).toContain(state);
      }
    });
  }

  it('keeps rules, files and documentation in step: one file per rule, named for its id, each with a section in docs/propose.md', () => {
    const files = readdirSync(path.join(REPO, 'src/lint/rules')).map((file) => file.replace(/\.ts$/, '')).sort();
    expect(LINT_RULES.map((rule) => rule.id).sort()).toEqual(files);
    const docs = readFileSync(path.join(REPO, 'docs/propose.md'), 'utf8');
    for (const rule of LINT_RULES) expect(docs, rule.id).toContain(`### \`${rule.id}\``);
  });

  it('finds nothing to warn about in what propose writes (the mapping rules\' golden files), apart from the retries the original code made on every error', () => {
    const cases = path.join(REPO, 'fixtures/generators/asl');
    for (const name of readdirSync(cases)) {
      const plan = parsePlanYaml(readFileSync(path.join(cases, name, 'expected', 'lambda2sfn.plan.yaml'), 'utf8'), name);
      for (const workflow of plan.workflows) {
        const definition = JSON.parse(readFileSync(path.join(cases, name, 'expected', 'statemachines', `${workflow.name}.asl.json`), 'utf8')) as Definition;
        const expected = EXPECTED_WARNINGS[name] ?? [];
        const warnings = lintDefinition(definition, { file: `${workflow.name}.asl.json`, type: workflow.type }).filter((finding) => finding.severity === 'warning' && finding.rule !== 'retry-all-errors' && !expected.includes(finding.rule));
        expect(warnings, `${name}/${workflow.name}`).toEqual([]);
      }
    }
  });
});
