/**
 * EventBridge event patterns and SNS filter policies (they share a syntax): a field matches when its value is one
 * of the listed values, or passes one of the content filters `prefix`, `suffix`, `anything-but`, `exists`,
 * `numeric`. Nested objects match field by field; an array value matches when any element does.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return true;
  if (Array.isArray(pattern)) return matchesAny(pattern, value);
  for (const [key, rule] of Object.entries(pattern as Record<string, unknown>)) {
    const field = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchesAny(rule, field)) return false;
    } else if (rule && typeof rule === 'object') {
      if (!matchesPattern(rule, field)) return false;
    }
  }
  return true;
}

function matchesAny(rules: unknown[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (rule && typeof rule === 'object') return matchesFilter(rule as Record<string, unknown>, value);
    return values.some((entry) => entry === rule || (entry !== undefined && String(entry) === String(rule) && typeof rule === 'string'));
  });
}

function matchesFilter(filter: Record<string, unknown>, value: unknown): boolean {
  if ('exists' in filter) return (value !== undefined) === Boolean(filter.exists);
  const values = Array.isArray(value) ? value : [value];
  if (typeof filter.prefix === 'string') return values.some((entry) => typeof entry === 'string' && entry.startsWith(filter.prefix as string));
  if (typeof filter.suffix === 'string') return values.some((entry) => typeof entry === 'string' && entry.endsWith(filter.suffix as string));
  if ('anything-but' in filter) {
    const excluded = Array.isArray(filter['anything-but']) ? filter['anything-but'] : [filter['anything-but']];
    return value !== undefined && values.every((entry) => !excluded.includes(entry));
  }
  if (Array.isArray(filter.numeric)) {
    const conditions = filter.numeric as (string | number)[];
    return values.some((entry) => {
      if (typeof entry !== 'number') return false;
      for (let i = 0; i + 1 < conditions.length; i += 2) {
        const bound = Number(conditions[i + 1]);
        const ok = { '=': entry === bound, '<': entry < bound, '<=': entry <= bound, '>': entry > bound, '>=': entry >= bound }[String(conditions[i])];
        if (!ok) return false;
      }
      return true;
    });
  }
  return true;
}

/** SNS message attributes as the values a filter policy tests (`String.Array` values parsed). */
export function toFilterableAttributes(attributes: Record<string, { DataType?: string; StringValue?: string }>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, attribute]) => {
      const text = attribute.StringValue;
      if (attribute.DataType === 'Number') return [name, Number(text)];
      if (attribute.DataType === 'String.Array') {
        try {
          return [name, JSON.parse(text ?? '[]') as unknown];
        } catch {
          return [name, text];
        }
      }
      return [name, text];
    }),
  );
}
