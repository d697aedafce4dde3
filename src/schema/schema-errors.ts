import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** A broken file can fail every item; past this many, the list stops helping. */
export const MAX_ERRORS = 50;

/** Names an array item in error messages (`nodes[3] ("notify")`): returns the text after the index, or ''. */
export type DescribeItem = (collection: string, item: unknown) => string;

/**
 * The schema file `schema/<name>`, found by walking up from this module to the package root: the module runs from
 * `src/schema/` under vitest and from `dist/src/schema/` once built, and the schema sits at the package root in both.
 */
export function getSchemaPath(name: string): string {
  const moduleFolder = path.dirname(fileURLToPath(import.meta.url));
  const found = findSchemaPath(moduleFolder, name);
  // A missing schema is a packaging bug, not bad input: fail loudly.
  if (found === undefined) throw new Error(`Cannot find schema/${name} in any folder above ${moduleFolder}`);
  return found;
}

/** `schema/<name>` in the nearest folder at or above `startFolder` that holds a package.json and the schema. */
export function findSchemaPath(startFolder: string, name: string): string | undefined {
  for (let folder = path.resolve(startFolder); ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'schema', name);
    if (existsSync(path.join(folder, 'package.json')) && existsSync(candidate)) return candidate;
    if (path.dirname(folder) === folder) return undefined;
  }
}

export function compileSchema<T>(name: string): ValidateFunction<T> {
  const schema = JSON.parse(readFileSync(getSchemaPath(name), 'utf8')) as object;
  // verbose: keeps the offending value on each error, so that messages can say what was found.
  return new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, discriminator: true }).compile<T>(schema);
}

/** Ajv's errors as sentences that name the place (`edges[3].kind: must be one of ...`), without repeats. */
export function toReadableErrors(root: unknown, errors: readonly ErrorObject[], rootName: string, describeItem: DescribeItem): string[] {
  const messages = errors.map((error) => `${describePath(root, error.instancePath, rootName, describeItem)}: ${describeError(error)}`);
  return [...new Set(messages)];
}

export function limitErrors(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), `... and ${errors.length - MAX_ERRORS} more`];
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${toShortJson(error.data)}`;
    case 'const':
      return error.instancePath === '/schemaVersion'
        ? `unsupported schema version ${toShortJson(error.data)}; this lambda2sfn reads version ${JSON.stringify(params.allowedValue)}`
        : `must be ${JSON.stringify(params.allowedValue)}, got ${toShortJson(error.data)}`;
    case 'type':
      return `must be ${String(params.type).replace(',', ' or ')}, got ${describeType(error.data)}`;
    case 'discriminator':
      return params.error === 'mapping'
        ? `unknown ${String(params.tag)} ${toShortJson(params.tagValue)}`
        : `missing required property "${String(params.tag)}"`;
    default:
      return `${error.message ?? 'is invalid'}${['minimum', 'maximum', 'pattern', 'maxLength', 'minLength'].includes(error.keyword) ? `, got ${toShortJson(error.data)}` : ''}`;
  }
}

/** `/edges/3/sdk/service` → `edges[3] (createOrder → notify).sdk.service`: array items carry their identity. */
function describePath(root: unknown, pointer: string, rootName: string, describeItem: DescribeItem): string {
  if (pointer === '') return rootName;
  const segments = pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let text = '';
  let current: unknown = root;
  segments.forEach((segment, index) => {
    const isIndex = Array.isArray(current) && /^\d+$/.test(segment);
    text += isIndex ? `[${segment}]` : `${text === '' ? '' : '.'}${segment}`;
    current = isObject(current) || Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
    if (isIndex) text += describeItem(segments[index - 1] ?? '', current);
  });
  return text;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${toShortJson(value)}`;
}

function toShortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
