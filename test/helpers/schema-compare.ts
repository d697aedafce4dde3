import { Node, type Type } from 'ts-morph';

/** The part of JSON Schema our schema files use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
}

/**
 * Structural comparison of a TypeScript type with a JSON schema (`root` holds the `$defs`); returns one line per
 * difference: property names in order, optionality, null, primitive types, enums, doc comments against
 * descriptions, arrays, records, and discriminated unions (`oneOf`, matched on the `type` or `kind` literal).
 */
export function compareTypeWithSchema(type: Type, root: JsonSchema, where: string): string[] {
  const problems: string[] = [];
  compare(type, root, where, { root, problems, seen: new Set() });
  return problems;
}

interface Context {
  root: JsonSchema;
  problems: string[];
  /** `$ref`s already compared: recursive types (a step holding steps) are compared once. */
  seen: Set<string>;
}

/** Follows `$ref: '#/$defs/X'`, keeping the referring schema's description. */
export function resolveRef(node: JsonSchema, root: JsonSchema): JsonSchema {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`dangling $ref ${node.$ref}`);
  return { ...resolveRef(target, root), description: node.description ?? target.description };
}

function compare(type: Type, node: JsonSchema, where: string, context: Context): void {
  const { problems } = context;
  if (node.$ref !== undefined) {
    if (context.seen.has(node.$ref)) return;
    context.seen.add(node.$ref);
  }
  const target = resolveRef(node, context.root);
  if (type.isUnknown() || type.isAny()) {
    if (target.type !== undefined) problems.push(`${where}: type is unknown, schema ${String(target.type)}`);
    return;
  }
  const literals = type.isUnion() ? type.getUnionTypes() : [type];
  if (literals.every((member) => member.isStringLiteral() || member.isNumberLiteral())) {
    const values = literals.map((member) => member.getLiteralValue());
    const allowed = target.enum ?? [target.const];
    if (JSON.stringify(values.toSorted()) !== JSON.stringify(allowed.toSorted())) {
      problems.push(`${where}: type allows ${JSON.stringify(values)}, schema ${JSON.stringify(allowed)}`);
    }
    return;
  }
  // `null` is checked on the property (see `isNullable`); the rest of the schema type must match the TypeScript type.
  const schemaTypes = [target.type ?? []].flat().filter((kind) => kind !== 'null');
  if (type.isString() || type.isNumber() || type.isBoolean()) {
    const expected = type.isString() ? ['string'] : type.isNumber() ? ['number', 'integer'] : ['boolean'];
    if (schemaTypes.length !== 1 || !expected.includes(schemaTypes[0])) problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    return;
  }
  // A union of primitive types (`string | number | boolean`): the schema lists the same JSON types.
  if (type.isUnion() && type.getUnionTypes().every((member) => member.isString() || member.isNumber() || member.isBoolean() || member.isBooleanLiteral())) {
    const kinds = [...new Set(type.getUnionTypes().map((member) => (member.isString() ? 'string' : member.isNumber() ? 'number' : 'boolean')))];
    if (JSON.stringify(kinds.toSorted()) !== JSON.stringify(schemaTypes.toSorted())) {
      problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    }
    return;
  }
  if (type.isUnion()) {
    compareUnion(type, target, where, context);
    return;
  }
  if (type.isArray()) {
    if (target.type !== 'array' || !target.items) {
      problems.push(`${where}: type is an array, schema is not`);
      return;
    }
    compare(type.getArrayElementTypeOrThrow(), target.items, `${where}[]`, context);
    return;
  }
  if (target.type !== 'object') {
    problems.push(`${where}: type ${type.getText()}, schema ${String(target.type)}`);
    return;
  }
  const indexType = type.getStringIndexType();
  if (indexType) {
    compareRecord(indexType, target, where, problems);
    return;
  }
  compareObject(type, target, where, context);
}

/** A union of object types: each member matches the `oneOf` entry with the same discriminant (`type` or `kind`). */
function compareUnion(type: Type, target: JsonSchema, where: string, context: Context): void {
  const entries = target.oneOf ?? [];
  const members = type.getUnionTypes();
  if (entries.length !== members.length) {
    context.problems.push(`${where}: a union of ${members.length} types, schema oneOf has ${entries.length}`);
    return;
  }
  for (const member of members) {
    const discriminant = getDiscriminant(member);
    if (!discriminant) {
      context.problems.push(`${where}: union member ${member.getText()} has no literal \`type\` or \`kind\``);
      continue;
    }
    const entry = entries.find((candidate) => resolveRef(candidate, context.root).properties?.[discriminant.key]?.const === discriminant.value);
    if (!entry) context.problems.push(`${where}: no oneOf entry with ${discriminant.key} ${JSON.stringify(discriminant.value)}`);
    else compare(member, entry, `${where}<${discriminant.value}>`, context);
  }
}

function getDiscriminant(member: Type): { key: string; value: unknown } | undefined {
  for (const key of ['type', 'kind']) {
    const property = member.getProperty(key);
    const declaration = property?.getDeclarations()[0];
    if (!property || !declaration) continue;
    const propertyType = property.getTypeAtLocation(declaration);
    if (propertyType.isStringLiteral()) return { key, value: propertyType.getLiteralValue() };
  }
  return undefined;
}

function compareRecord(indexType: Type, target: JsonSchema, where: string, problems: string[]): void {
  const valueSchema = typeof target.additionalProperties === 'object' ? target.additionalProperties : undefined;
  if (valueSchema && !indexType.isUnknown()) {
    const kinds = (indexType.isUnion() ? indexType.getUnionTypes() : [indexType]).map((member) =>
      member.isString() ? 'string' : member.isNumber() ? 'number' : member.isBoolean() || member.isBooleanLiteral() ? 'boolean' : member.getText(),
    );
    const expected = [...new Set(kinds)].toSorted();
    if (JSON.stringify(expected) !== JSON.stringify([valueSchema.type ?? []].flat().toSorted())) {
      problems.push(`${where}: record values ${JSON.stringify(expected)}, schema ${JSON.stringify(valueSchema.type)}`);
    }
  } else if (target.properties) {
    problems.push(`${where}: a record in the type, fixed properties in the schema`);
  }
}

function compareObject(type: Type, target: JsonSchema, where: string, context: Context): void {
  const { problems } = context;
  const properties = type.getProperties();
  const names = properties.map((property) => property.getName());
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(target.properties ?? {}))) {
    problems.push(`${where}: properties ${JSON.stringify(names)}, schema ${JSON.stringify(Object.keys(target.properties ?? {}))}`);
    return;
  }
  if (target.additionalProperties !== false) problems.push(`${where}: schema allows additional properties`);
  const required = properties.filter((property) => !property.isOptional()).map((property) => property.getName());
  if (JSON.stringify(required) !== JSON.stringify(target.required ?? [])) {
    problems.push(`${where}: required ${JSON.stringify(required)}, schema ${JSON.stringify(target.required ?? [])}`);
  }
  for (const property of properties) {
    const declaration = property.getDeclarations()[0];
    if (!declaration) continue;
    const propertySchema = target.properties?.[property.getName()] ?? {};
    const doc = Node.isPropertySignature(declaration)
      ? declaration.getJsDocs().map((jsDoc) => jsDoc.getDescription().trim().replace(/\s+/g, ' ')).join(' ')
      : '';
    if (doc !== '' && doc !== propertySchema.description) {
      problems.push(`${where}.${property.getName()}: doc ${JSON.stringify(doc)}, schema ${JSON.stringify(propertySchema.description)}`);
    }
    const propertyType = property.getTypeAtLocation(declaration);
    if (isNullable(propertyType) !== isNullable(resolveRef(propertySchema, context.root))) {
      problems.push(`${where}.${property.getName()}: null ${isNullable(propertyType) ? 'allowed' : 'not allowed'} in the type, not in the schema`);
    }
    const nonNullable = propertyType.isUnknown() ? propertyType : propertyType.getNonNullableType();
    compare(nonNullable, propertySchema, `${where}.${property.getName()}`, context);
  }
}

/** Whether a type admits `null` (not `undefined`: optionality is checked with `required`), or a schema does. */
function isNullable(value: Type | JsonSchema): boolean {
  if ('getUnionTypes' in value) return value.isNull() || (value.isUnion() && value.getUnionTypes().some((member) => member.isNull()));
  return [value.type ?? []].flat().includes('null') || (value.enum ?? []).includes(null);
}
