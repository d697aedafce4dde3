import { getText, getTruthiness, joinParts, toBool, toStr, toStrParts, UNDEF, type Value } from './values.js';

/** Calls a function value of the evaluated code with arguments (for callbacks of `map`, `forEach`...). */
export type Invoke = (callback: Value, args: Value[]) => Value;

/** String methods on fully known strings (ids and names are often computed: `name.charAt(0).toUpperCase()`). */
export function callStringMethod(value: Value & { t: 'str' }, method: string, args: Value[]): Value | undefined {
  const text = getText(value);
  if (method === 'concat') return { t: 'str', parts: joinParts([...value.parts, ...args.flatMap((arg) => toStrParts(arg, method))]) };
  if (method === 'toString' || method === 'valueOf') return value;
  if (text === undefined) return undefined;
  const arg = (index: number) => getText(args[index]);
  const num = (index: number) => (args[index]?.t === 'num' ? (args[index] as { v: number }).v : undefined);
  switch (method) {
    case 'toUpperCase':
    case 'toLocaleUpperCase':
      return toStr(text.toUpperCase());
    case 'toLowerCase':
    case 'toLocaleLowerCase':
      return toStr(text.toLowerCase());
    case 'trim':
      return toStr(text.trim());
    case 'charAt':
      return toStr(text.charAt(num(0) ?? 0));
    case 'slice':
      return toStr(text.slice(num(0), num(1)));
    case 'substring':
      return toStr(text.substring(num(0) ?? 0, num(1)));
    case 'replace':
    case 'replaceAll': {
      const search = arg(0);
      const replacement = arg(1);
      if (search === undefined || replacement === undefined) return undefined;
      return toStr(method === 'replace' ? text.replace(search, () => replacement) : text.replaceAll(search, () => replacement));
    }
    case 'split': {
      const separator = arg(0);
      return separator === undefined ? undefined : { t: 'arr', items: text.split(separator).map(toStr) };
    }
    case 'startsWith':
    case 'endsWith':
    case 'includes': {
      const search = arg(0);
      return search === undefined ? undefined : toBool(text[method](search));
    }
    case 'padStart':
    case 'padEnd': {
      const length = num(0);
      return length === undefined ? undefined : toStr(text[method](length, arg(1) ?? ' '));
    }
    default:
      return undefined;
  }
}

/** Array methods: the loops and transformations CDK apps write over lists of names. */
export function callArrayMethod(value: Value & { t: 'arr' }, method: string, args: Value[], invoke: Invoke, maxItems = Number.POSITIVE_INFINITY): Value | undefined {
  // Callbacks run for the first `maxItems` items only (a generated list of thousands is not architecture).
  const items = ['forEach', 'map', 'flatMap', 'filter', 'find'].includes(method) ? value.items.slice(0, maxItems) : value.items;
  const callback = args[0];
  const each = (item: Value, index: number) => invoke(callback, [item, { t: 'num', v: index }, value]);
  switch (method) {
    case 'forEach':
      items.forEach((item, index) => each(item, index));
      return UNDEF;
    case 'map':
      return { t: 'arr', items: items.map(each) };
    case 'flatMap':
      return { t: 'arr', items: items.flatMap((item, index) => {
        const result = each(item, index);
        return result.t === 'arr' ? result.items : [result];
      }) };
    case 'filter':
      // A predicate we cannot decide keeps the item: better one resource too many than one missing.
      return { t: 'arr', items: items.filter((item, index) => getTruthiness(each(item, index)) !== false) };
    case 'find': {
      for (const [index, item] of items.entries()) {
        const verdict = getTruthiness(each(item, index));
        if (verdict === true) return item;
        if (verdict === undefined) return undefined;
      }
      return UNDEF;
    }
    case 'some':
    case 'every':
      return undefined;
    case 'concat':
      return { t: 'arr', items: [...items, ...args.flatMap((arg) => (arg.t === 'arr' ? arg.items : [arg]))] };
    case 'push':
      items.push(...args);
      return { t: 'num', v: items.length };
    case 'slice':
      return { t: 'arr', items: items.slice(args[0]?.t === 'num' ? args[0].v : 0, args[1]?.t === 'num' ? args[1].v : undefined) };
    case 'includes': {
      const wanted = getText(args[0]);
      if (wanted === undefined) return undefined;
      const texts = items.map(getText);
      return texts.includes(wanted) ? toBool(true) : texts.every((text) => text !== undefined) ? toBool(false) : undefined;
    }
    case 'join': {
      const separator = args[0] ? (getText(args[0]) ?? ',') : ',';
      const parts = items.flatMap((item, index) => [...(index ? [{ k: 'lit' as const, v: separator }] : []), ...toStrParts(item, 'item')]);
      return { t: 'str', parts: joinParts(parts) };
    }
    case 'entries':
      return { t: 'arr', items: items.map((item, index) => ({ t: 'arr', items: [{ t: 'num', v: index }, item] })) };
    case 'reverse':
      return { t: 'arr', items: [...items].reverse() };
    default:
      return undefined;
  }
}

/** `Object.keys/values/entries/assign/fromEntries/freeze`, `JSON.stringify/parse`, `String`, `Number`, `Array.from`. */
export function callGlobalFunction(name: string, args: Value[]): Value | undefined {
  const first = args[0];
  switch (name) {
    case 'Object.keys':
      return first?.t === 'obj' ? { t: 'arr', items: [...first.props.keys()].map(toStr) } : undefined;
    case 'Object.values':
      return first?.t === 'obj' ? { t: 'arr', items: [...first.props.values()] } : undefined;
    case 'Object.entries':
      return first?.t === 'obj' ? { t: 'arr', items: [...first.props].map(([key, item]) => ({ t: 'arr', items: [toStr(key), item] })) } : undefined;
    case 'Object.freeze':
      return first;
    case 'Object.assign': {
      if (first?.t !== 'obj') return undefined;
      for (const source of args.slice(1)) if (source.t === 'obj') for (const [key, item] of source.props) first.props.set(key, item);
      return first;
    }
    case 'Object.fromEntries': {
      if (first?.t !== 'arr') return undefined;
      const props = new Map<string, Value>();
      for (const entry of first.items) {
        const key = entry.t === 'arr' ? getText(entry.items[0]) : undefined;
        if (key === undefined || entry.t !== 'arr') return undefined;
        props.set(key, entry.items[1] ?? UNDEF);
      }
      return { t: 'obj', props };
    }
    case 'Array.from':
      return first?.t === 'arr' ? { t: 'arr', items: [...first.items] } : undefined;
    case 'String':
      return first ? { t: 'str', parts: toStrParts(first, 'String(...)') } : toStr('');
    case 'Number': {
      const text = getText(first);
      return text === undefined ? undefined : { t: 'num', v: Number(text) };
    }
    case 'JSON.stringify': {
      const json = first ? toPlainJson(first) : undefined;
      return json === undefined ? undefined : toStr(JSON.stringify(json));
    }
    case 'JSON.parse': {
      const text = getText(first);
      if (text === undefined) return undefined;
      try {
        return fromPlainJson(JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** A fully known value as plain JSON, or undefined. */
export function toPlainJson(value: Value, depth = 0): unknown {
  if (depth > 50) return undefined;
  switch (value.t) {
    case 'str':
      return getText(value);
    case 'num':
    case 'bool':
      return value.v;
    case 'null':
      return null;
    case 'arr': {
      const items = value.items.map((item) => toPlainJson(item, depth + 1));
      return items.includes(undefined) ? undefined : items;
    }
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value.props) {
        if (item.t === 'undef') continue;
        const json = toPlainJson(item, depth + 1);
        if (json === undefined) return undefined;
        out[key] = json;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Parsed JSON (a `cdk.json` context, an imported `config.json`) as a value. */
export function fromPlainJson(json: unknown, depth = 0): Value {
  if (depth > 100) return { t: 'unknown', text: 'json' };
  if (json === null) return { t: 'null' };
  if (typeof json === 'string') return toStr(json);
  if (typeof json === 'number') return { t: 'num', v: json };
  if (typeof json === 'boolean') return toBool(json);
  if (Array.isArray(json)) return { t: 'arr', items: json.map((item) => fromPlainJson(item, depth + 1)) };
  if (typeof json === 'object') {
    return { t: 'obj', props: new Map(Object.entries(json as Record<string, unknown>).map(([key, item]) => [key, fromPlainJson(item, depth + 1)])) };
  }
  return UNDEF;
}
