import type { PayloadAnnotation, PayloadField } from '../../types/annotations.js';
import type { Sym } from '../../types/summary.js';
import type { SdkCallMatch } from '../detect-sdk-calls.js';
import type { Evaluator, Val } from '../evaluate.js';
import type { EdgeChain } from './chain.js';
import { traceOrigin, type OriginContext } from './trace-origin.js';
import { toJsonPath } from './values.js';

/** Calls that only change how a payload is carried: `encoder.encode(s)`, `Buffer.from(s)`, `fromUtf8(s)`. */
const CARRIERS = new Set(['encode', 'from', 'fromUtf8', 'toUtf8', 'toString']);

/**
 * The payload of an edge's request (`Payload`, `MessageBody`, `Message`, an entry's `Detail`, `input`): its
 * top-level fields and where each comes from, and its size when it is literal or partly known.
 */
export function readPayload(chain: EdgeChain, match: SdkCallMatch, origins: OriginContext): PayloadAnnotation | undefined {
  const { evaluator } = origins;
  if (!match.request || !match.payloadProperty) return undefined;
  const found = readProperty(match.request, match.payloadProperty, evaluator);
  if (!found) return undefined;
  let value = found.value;
  let encoding: PayloadAnnotation['encoding'] = 'unknown';
  for (let i = 0; i < 6 && value.s.k === 'call'; i++) {
    const call: Sym & { k: 'call' } = value.s;
    const callee = evaluator.evaluate(call.callee, value.env);
    const name = callee.s.k === 'global' ? callee.s.name : call.callee.k === 'get' ? call.callee.prop : callee.s.k === 'import' ? callee.s.name : '';
    if (name === 'JSON.stringify' || name === 'stringify') encoding = 'json';
    else if (!CARRIERS.has(name.slice(name.lastIndexOf('.') + 1))) break;
    if (!call.args[0]) break;
    value = evaluator.evaluate(call.args[0], value.env);
  }
  const site = chain.calls[chain.siteIndex];
  const shown = value;
  const argIndex = site.call.args.findIndex((arg) => evaluator.evaluate(arg, site.env).s === shown.s);
  const text = argIndex >= 0 ? site.call.argText[argIndex] : (found.text ?? match.payloadText ?? '');
  if (encoding === 'unknown' && (value.s.k === 'str' || value.s.k === 'cat')) encoding = 'string';
  const annotation: PayloadAnnotation = { encoding, fields: [], file: site.file, line: site.call.line, property: match.payloadProperty, text };
  if (encoding === 'string') {
    if (value.s.k === 'str') annotation.bytes = byteLength(value.s.v);
    annotation.minBytes = value.s.k === 'str' || value.s.k === 'cat' ? getStringMin(value.s) : 0;
    return annotation;
  }
  if (value.s.k === 'obj') {
    for (const prop of value.s.props.slice(0, 40)) annotation.fields.push(toField(prop.key, prop.value, prop.t, value, origins));
    if (value.s.spreads?.length) annotation.spreads = value.s.spreads.map((spread) => `...${showSym(spread)}`);
  }
  if (encoding === 'json') {
    const literal = getLiteral(value, evaluator, 0);
    if (literal !== undefined) annotation.bytes = byteLength(JSON.stringify(literal));
    annotation.minBytes = getJsonMin(value, evaluator, 0);
  }
  return annotation;
}

/** The payload property's value (`Entries[].Detail`: the first entry's), and its source text when the walk kept it. */
function readProperty(request: Val, property: string, evaluator: Evaluator): { value: Val; text?: string } | undefined {
  const [head, rest] = property.split('[].');
  let owner = request;
  let key = head;
  if (rest !== undefined) {
    const entry = getFirstEntry(evaluator.getProperty(request, head, 0), evaluator);
    if (!entry) return undefined;
    owner = entry;
    key = rest;
  }
  const value = evaluator.getProperty(owner, key, 0);
  if (value.s.k === 'nil') return undefined;
  const prop = owner.s.k === 'obj' ? owner.s.props.findLast((p) => p.key === key) : undefined;
  return { value, ...(prop?.t ? { text: prop.t } : {}) };
}

/** The first entry of a list: `[a, b]` gives `a`; `items.map((item) => ({ ... }))` gives the object the callback returns. */
function getFirstEntry(list: Val, evaluator: Evaluator): Val | undefined {
  if (list.s.k === 'arr') return list.s.items.length ? evaluator.evaluate(list.s.items[0], list.env) : undefined;
  if (list.s.k !== 'call' || list.s.callee.k !== 'get' || list.s.callee.prop !== 'map' || !list.s.args[0]) return undefined;
  const callback = evaluator.evaluate(list.s.args[0], list.env);
  if (callback.s.k !== 'fn') return undefined;
  const returned = evaluator.getSummary(callback.env.file)?.functions[callback.s.id]?.returns[0];
  return returned ? evaluator.evaluate(returned, callback.env) : undefined;
}

function toField(key: string, sym: Sym, text: string | undefined, owner: Val, origins: OriginContext): PayloadField {
  const origin = traceOrigin(sym, owner.env, origins);
  const field: PayloadField = { from: text ?? showSym(sym), key, source: origin.source === 'error' ? 'local' : origin.source };
  if ((origin.source === 'event' || origin.source === 'element') && origin.path && !origin.computed) field.path = toJsonPath(origin.path);
  return field;
}

/** The value when every part of it is literal (constants evaluated), else undefined. */
function getLiteral(value: Val, evaluator: Evaluator, depth: number): unknown {
  if (depth > 8) return undefined;
  const s = value.s;
  switch (s.k) {
    case 'str':
    case 'num':
    case 'bool':
      return s.v;
    case 'nil':
      return null;
    case 'obj': {
      if (s.spreads?.length) return undefined;
      const out: Record<string, unknown> = {};
      for (const prop of s.props) {
        const inner = getLiteral(evaluator.evaluate(prop.value, value.env), evaluator, depth + 1);
        if (inner === undefined) return undefined;
        out[prop.key] = inner;
      }
      return out;
    }
    case 'arr': {
      const out: unknown[] = [];
      for (const item of s.items) {
        const inner = getLiteral(evaluator.evaluate(item, value.env), evaluator, depth + 1);
        if (inner === undefined) return undefined;
        out.push(inner);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A lower bound of the JSON size: keys and literal values counted exactly, anything else as its smallest JSON (1 byte, `""` for strings). */
function getJsonMin(value: Val, evaluator: Evaluator, depth: number): number {
  const literal = getLiteral(value, evaluator, depth);
  if (literal !== undefined) return byteLength(JSON.stringify(literal));
  if (depth > 8) return 1;
  const s = value.s;
  switch (s.k) {
    case 'obj': {
      let size = 2 + Math.max(0, s.props.length - 1);
      for (const prop of s.props) size += byteLength(JSON.stringify(prop.key)) + 1 + getJsonMin(evaluator.evaluate(prop.value, value.env), evaluator, depth + 1);
      return size;
    }
    case 'arr': {
      let size = 2 + Math.max(0, s.items.length - 1);
      for (const item of s.items) size += getJsonMin(evaluator.evaluate(item, value.env), evaluator, depth + 1);
      return size;
    }
    case 'cat':
      return 2 + getStringMin(s);
    default:
      return 1;
  }
}

function getStringMin(sym: Sym): number {
  if (sym.k === 'str') return byteLength(sym.v);
  if (sym.k === 'cat') return sym.parts.reduce((size, part) => size + (part.k === 'str' ? byteLength(part.v) : 0), 0);
  return 0;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A value as it reads in the code, rebuilt from its symbolic form (`order.orderId`, `` `${order.orderId}:authorize` ``). */
export function showSym(sym: Sym, depth = 0): string {
  if (depth > 6) return '…';
  const next = depth + 1;
  switch (sym.k) {
    case 'str':
      return `'${sym.v}'`;
    case 'num':
    case 'bool':
      return String(sym.v);
    case 'nil':
      return 'undefined';
    case 'env':
      return `process.env.${sym.name}`;
    case 'self':
      return 'context.functionName';
    case 'cat':
      return `\`${sym.parts.map((part) => (part.k === 'str' ? part.v : `\${${showSym(part, next)}}`)).join('')}\``;
    case 'ref':
      return sym.name;
    case 'param':
      return `<parameter ${sym.index + 1}>`;
    case 'import':
      return sym.name === '*' || sym.name === 'default' ? sym.source : sym.name;
    case 'get':
      return `${showSym(sym.obj, next)}.${sym.prop}`;
    case 'obj':
      return '{…}';
    case 'arr':
      return '[…]';
    case 'call':
      return `${showSym(sym.callee, next)}(${sym.args.length ? '…' : ''})`;
    case 'new':
      return `new ${showSym(sym.callee, next)}(${sym.args.length ? '…' : ''})`;
    case 'fn':
      return '(function)';
    case 'or':
      return sym.options.map((option) => showSym(option, next)).join(' ?? ');
    case 'elem':
      return `element of ${showSym(sym.of, next)}`;
    case 'unknown':
      return sym.text;
  }
}
