import type { ConditionData } from '../../../analyzers/code/condition.js';
import type { ConditionAnnotation, ConditionComparison } from '../../types/annotations.js';
import type { Env } from '../evaluate.js';
import type { EdgeChain } from './chain.js';
import { traceOrigin, type OriginContext } from './trace-origin.js';
import { toJsonPath, type ValueReader } from './values.js';

/** A condition with the chain call it surrounds (its conditions on the caught error matter to a compensation). */
export interface ConditionFound {
  annotation: ConditionAnnotation;
  /** Position of its record among the chain's contexts. */
  order: number;
}

/** Every condition the call depends on, outermost first, with constants evaluated and fields traced to the event. */
export function readConditions(chain: EdgeChain, values: ValueReader, origins: OriginContext): ConditionFound[] {
  const out: ConditionFound[] = [];
  chain.contexts.forEach((entry, order) => {
    if (entry.record.kind !== 'condition') return;
    const first = entry.record.data as unknown as ConditionData;
    const env = chain.calls[entry.at].env;
    for (const data of [first, ...(first.more ?? [])]) {
      out.push({ annotation: toAnnotation(data, entry.file, env, values, origins), order });
    }
  });
  return out;
}

function toAnnotation(data: ConditionData, file: string, env: Env, values: ValueReader, origins: OriginContext): ConditionAnnotation {
  const comparisons: ConditionComparison[] = data.comparisons.map((comparison) => {
    const origin = traceOrigin(comparison.pathSym, env, origins);
    const path = origin.source === 'event' && origin.path && !origin.computed ? toJsonPath(origin.path) : comparison.path;
    const out: ConditionComparison = { operator: comparison.operator, path };
    if (comparison.value) {
      const value = values.literal(comparison.value, env);
      if (value !== undefined) out.value = value;
    }
    if (comparison.valueText !== undefined) out.valueText = comparison.valueText;
    return out;
  });
  let source: ConditionAnnotation['source'] = 'local';
  let resultOf: ConditionAnnotation['resultOf'];
  const operands = data.operands ?? data.comparisons.map((c) => ({ sym: c.pathSym, resultOf: c.resultOf }));
  for (const operand of operands) {
    if (operand.resultOf) {
      source = 'result';
      resultOf = { file, line: operand.resultOf.line };
      break;
    }
    const origin = traceOrigin(operand.sym, env, origins);
    if (origin.source === 'result' && origin.resultOf) {
      source = 'result';
      resultOf = { file: origin.resultOf.file, line: origin.resultOf.line };
      break;
    }
    if (origin.source === 'event' || origin.source === 'error' || origin.source === 'environment') {
      source = origin.source;
      break;
    }
  }
  return {
    branch: data.branch,
    comparisons,
    file,
    form: data.form,
    ...(data.join ? { join: data.join } : {}),
    line: data.line,
    ...(resultOf ? { resultOf } : {}),
    source,
    text: data.text,
  };
}
