import { describe, expect, it } from 'vitest';
import { renderAsl } from '../generators/asl.js';
import { validateAsl } from '../src/validate/validate-asl.js';
import { buildSamplePlan } from './helpers/sample-plan.js';

const lambdaTask = (extra: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: '${F}', 'Payload.$': '$' },
  End: true,
  ...extra,
});

describe('validateAsl', () => {
  it('accepts every workflow of the sample plan, in JSONPath and in JSONata', async () => {
    for (const workflow of buildSamplePlan().workflows) {
      for (const queryLanguage of ['JSONPath', 'JSONata'] as const) {
        expect(await validateAsl(renderAsl({ ...workflow, queryLanguage })), `${workflow.name} ${queryLanguage}`).toEqual({ valid: true, errors: [] });
      }
    }
  });

  it('does not change the definition it checks', async () => {
    const definition = renderAsl(buildSamplePlan().workflows[0]!);
    const before = JSON.stringify(definition);
    await validateAsl(definition);
    expect(JSON.stringify(definition)).toBe(before);
  });

  it('reports a bad JSONPath, a missing state and an unknown field, each by the check that finds it', async () => {
    const result = await validateAsl({ StartAt: 'A', States: { A: lambdaTask({ ResultPath: 'result', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempt: 2 }], End: undefined, Next: 'Nowhere' }) } });
    expect(result.valid).toBe(false);
    expect(result.errors.some((error) => error.startsWith('asl-validator:') && error.includes('ResultPath'))).toBe(true);
    expect(result.errors.some((error) => error.startsWith('language service:') && /not supported/i.test(error))).toBe(true);
    expect(result.errors.some((error) => /name of an existing state/.test(error))).toBe(true);
  });

  it('parses JSONata and rejects $states.result outside Output, undefined variables and unknown functions', async () => {
    const result = await validateAsl({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: '${F}', Payload: '{% $states.result.Payload %}' },
          Output: '{% $merge([$states.input, {"x": $total}]) %}',
          Next: 'B',
        },
        B: { Type: 'Pass', Output: '{% $frobnicate($states.input) %}', Next: 'C' },
        C: { Type: 'Pass', Output: '{% $states.input.( %}', End: true },
      },
    });
    expect(result.errors.filter((error) => error.startsWith('jsonata:'))).toEqual([
      'jsonata: States.A.Arguments.Payload: $states.result is only available in Output and Assign',
      'jsonata: States.A.Output: undefined variable $total',
      'jsonata: States.B.Output: unknown function $frobnicate',
      expect.stringMatching(/^jsonata: States\.C\.Output: cannot parse/),
    ]);
  });
});
