import type { Sym } from '../types/summary.js';
import type { Env, Evaluator, NSym, Val } from './evaluate.js';

/** A parameter whose value decides the target: the wrapper's callers know it. */
export interface ParamRef {
  file: string;
  fn: number;
  index: number;
}

/** One piece of a target string as far as the code tells. */
export type PatternPart =
  | { t: 'lit'; v: string }
  /** `process.env.NAME`: bound per function from its IaC environment. */
  | { t: 'env'; name: string }
  /** The running function's own name. */
  | { t: 'self' }
  /** Something the code does not fix: `why` says what, `param` when a caller could tell. */
  | { t: 'wild'; why: string; param?: ParamRef }
  /** The value of an SSM parameter read at run time (`GetParameterCommand({ Name })`): bound to what the IaC writes in it. */
  | { t: 'ssm'; name: StringPattern };

export interface StringPattern {
  parts: PatternPart[];
}

const MAX_PATTERNS = 16;

/**
 * Every string a target value may be, as patterns of literal text, environment variables and unknown parts.
 * `getQueueUrl({ QueueName })` results become the queue name; the matcher accepts names as well as URLs.
 */
export function toStringPatterns(val: Val, evaluator: Evaluator, depth = 0): StringPattern[] {
  if (depth > 12) return [wildPattern('too deep to follow')];
  const out: StringPattern[] = [];
  for (const alt of evaluator.alternatives(val)) {
    for (const pattern of toPatternsOfOne(alt, evaluator, depth)) {
      if (out.length < MAX_PATTERNS) out.push(pattern);
    }
  }
  return out.length ? out : [wildPattern('no value')];
}

function toPatternsOfOne(val: Val, evaluator: Evaluator, depth: number): StringPattern[] {
  const s = val.s;
  switch (s.k) {
    case 'str':
      return [{ parts: [{ t: 'lit', v: s.v }]}];
    case 'num':
      return [{ parts: [{ t: 'lit', v: String(s.v) }]}];
    case 'env':
      return [{ parts: [{ t: 'env', name: s.name }]}];
    case 'self':
      return [{ parts: [{ t: 'self' }]}];
    case 'cat':
      return concatAll(s.parts.map((part) => toStringPatterns(evaluator.evaluate(part, val.env), evaluator, depth + 1)));
    case 'param':
      return [
        {
          parts: [{ t: 'wild', why: describeParam(val, evaluator), param: { file: val.env.file, fn: s.fn, index: s.index } }],
        },
      ];
    case 'get': {
      const queueName = getQueueNameLookup(val, evaluator);
      if (queueName) return toStringPatterns(queueName, evaluator, depth + 1);
      const parameterName = getParameterLookup(val, evaluator);
      if (parameterName) return toParameterPatterns(parameterName, evaluator, depth);
      // `params.FunctionName` where `params` is a parameter: the callers pass the request.
      let root: NSym = s;
      while (root.k === 'get') root = root.obj;
      const param = root.k === 'param' ? { file: val.env.file, fn: root.fn, index: root.index } : undefined;
      return [{ parts: [{ t: 'wild', why: describe(s, val.env, evaluator), ...(param ? { param } : {}) }] }];
    }
    case 'call': {
      const parameterName = getPowertoolsParameter(val, evaluator);
      if (parameterName) return toParameterPatterns(parameterName, evaluator, depth);
      return [wildPattern(describe(s, val.env, evaluator))];
    }
    case 'new': {
      // `new URL(path, base)`: the base URL followed by the path (an absolute `path` wins, as URL does).
      const ctor = evaluator.evaluate(s.callee, val.env);
      if (ctor.s.k === 'global' && ctor.s.name === 'URL' && s.args.length > 0) {
        const pieces = s.args.slice(0, 2).reverse().map((arg) => toStringPatterns(evaluator.evaluate(arg, val.env), evaluator, depth + 1));
        return concatAll(pieces);
      }
      return [wildPattern(describe(s, val.env, evaluator))];
    }
    case 'nil':
      return [];
    default:
      return [wildPattern(describe(s, val.env, evaluator))];
  }
}

/** An SSM parameter's value: one pattern per form its name can take. */
function toParameterPatterns(name: Val, evaluator: Evaluator, depth: number): StringPattern[] {
  return toStringPatterns(name, evaluator, depth + 1).map((pattern) => ({ parts: [{ t: 'ssm', name: pattern }] }));
}

/**
 * `(await ssm.send(new GetParameterCommand({ Name }))).Parameter.Value` and the v2 form `ssm.getParameter({ Name })`:
 * the parameter is named by `Name`.
 */
function getParameterLookup(val: Val, evaluator: Evaluator): Val | undefined {
  const s = val.s;
  if (s.k !== 'get' || s.prop !== 'Value' || s.obj.k !== 'get' || s.obj.prop !== 'Parameter' || s.obj.obj.k !== 'call') return undefined;
  return getLookupField(s.obj.obj, val.env, evaluator, { method: 'getParameter', command: 'GetParameterCommand', field: 'Name' });
}

/** Powertools for AWS Lambda: `await getParameter('/app/queue-url')` from `@aws-lambda-powertools/parameters/ssm`. */
function getPowertoolsParameter(val: Val, evaluator: Evaluator): Val | undefined {
  const s = val.s;
  if (s.k !== 'call' || s.args.length === 0) return undefined;
  const callee = evaluator.evaluate(s.callee, val.env);
  if (callee.s.k !== 'import' || callee.s.name !== 'getParameter' || !/^@aws-lambda-powertools\/parameters(\/ssm)?$/.test(callee.s.source)) return undefined;
  return evaluator.evaluate(s.args[0], val.env);
}

/** `(await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl` and the v2 form: the queue is named by QueueName. */
function getQueueNameLookup(val: Val, evaluator: Evaluator): Val | undefined {
  const s = val.s;
  if (s.k !== 'get' || s.prop !== 'QueueUrl' || s.obj.k !== 'call') return undefined;
  return getLookupField(s.obj, val.env, evaluator, { method: 'getQueueUrl', command: 'GetQueueUrlCommand', field: 'QueueName' });
}

/** A field of the request of a lookup call, in its v2 form (`client.method(request)`) or v3 form (`client.send(new Command(request))`). */
function getLookupField(
  call: Sym & { k: 'call' },
  env: Env,
  evaluator: Evaluator,
  lookup: { method: string; command: string; field: string },
): Val | undefined {
  if (call.callee.k !== 'get' || call.args.length === 0) return undefined;
  let request: Val | undefined;
  if (call.callee.prop === lookup.method) request = evaluator.evaluate(call.args[0], env);
  else if (call.callee.prop === 'send') {
    const command = evaluator.evaluate(call.args[0], env);
    if (command.s.k !== 'new' || !command.s.args[0]) return undefined;
    const ctor = evaluator.evaluate(command.s.callee, command.env);
    if (ctor.s.k !== 'import' || ctor.s.name !== lookup.command) return undefined;
    request = evaluator.evaluate(command.s.args[0], command.env);
  }
  if (!request) return undefined;
  const value = evaluator.getProperty(request, lookup.field, 0);
  return value.s.k === 'nil' ? undefined : value;
}

/** Every concatenation of one pattern from each piece, in order (at most 16). */
export function concatAll(pieces: StringPattern[][]): StringPattern[] {
  let acc: StringPattern[] = [{ parts: []}];
  for (const options of pieces) {
    const next: StringPattern[] = [];
    for (const left of acc) {
      for (const right of options.length ? options : [wildPattern('no value')]) {
        if (next.length < MAX_PATTERNS) next.push({ parts: mergeParts(left.parts, right.parts) });
      }
    }
    acc = next;
  }
  return acc;
}

function mergeParts(left: PatternPart[], right: PatternPart[]): PatternPart[] {
  const out = [...left];
  for (const part of right) {
    const last = out[out.length - 1];
    if (part.t === 'lit' && last?.t === 'lit') out[out.length - 1] = { t: 'lit', v: last.v + part.v };
    else out.push(part);
  }
  return out;
}

function wildPattern(why: string): StringPattern {
  return { parts: [{ t: 'wild', why }]};
}

function describeParam(val: Val, evaluator: Evaluator): string {
  const s = val.s as Sym & { k: 'param' };
  const fn = evaluator.getSummary(val.env.file)?.functions[s.fn];
  const name = fn?.params[s.index] ?? `#${s.index}`;
  return `parameter ${name} of ${fn?.name ?? 'a function'}`;
}

/** Code-like text for an unresolved value, for messages: `event.detail.target`, `getName()`. */
export function describe(s: NSym, env: Env, evaluator: Evaluator, depth = 0): string {
  if (depth > 6) return '…';
  switch (s.k) {
    case 'get':
      return `${describe(s.obj, env, evaluator, depth + 1)}.${s.prop}`;
    case 'param': {
      const fn = evaluator.getSummary(env.file)?.functions[s.fn];
      return fn?.params[s.index] ?? 'a parameter';
    }
    case 'ref':
      return s.name;
    case 'global':
      return s.name;
    case 'import':
      return s.name === '*' || s.name === 'default' ? s.source : `${s.name} from ${s.source}`;
    case 'call':
      return `${describe(s.callee, env, evaluator, depth + 1)}(…)`;
    case 'new':
      return `new ${describe(s.callee, env, evaluator, depth + 1)}(…)`;
    case 'unknown':
      return s.text;
    case 'elem':
      return `an element of ${describe(s.of, env, evaluator, depth + 1)}`;
    case 'fn':
      return 'a function';
    case 'module':
      return s.file;
    case 'obj':
      return 'an object';
    case 'arr':
      return 'an array';
    default:
      return s.k;
  }
}
