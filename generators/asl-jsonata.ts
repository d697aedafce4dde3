// Translation of the plan's JSONPath notation into JSONata for `QueryLanguage: JSONata` definitions.
import type { Condition, ResultHandling } from '../src/types/plan.js';

/** `expr` as a JSONata field value. */
export function wrap(expression: string): string {
  return `{% ${expression} %}`;
}

/**
 * A JSONPath over the state as a JSONata expression: `$` → `$states.input`, `$.a.b[0]` → `$states.input.a.b[0]`,
 * `$$.Map.Item.Value` → `$states.context.Map.Item.Value`. `base` replaces `$states.input` (a result, an error).
 */
export function toJsonataPath(path: string, base = '$states.input'): string {
  const [root, rest] = path.startsWith('$$') ? ['$states.context', path.slice(2)] : [base, path.slice(1)];
  if (rest === '') return root;
  const segments = rest.match(/\.[^.[]+|\[\d+\]/g) ?? [];
  return root + segments.map((segment) => (segment.startsWith('[') ? segment : `.${quoteName(segment.slice(1))}`)).join('');
}

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

/** A JSONata expression to place as is inside a value given to `toJsonataValue`. */
export class Expression {
  constructor(readonly text: string) {}
}

/**
 * A value in ASL `Parameters` notation as a JSONata expression: objects become object constructors, `"key.$": path`
 * reads the path from `base`, an `Expression` is written as is, other values are literals.
 */
export function toJsonataValue(value: unknown, base = '$states.input'): string {
  if (Array.isArray(value)) return `[${value.map((item) => toJsonataValue(item, base)).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Expression) return value.text;
  const record = value as Record<string, unknown>;
  const fields = Object.entries(record).map(([key, item]) => {
    if (key.endsWith('.$') && typeof item === 'string') return `${JSON.stringify(key.slice(0, -2))}: ${toJsonataPath(item, base)}`;
    return `${JSON.stringify(key)}: ${toJsonataValue(item, base)}`;
  });
  return `{${fields.join(', ')}}`;
}

/**
 * The `Output` of a state that produced `produced` (for a Task, `$states.result`): ResultSelector, ResultPath and
 * OutputPath applied in that order. Undefined when the output is the result itself (no Output field needed).
 */
export function toJsonataOutput(result: ResultHandling, produced = '$states.result'): string | undefined {
  const selected = result.resultSelector ? toJsonataValue(result.resultSelector, produced) : produced;
  let placed: string;
  if (result.resultPath === null) placed = '$states.input';
  else if (result.resultPath === '$') placed = selected;
  else placed = `$merge([$states.input, ${toJsonataValue({ [result.resultPath.slice(2)]: new Expression(selected) })}])`;
  if (result.outputPath !== undefined && result.outputPath !== '$') {
    const simple = /^\$[.a-zA-Z]/.test(placed) && !placed.includes(' ');
    return toJsonataPath(result.outputPath, simple ? placed : `(${placed})`);
  }
  return placed === '$states.result' ? undefined : placed;
}

/** A Choice condition as a JSONata boolean expression over `$states.input`. */
export function toJsonataCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'and':
      return condition.conditions.map((item) => `(${toJsonataCondition(item)})`).join(' and ');
    case 'or':
      return condition.conditions.map((item) => `(${toJsonataCondition(item)})`).join(' or ');
    case 'not':
      return `$not(${toJsonataCondition(condition.condition)})`;
    case 'compare': {
      const path = toJsonataPath(condition.path);
      const value = JSON.stringify(condition.value ?? null);
      switch (condition.operator) {
        case 'exists':
          return `$exists(${path})`;
        case 'not-exists':
          return `$not($exists(${path}))`;
        case 'truthy':
          return `$exists(${path}) and $boolean(${path})`;
        case 'falsy':
          return `$not($exists(${path}) and $boolean(${path}))`;
        case '==':
          return `${path} = ${value}`;
        default:
          return `${path} ${condition.operator} ${value}`;
      }
    }
  }
}
