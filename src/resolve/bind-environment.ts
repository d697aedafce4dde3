import type { FunctionDef, IacValue, ParameterDef, RefAttribute } from '../types/inventory.js';
import type { PatternPart, StringPattern } from '../link/string-pattern.js';
import { WILD, canMatch, showPattern, toNamedToken } from './glob.js';

/** A target pattern after the function's environment is substituted: IaC references may appear in it. */
export type BoundPart =
  | Exclude<PatternPart, { t: 'env' } | { t: 'ssm' }>
  | { t: 'ref'; target: string; attribute: RefAttribute }
  /** A value the IaC leaves unknown (`${AWS::StackName}`): unknown, but equal to itself wherever it appears. */
  | { t: 'named'; text: string };

export interface BoundPattern {
  parts: BoundPart[];
  /** Environment variables it read. */
  envNames: string[];
  /** SSM parameters (inventory ids) whose values it read. */
  parameters?: string[];
}

/** Variables Lambda sets itself; their values are not in the IaC. */
const RUNTIME_VARIABLES = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCOUNT_ID', 'AWS_EXECUTION_ENV']);

/**
 * Substitute `process.env.X` with what function `fn` sets X to in its IaC, and the value of an SSM parameter read
 * at run time with what the IaC writes in it (`parameters`: the inventory's).
 */
export function bindEnvironment(pattern: StringPattern, fn: FunctionDef, parameters: readonly ParameterDef[] = []): BoundPattern | { missing: string } {
  const parts: BoundPart[] = [];
  const envNames: string[] = [];
  const read: string[] = [];
  for (const part of pattern.parts) {
    if (part.t === 'ssm') {
      const name = bindEnvironment(part.name, fn, parameters);
      if ('missing' in name) return name;
      envNames.push(...name.envNames);
      const found = findParameter(name.parts, parameters);
      if (found?.value) {
        read.push(found.id);
        parts.push(...toParts(found.value));
      } else parts.push({ t: 'wild', why: found ? `the SSM parameter ${found.id}, whose value is not known statically` : describeParameter(name.parts) });
      continue;
    }
    if (part.t !== 'env') {
      parts.push(part);
      continue;
    }
    envNames.push(part.name);
    const value = fn.environment[part.name];
    if (value) parts.push(...toParts(value));
    else if (RUNTIME_VARIABLES.has(part.name)) parts.push({ t: 'wild', why: part.name });
    else return { missing: part.name };
  }
  return read.length > 0 ? { parts, envNames, parameters: read } : { parts, envNames };
}

/** The parameter a name designates: a reference to it (`parameter.parameterName` in the IaC), or its name. */
function findParameter(name: readonly BoundPart[], parameters: readonly ParameterDef[]): ParameterDef | undefined {
  const ref = name.find((part): part is BoundPart & { t: 'ref' } => part.t === 'ref');
  if (ref) return parameters.find((parameter) => parameter.id === ref.target);
  const text = toText(name);
  if (![...text].some((char) => char !== WILD)) return undefined;
  const matches = parameters.filter((parameter) => parameter.name && canMatch(text, toText(toParts(parameter.name))));
  return matches.length === 1 ? matches[0] : undefined;
}

function describeParameter(name: readonly BoundPart[]): string {
  const text = toText(name);
  if (![...text].some((char) => char !== WILD)) {
    const wild = name.find((part) => part.t === 'wild');
    return `an SSM parameter whose name depends on ${wild && wild.t === 'wild' ? wild.why : 'a value only known at run time'}`;
  }
  return `the SSM parameter ${showPattern(text)}, which no IaC in the repository writes`;
}

function toText(parts: readonly BoundPart[]): string {
  return parts.map((part) => (part.t === 'lit' ? part.v : part.t === 'named' ? toNamedToken(part.text) : WILD)).join('');
}

function toParts(value: IacValue): BoundPart[] {
  switch (value.kind) {
    case 'literal':
      return [{ t: 'lit', v: value.value }];
    case 'ref':
      return [{ t: 'ref', target: value.target, attribute: value.attribute }];
    case 'join':
      return value.parts.flatMap(toParts);
    case 'unknown':
      return [{ t: 'named', text: value.text }];
  }
}
