import type { FunctionDef, IacValue, RefAttribute } from '../types/inventory.js';
import type { PatternPart, StringPattern } from '../link/string-pattern.js';

/** A target pattern after the function's environment is substituted: IaC references may appear in it. */
export type BoundPart =
  | Exclude<PatternPart, { t: 'env' }>
  | { t: 'ref'; target: string; attribute: RefAttribute }
  /** A value the IaC leaves unknown (`${AWS::StackName}`): unknown, but equal to itself wherever it appears. */
  | { t: 'named'; text: string };

export interface BoundPattern {
  parts: BoundPart[];
  /** Environment variables it read. */
  envNames: string[];
}

/** Variables Lambda sets itself; their values are not in the IaC. */
const RUNTIME_VARIABLES = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCOUNT_ID', 'AWS_EXECUTION_ENV']);

/** Substitute `process.env.X` with what function `fn` sets X to in its IaC. */
export function bindEnvironment(pattern: StringPattern, fn: FunctionDef): BoundPattern | { missing: string } {
  const parts: BoundPart[] = [];
  const envNames: string[] = [];
  for (const part of pattern.parts) {
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
  return { parts, envNames };
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
