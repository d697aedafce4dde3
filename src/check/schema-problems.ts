import type { ErrorObject } from 'ajv/dist/2020.js';
import { toReadableErrors } from '../schema/schema-errors.js';
import type { ValuePath } from './structured-text.js';

/**
 * Ajv's errors on a value read from `file` as `file:line: place: problem` sentences, without repeats. `prefix` is
 * where the value sits in the file (`["lambda2sfn"]` in a package.json); `getLine` comes from structured-text.ts.
 */
export function describeSchemaProblems(file: string, value: unknown, errors: readonly ErrorObject[], getLine: (path: ValuePath) => number, prefix: ValuePath = []): string[] {
  const problems = errors.map((error) => {
    const at = [...prefix, ...toValuePath(error)];
    const [message] = toReadableErrors(value, [error], prefix.length > 0 ? prefix.join('.') : 'the file', () => '');
    return `${file}:${getLine(at)}: ${prefix.length > 0 && at.length > prefix.length ? `${prefix.join('.')}.` : ''}${message}`;
  });
  return [...new Set(problems)];
}

/** Where an Ajv error points: its instance path, and the offending key for an unknown property. */
function toValuePath(error: ErrorObject): ValuePath {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at: (string | number)[] = segments.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (error.keyword === 'additionalProperties') at.push(String((error.params as { additionalProperty: string }).additionalProperty));
  return at;
}
