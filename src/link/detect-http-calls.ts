import type { HttpCallShape, HttpClientDetector, HttpUrlSpec } from '../types/analyzers.js';
import type { CallRecord, ObjProp } from '../types/summary.js';
import type { Env, Evaluator, Val } from './evaluate.js';

/** An HTTP call found in the code, its URL still a symbolic value. */
export interface HttpCallMatch {
  kind: 'http';
  /** The client library (`fetch`, `axios`, ...). */
  client: string;
  /** The HTTP method, upper case; undefined when the code decides it at run time. */
  method?: string;
  /**
   * The URL, as the values it is the concatenation of: the URL written at the call; or the base URL of a configured
   * instance (`axios.create({ baseURL })`) then the path; or `https://`, a host and a path (`https.request(options)`).
   */
  url: Val[];
  /** How the URL is written at the call. */
  targetText: string;
}

/** What a callee is: a client member, and the base URL of the instance it belongs to. */
interface ClientCall {
  client: HttpClientDetector;
  member: string;
  base?: Val;
}

/**
 * Recognises HTTP calls among a file's recorded calls: the global `fetch`, axios, got and Node's `https`, however
 * they are imported, and instances made with `axios.create({ baseURL })` / `got.extend({ prefixUrl })` (also when
 * kept in a module variable or a class field).
 */
export class HttpCallDetector {
  constructor(
    private readonly clients: readonly HttpClientDetector[],
    private readonly evaluator: Evaluator,
  ) {}

  detect(call: CallRecord, env: Env): HttpCallMatch[] {
    const callee = this.getClientCall(this.evaluator.evaluate(call.callee, env));
    if (!callee) return [];
    const shape = callee.client.calls.find((candidate) => candidate.member === callee.member);
    if (!shape) return [];
    const args = call.args.map((arg) => this.evaluator.evaluate(arg, env));
    const url = this.readUrl(shape, args, call.argText);
    // An absolute URL ignores the instance's base URL, as axios and got do.
    const absolute = url?.vals[0]?.s.k === 'str' && /^https?:\/\//.test(url.vals[0].s.v);
    return [
      {
        kind: 'http',
        client: callee.client.id,
        ...this.readMethod(shape, args),
        url: url ? (callee.base && !absolute ? [callee.base, ...url.vals] : url.vals) : [],
        targetText: url?.text ?? call.argText[0] ?? 'url',
      },
    ];
  }

  private getClientCall(value: Val, depth = 0): ClientCall | undefined {
    if (depth > 4) return undefined;
    const s = value.s;
    if (s.k === 'global') {
      const client = this.clients.find((c) => c.sources.some((source) => 'global' in source && source.global === s.name));
      return client ? { client, member: '' } : undefined;
    }
    if (s.k === 'import') {
      for (const client of this.clients) {
        for (const source of client.sources) {
          if (!('module' in source) || source.module !== s.source) continue;
          if (s.name === source.export) return { client, member: '' };
          if (source.export === '*' || source.export === 'default') return { client, member: s.name };
        }
      }
      return undefined;
    }
    // `api.post(...)` on an instance, or `api(...)` itself.
    if (s.k === 'get') {
      const instance = this.getInstance(this.evaluator.evaluate(s.obj, value.env), depth);
      return instance ? { ...instance, member: s.prop } : undefined;
    }
    if (s.k === 'call') {
      const instance = this.getInstance(value, depth);
      return instance ? { ...instance, member: '' } : undefined;
    }
    return undefined;
  }

  /** `axios.create({ baseURL })`: the client and the base URL its calls start with. */
  private getInstance(value: Val, depth: number): Omit<ClientCall, 'member'> | undefined {
    for (const alt of this.evaluator.alternatives(value)) {
      if (alt.s.k !== 'call') continue;
      const factory = this.getClientCall(this.evaluator.evaluate(alt.s.callee, alt.env), depth + 1);
      const spec = factory?.client.instances?.find((instance) => instance.member === factory.member);
      if (!factory || !spec) continue;
      const options = alt.s.args[0] ? this.evaluator.evaluate(alt.s.args[0], alt.env) : undefined;
      const base = options ? this.evaluator.getProperty(options, spec.baseUrl, 0) : undefined;
      return { client: factory.client, ...(base && base.s.k !== 'nil' ? { base } : {}) };
    }
    return undefined;
  }

  private readUrl(shape: HttpCallShape, args: Val[], argText: string[]): { vals: Val[]; text: string } | undefined {
    for (const spec of shape.url) {
      const found = this.readUrlSpec(spec, args, argText);
      if (found) return found;
    }
    return undefined;
  }

  private readUrlSpec(spec: HttpUrlSpec, args: Val[], argText: string[]): { vals: Val[]; text: string } | undefined {
    const arg = args[spec.arg];
    if (!arg) return undefined;
    if (spec.prop === undefined) return isObjectLike(arg) ? undefined : { vals: [arg], text: argText[spec.arg] ?? 'url' };
    if (!isObjectLike(arg)) return undefined;
    const value = this.evaluator.getProperty(arg, spec.prop, 0);
    if (value.s.k === 'nil') return undefined;
    const text = findProp(arg, spec.prop)?.t ?? spec.prop;
    if (spec.path === undefined) return { vals: [value], text };
    // `{ hostname, path }`: the URL `https://<hostname><path>`.
    const path = this.evaluator.getProperty(arg, spec.path, 0);
    const scheme: Val = { s: { k: 'str', v: 'https://' }, env: value.env };
    return { vals: path.s.k === 'nil' ? [scheme, value] : [scheme, value, path], text: `${text} + ${findProp(arg, spec.path)?.t ?? spec.path}` };
  }

  private readMethod(shape: HttpCallShape, args: Val[]): { method?: string } {
    if (shape.method) return { method: shape.method };
    for (const from of shape.methodFrom ?? []) {
      const arg = args[from.arg];
      if (!arg || !isObjectLike(arg)) continue;
      const value = this.evaluator.getProperty(arg, from.prop, 0);
      if (value.s.k === 'nil') continue;
      return value.s.k === 'str' ? { method: value.s.v.toUpperCase() } : {};
    }
    return shape.defaultMethod ? { method: shape.defaultMethod } : {};
  }
}

function isObjectLike(value: Val): boolean {
  return value.s.k === 'obj';
}

function findProp(obj: Val, key: string): ObjProp | undefined {
  if (obj.s.k !== 'obj') return undefined;
  for (let i = obj.s.props.length - 1; i >= 0; i--) if (obj.s.props[i].key === key) return obj.s.props[i];
  return undefined;
}
