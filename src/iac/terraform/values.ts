/**
 * What a Terraform expression evaluates to here: plain data when it is known statically, and symbolic values
 * for the rest, so that `"${local.prefix}-orders"` stays a string with an unknown part and
 * `aws_sqs_queue.jobs.url` stays a reference to the queue.
 */

export type SymPart =
  | { kind: 'literal'; value: string }
  /** Something we cannot evaluate, named by how it was written (`var.stage`, `data.aws_region.current.name`). */
  | { kind: 'unknown'; text: string }
  /** An attribute of a resource computed at apply time (`aws_sqs_queue.jobs.url`): `address` is the resource's. */
  | { kind: 'attr'; address: string; attribute: string };

/** A string that is not fully known. */
export class Sym {
  constructor(readonly parts: readonly SymPart[]) {}
}

/** `jsonencode(x)` where x is not fully static: kept as the value, so readers can look inside (redrive policies). */
export class Encoded {
  constructor(readonly value: TfValue) {}
}

/** `file(...)`, `templatefile(...)`, `filebase64sha256(...)`: the path (from the analysed folder) and, for `file`, the text. */
export class FileRef {
  constructor(
    readonly path: string | undefined,
    readonly text: string | undefined,
    readonly call: string,
  ) {}
}

/** An object whose attributes are computed on demand: a resource instance, a module's outputs, `var`, `local`. */
export class LazyObject {
  constructor(
    readonly text: string,
    private readonly getter: (name: string) => TfValue | undefined,
  ) {}

  get(name: string): TfValue | undefined {
    return this.getter(name);
  }
}

const HOLE = '\uE0FF';

export type TfValue = null | string | number | boolean | TfValue[] | TfMap | Sym | Encoded | FileRef | LazyObject;
export type TfMap = Map<string, TfValue>;

export function unknown(text: string): Sym {
  return new Sym([{ kind: 'unknown', text }]);
}

export function isMap(value: TfValue | undefined): value is TfMap {
  return value instanceof Map;
}

export function isUnknown(value: TfValue | undefined): boolean {
  return value instanceof Sym && value.parts.some((part) => part.kind !== 'literal');
}

/** A value as string parts: text stays text, numbers and booleans are written as Terraform writes them. */
export function toStringParts(value: TfValue | undefined, text: string): SymPart[] {
  if (typeof value === 'string') return [{ kind: 'literal', value }];
  if (typeof value === 'number' || typeof value === 'boolean') return [{ kind: 'literal', value: String(value) }];
  if (value instanceof Sym) return [...value.parts];
  if (value instanceof FileRef) return value.text === undefined ? [{ kind: 'unknown', text: value.call }] : [{ kind: 'literal', value: value.text }];
  if (value instanceof Encoded) return renderJson(value.value);
  return [{ kind: 'unknown', text }];
}

/** Parts joined: a plain string when every part is literal. */
export function joinParts(parts: readonly SymPart[]): string | Sym {
  const merged: SymPart[] = [];
  for (const part of parts) {
    const previous = merged.at(-1);
    if (part.kind === 'literal' && part.value === '') continue;
    if (part.kind === 'literal' && previous?.kind === 'literal') merged[merged.length - 1] = { kind: 'literal', value: previous.value + part.value };
    else merged.push(part);
  }
  if (merged.length === 0) return '';
  if (merged.length === 1 && merged[0].kind === 'literal') return merged[0].value;
  return new Sym(merged);
}

/** The value as a string, if it is one (numbers and booleans convert, as in Terraform). */
export function toText(value: TfValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof FileRef) return value.text;
  if (value instanceof Encoded) {
    const joined = joinParts(renderJson(value.value));
    return typeof joined === 'string' ? joined : undefined;
  }
  return undefined;
}

export function toNumber(value: TfValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export function toBoolean(value: TfValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function lit(text: string): SymPart {
  return { kind: 'literal', value: text };
}

/** `jsonencode` of a value with unknown parts: JSON text whose string values may hold unknowns. */
function renderJson(value: TfValue): SymPart[] {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return [lit(JSON.stringify(value))];
  if (typeof value === 'string') return [lit(JSON.stringify(value))];
  if (value instanceof Sym) {
    const inner = value.parts.map((part) => (part.kind === 'literal' ? lit(JSON.stringify(part.value).slice(1, -1)) : part));
    return [lit('"'), ...inner, lit('"')];
  }
  if (Array.isArray(value)) return [lit('['), ...value.flatMap((item, i) => [...(i ? [lit(',')] : []), ...renderJson(item)]), lit(']')];
  if (value instanceof Map) {
    const entries = [...value.entries()].toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [lit('{'), ...entries.flatMap(([key, item], i) => [lit(`${i ? ',' : ''}${JSON.stringify(key)}:`), ...renderJson(item)]), lit('}')];
  }
  if (value instanceof Encoded) return renderJson(joinParts(renderJson(value.value)));
  return [{ kind: 'unknown', text: value instanceof FileRef ? value.call : value.text }];
}

/**
 * A JSON document given as a string, a partly unknown string or `jsonencode(...)`, as a value: unknown parts of a
 * string are kept (`"${aws_sqs_queue.dlq.arn}"` inside a heredoc policy stays a reference). Undefined when not JSON.
 */
export function toJsonValue(value: TfValue | undefined): TfValue | undefined {
  if (value instanceof Encoded) return value.value;
  if (isMap(value)) return value;
  if (value instanceof FileRef) return value.text === undefined ? undefined : toJsonValue(value.text);
  if (typeof value !== 'string' && !(value instanceof Sym)) return undefined;
  // Unknown parts become placeholders (a private-use character, allowed raw in JSON strings) while parsing, then
  // come back inside the strings that hold them.
  const holes: SymPart[] = [];
  const text = (typeof value === 'string' ? [{ kind: 'literal', value } as SymPart] : value.parts)
    .map((part) => (part.kind === 'literal' ? part.value : `${HOLE}${holes.push(part) - 1}${HOLE}`))
    .join('');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const restore = (item: unknown): TfValue => {
    if (typeof item === 'string') {
      if (!item.includes(HOLE)) return item;
      const parts = item.split(HOLE).map((piece, i): SymPart => (i % 2 ? holes[Number(piece)] : { kind: 'literal', value: piece }));
      return joinParts(parts);
    }
    if (Array.isArray(item)) return item.map(restore);
    if (item !== null && typeof item === 'object') return new Map(Object.entries(item).map(([key, inner]) => [key, restore(inner)]));
    return item as TfValue;
  };
  return restore(parsed);
}

/** Plain JSON text of a static value (for trigger details such as event patterns); undefined when partly unknown. */
export function toJsonText(value: TfValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parts = renderJson(value);
  const joined = joinParts(parts);
  return typeof joined === 'string' ? joined : undefined;
}
