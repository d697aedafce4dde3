import { posix } from 'node:path';
import type { Scope } from './evaluate.js';
import {
  Encoded,
  FileRef,
  Sym,
  isMap,
  isUnknown,
  joinParts,
  toJsonValue,
  toNumber,
  toStringParts,
  toText,
  unknown,
  type SymPart,
  type TfMap,
  type TfValue,
} from './values.js';

interface CallContext {
  scope: Scope;
  /** The call as written: the name of its result when it cannot be computed. */
  text: string;
}

type Builtin = (args: TfValue[], context: CallContext) => TfValue | undefined;

/**
 * Terraform's built-in functions that matter for names, paths and policies, computed when their arguments are
 * known. String functions keep unknown parts where the result still is a concatenation (`format`, `join`);
 * anything else with an unknown argument is unknown. Functions not listed here give an unknown named by the call.
 */
export function callFunction(name: string, args: TfValue[], context: CallContext): TfValue {
  const builtin = BUILTINS[name.replace(/^core::/, '')];
  if (!builtin) return unknown(context.text);
  try {
    return builtin(args, context) ?? unknown(context.text);
  } catch {
    return unknown(context.text);
  }
}

const str = (value: TfValue | undefined) => toText(value);
/** A function of strings only, computed when every argument is a known string. */
const strings =
  (fn: (...texts: string[]) => TfValue): Builtin =>
  (args) => {
    const texts = args.map(str);
    return texts.every((text) => text !== undefined) ? fn(...(texts as string[])) : undefined;
  };
const list = (value: TfValue | undefined): TfValue[] | undefined => (Array.isArray(value) ? value : undefined);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const BUILTINS: Record<string, Builtin> = {
  format: ([spec, ...values], { text }) => formatParts(spec, values, text),
  join: ([separator, ...lists]) => {
    const sep = str(separator);
    const items = lists.flatMap((item) => list(item) ?? [null]);
    if (sep === undefined || items.some((item) => item === null || Array.isArray(item) || isMap(item))) return undefined;
    const parts = items.flatMap((item, i): SymPart[] => [...(i > 0 ? [{ kind: 'literal' as const, value: sep }] : []), ...toStringParts(item, '')]);
    return joinParts(parts);
  },
  lower: strings((s) => s.toLowerCase()),
  upper: strings((s) => s.toUpperCase()),
  title: strings((s) => s.replace(/\b\w/g, (c) => c.toUpperCase())),
  trimspace: strings((s) => s.trim()),
  chomp: strings((s) => s.replace(/(\r?\n)+$/, '')),
  trim: strings((s, chars) => s.replace(new RegExp(`^[${escapeClass(chars)}]+|[${escapeClass(chars)}]+$`, 'g'), '')),
  trimprefix: strings((s, prefix) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimsuffix: strings((s, suffix) => (suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  startswith: strings((s, prefix) => s.startsWith(prefix)),
  endswith: strings((s, suffix) => s.endsWith(suffix)),
  strcontains: strings((s, part) => s.includes(part)),
  replace: strings((s, search, replacement) => {
    const regex = /^\/(.*)\/$/.exec(search);
    return regex ? s.replace(new RegExp(regex[1], 'g'), replacement.replace(/\$\{(\d+)\}/g, '$$$1')) : s.split(search).join(replacement);
  }),
  substr: ([s, offset, length]) => {
    const text = str(s);
    const start = toNumber(offset);
    const count = toNumber(length);
    if (text === undefined || start === undefined || count === undefined) return undefined;
    const chars = [...text];
    const from = start < 0 ? chars.length + start : start;
    return chars.slice(from, count < 0 ? undefined : from + count).join('');
  },
  split: strings((sep, s) => s.split(sep)),
  tostring: ([value]) => (value === null ? null : str(value) ?? (value instanceof Sym ? value : undefined)),
  tonumber: ([value]) => (value === null ? null : toNumber(value)),
  tobool: ([value]) => (typeof value === 'boolean' || value === null ? value : value === 'true' ? true : value === 'false' ? false : undefined),
  tolist: ([value]) => list(value),
  toset: ([value]) => toSet(list(value)),
  tomap: ([value]) => (isMap(value) ? value : undefined),
  length: ([value]) => {
    if (Array.isArray(value)) return value.length;
    if (isMap(value)) return value.size;
    const text = str(value);
    return text === undefined ? undefined : [...text].length;
  },
  keys: ([value]) => (isMap(value) ? [...value.keys()].toSorted(compare) : undefined),
  values: ([value]) => (isMap(value) ? [...value.entries()].toSorted(([a], [b]) => compare(a, b)).map(([, item]) => item) : undefined),
  element: ([value, index]) => {
    const items = list(value);
    const i = toNumber(index);
    if (!items?.length || i === undefined) return undefined;
    return items[((Math.floor(i) % items.length) + items.length) % items.length];
  },
  lookup: ([map, key, fallback]) => {
    const name = str(key);
    if (!isMap(map) || name === undefined) return undefined;
    return map.has(name) ? map.get(name) : fallback;
  },
  merge: (args) => {
    if (!args.every(isMap)) return undefined;
    const merged: TfMap = new Map();
    for (const map of args as TfMap[]) for (const [key, value] of map) merged.set(key, value);
    return merged;
  },
  concat: (args) => (args.every(Array.isArray) ? (args as TfValue[][]).flat() : undefined),
  flatten: ([value]) => {
    const flat = (items: TfValue[]): TfValue[] => items.flatMap((item) => (Array.isArray(item) ? flat(item) : [item]));
    const items = list(value);
    return items ? flat(items) : undefined;
  },
  distinct: ([value]) => {
    const items = list(value);
    if (!items) return undefined;
    const seen = new Set<string>();
    return items.filter((item) => {
      const key = typeof item === 'string' ? `s:${item}` : typeof item === 'number' ? `n:${item}` : undefined;
      if (key === undefined) return true;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  },
  contains: ([value, item]) => {
    const items = list(value);
    if (!items || isUnknown(item) || items.some(isUnknown)) return undefined;
    return items.some((candidate) => candidate === item);
  },
  zipmap: ([keys, values]) => {
    const names = list(keys)?.map(str);
    const items = list(values);
    if (!names || !items || names.some((name) => name === undefined)) return undefined;
    return new Map(names.map((name, i) => [name as string, items[i] ?? null]));
  },
  range: (args) => {
    const numbers = args.map(toNumber);
    if (numbers.some((n) => n === undefined)) return undefined;
    const [a, b, c] = numbers as number[];
    const [start, end, step] = numbers.length === 1 ? [0, a, 1] : [a, b, c ?? 1];
    if (step === 0 || Math.abs((end - start) / step) > 1024) return undefined;
    const out: number[] = [];
    for (let n = start; step > 0 ? n < end : n > end; n += step) out.push(n);
    return out;
  },
  coalesce: (args) => args.find((arg) => arg !== null && arg !== ''),
  coalescelist: (args) => args.find((arg) => Array.isArray(arg) && arg.length > 0),
  compact: ([value]) => list(value)?.filter((item) => item !== null && item !== ''),
  sort: ([value]) => {
    const texts = list(value)?.map(str);
    return texts?.every((text) => text !== undefined) ? (texts as string[]).toSorted(compare) : undefined;
  },
  reverse: ([value]) => list(value)?.toReversed(),
  slice: ([value, from, to]) => {
    const a = toNumber(from);
    const b = toNumber(to);
    return a === undefined || b === undefined ? undefined : list(value)?.slice(a, b);
  },
  one: ([value]) => {
    const items = list(value);
    return items && items.length <= 1 ? (items[0] ?? null) : undefined;
  },
  try: (args) => args.find((arg) => !isUnknown(arg)) ?? args[0],
  max: (args) => (args.every((arg) => toNumber(arg) !== undefined) ? Math.max(...args.map((arg) => toNumber(arg)!)) : undefined),
  min: (args) => (args.every((arg) => toNumber(arg) !== undefined) ? Math.min(...args.map((arg) => toNumber(arg)!)) : undefined),
  abs: ([value]) => (toNumber(value) === undefined ? undefined : Math.abs(toNumber(value)!)),
  ceil: ([value]) => (toNumber(value) === undefined ? undefined : Math.ceil(toNumber(value)!)),
  floor: ([value]) => (toNumber(value) === undefined ? undefined : Math.floor(toNumber(value)!)),
  jsonencode: ([value]) => {
    const encoded = new Encoded(value);
    return toText(encoded) ?? encoded;
  },
  jsondecode: ([value]) => toJsonValue(value),
  basename: strings((p) => posix.basename(p)),
  dirname: strings((p) => posix.dirname(p)),
  abspath: strings((p) => p),
  pathexpand: strings((p) => p),
  file: ([path], { scope, text }) => {
    const name = str(path);
    if (name === undefined) return undefined;
    const found = scope.readFile(name);
    return new FileRef(found.path, found.text, text);
  },
  templatefile: ([path], { scope, text }) => {
    const name = str(path);
    return name === undefined ? undefined : new FileRef(scope.readFile(name).path, undefined, text);
  },
  fileexists: ([path], { scope }) => {
    const name = str(path);
    return name === undefined ? undefined : scope.readFile(name).text !== undefined;
  },
};
// Hashes of a file name the file (a zip's source_code_hash); their value is never needed.
for (const name of ['filebase64sha256', 'filesha256', 'filemd5', 'filesha1', 'filesha512', 'filebase64']) {
  BUILTINS[name] = ([path], { scope, text }) => {
    const file = str(path);
    return file === undefined ? undefined : new FileRef(scope.readFile(file).path, undefined, text);
  };
}

/** `format("%s-%s", a, b)`: `%s`, `%d`, `%v` (and `%%`) keep unknown arguments as parts; other verbs need known ones. */
function formatParts(spec: TfValue, values: TfValue[], text: string): TfValue | undefined {
  const pattern = toText(spec);
  if (pattern === undefined) return undefined;
  const parts: SymPart[] = [];
  let next = 0;
  let literal = '';
  const verbs = /%(?:\[(\d+)\])?([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])/g;
  let last = 0;
  for (const match of pattern.matchAll(verbs)) {
    literal += pattern.slice(last, match.index);
    last = match.index + match[0].length;
    const verb = match[3];
    if (verb === '%') {
      literal += '%';
      continue;
    }
    const index = match[1] ? Number(match[1]) - 1 : next;
    next = index + 1;
    const value = values[index];
    if (value === undefined) return undefined;
    if (literal) parts.push({ kind: 'literal', value: literal });
    literal = '';
    if (verb === 's' || verb === 'v' || verb === 'd') {
      if (verb === 'd' && typeof value === 'number') parts.push({ kind: 'literal', value: String(Math.trunc(value)) });
      else if (match[2]) return unknown(text);
      else parts.push(...toStringParts(value, text));
    } else if (verb === 'q' && typeof value === 'string') parts.push({ kind: 'literal', value: JSON.stringify(value) });
    else return unknown(text);
  }
  literal += pattern.slice(last);
  if (literal) parts.push({ kind: 'literal', value: literal });
  return joinParts(parts);
}

/** `toset([...])`: Terraform orders a set of strings lexically and drops duplicates. */
function toSet(items: TfValue[] | undefined): TfValue[] | undefined {
  if (!items) return undefined;
  if (!items.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) return items;
  const texts = [...new Set(items.map(String))];
  return texts.toSorted(compare);
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}
