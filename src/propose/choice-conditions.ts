import type { ConditionAnnotation, ConditionComparison } from '../types/annotations.js';
import type { Condition } from '../types/plan.js';

/** A condition of the code as a Choice rule, or the reason it cannot be one. */
export type ChoiceTranslation =
  | { ok: true; condition: Condition; sourceText: string; vars: string[] }
  | { ok: false; reason: string };

/** Conditions the workflow tests with a Choice: on the event, a variable, or an earlier call's result. */
export function isChoiceCondition(condition: ConditionAnnotation): boolean {
  // An early exit is the part's own `return`, seen by the Choice on `$.done`; a caught error is the Catch's business.
  return condition.form !== 'early-exit' && condition.source !== 'error';
}

/**
 * The conditions around a call (outermost first) as one Choice condition on the envelope of a split function:
 * event fields are read at `$.event...`, variables (including earlier results) at `$.vars...`. Environment
 * variables and tests that are not simple comparisons cannot be read by a Choice.
 */
export function toChoiceCondition(conditions: readonly ConditionAnnotation[]): ChoiceTranslation {
  const parts: Condition[] = [];
  const vars = new Set<string>();
  for (const annotation of conditions) {
    const where = `${annotation.file}:${annotation.line}`;
    if (annotation.source === 'environment') return { ok: false, reason: `the condition at ${where} (${annotation.text}) reads the environment, which a Choice cannot see` };
    if (annotation.comparisons.length === 0) return { ok: false, reason: `the condition at ${where} (${annotation.text}) is not a simple comparison` };
    if (annotation.branch === 'default') return { ok: false, reason: `the call at ${where} sits in the default of a switch` };
    const comparisons: Condition[] = [];
    for (const comparison of annotation.comparisons) {
      const translated = toComparison(comparison, vars);
      if (!translated) return { ok: false, reason: `the condition at ${where} (${annotation.text}) compares with a value that is not statically known` };
      comparisons.push(translated);
    }
    const joined = comparisons.length === 1 ? comparisons[0]! : { kind: annotation.join ?? 'and', conditions: comparisons } as Condition;
    parts.push(annotation.branch === 'else' ? { kind: 'not', condition: joined } : joined);
  }
  if (parts.length === 0) return { ok: false, reason: 'no condition' };
  return {
    ok: true,
    condition: parts.length === 1 ? parts[0]! : { kind: 'and', conditions: parts },
    sourceText: conditions.map((annotation) => (annotation.branch === 'else' ? `!(${annotation.text})` : annotation.text)).join(' && '),
    vars: [...vars],
  };
}

/** `order.total > 1000` → `$.vars.order.total > 1000` (and `order` among the variables the part returns). */
function toComparison(comparison: ConditionComparison, vars: Set<string>): Condition | undefined {
  const path = toStatePath(comparison.path, vars);
  const unary = ['exists', 'not-exists', 'truthy', 'falsy'].includes(comparison.operator);
  if (!unary && comparison.value === undefined) return undefined;
  const compare: Condition = { kind: 'compare', path, operator: comparison.operator };
  if (!unary) compare.value = comparison.value ?? null;
  // A Choice that reads a missing field fails the execution: test that it is there first.
  if (unary || comparison.operator === '!=' || comparison.value === null) return compare;
  return { kind: 'and', conditions: [{ kind: 'compare', path, operator: 'exists' }, compare] };
}

function toStatePath(path: string, vars: Set<string>): string {
  if (path === '$' || path.startsWith('$.') || path.startsWith('$[')) return `$.event${path.slice(1)}`;
  const [variable] = path.split(/[.[]/);
  if (variable) vars.add(variable);
  return `$.vars.${path}`;
}
