import { UNDO_PREFIXES, UNDO_VERBS, type TryPartData } from '../../../analyzers/code/compensation.js';
import type { CompensationAnnotation, ConditionAnnotation, EdgeReference } from '../../types/annotations.js';
import type { GraphEdge } from '../../types/graph.js';
import type { EdgeChain } from './chain.js';
import type { ConditionFound } from './conditions.js';
import { collectResultOrigins, type OriginContext, type ResultPosition } from './trace-origin.js';

/** What an edge needs for the compensation step, which compares the edges of one function with each other. */
export interface CompensationInput {
  edge: GraphEdge;
  chain: EdgeChain;
  /** Positions its result passes through (to recognise a compensation that reads it, or a check of it). */
  resultPositions: ResultPosition[];
  conditions: ConditionFound[];
  origins: OriginContext;
}

/** The try statements whose `try` part an edge's calls sit in, by `file#line#column`. */
function getTryKeys(chain: EdgeChain): Set<string> {
  const tries = new Set<string>();
  const handlers = new Set<string>();
  for (const entry of chain.contexts) {
    if (entry.record.kind !== 'try-part') continue;
    const data = entry.record.data as unknown as TryPartData;
    (data.part === 'try' ? tries : handlers).add(`${entry.file}#${data.tryLine}#${data.tryColumn}`);
  }
  // `promise.catch(cb)` holds its callback: a call in the callback is in the handler, not in what it protects.
  for (const key of handlers) tries.delete(key);
  return tries;
}

/**
 * For each edge in a `catch` or `finally` (or run when an earlier call's result says it failed): the calls whose
 * failure leads to it, and the earlier calls it undoes — those whose result it passes on (`release(reservations)`)
 * or whose target's name it reverses (`reserveInventory` / `releaseInventory`). Edges of one deployed function only.
 */
export function readCompensations(inputs: readonly CompensationInput[]): Map<GraphEdge, CompensationAnnotation> {
  const out = new Map<GraphEdge, CompensationAnnotation>();
  const tryKeys = inputs.map((input) => getTryKeys(input.chain));
  inputs.forEach((input) => {
    const trigger = findTrigger(input);
    if (!trigger) return;
    const protects = inputs.filter((other, i) => other !== input && trigger.protects(other, tryKeys[i]));
    const origins = collectArgumentResults(input);
    const compensates = inputs.filter((other) => {
      // Steps inside the try count too: `try { reserve(); charge() } catch { release() }` undoes the reservation.
      if (other === input || !isBefore(other, trigger.file, trigger.line)) return false;
      return other.resultPositions.some((p) => origins.some((o) => o.file === p.file && o.line === p.line && o.column === p.column)) || undoes(input.edge.to, other.edge.to);
    });
    out.set(input.edge, {
      compensates: toReferences(compensates),
      ...(trigger.errorCondition ? { errorCondition: trigger.errorCondition } : {}),
      file: trigger.file,
      line: trigger.line,
      protects: toReferences(protects),
      text: trigger.text,
      trigger: trigger.kind,
    });
  });
  return out;
}

interface Trigger {
  kind: CompensationAnnotation['trigger'];
  file: string;
  line: number;
  text: string;
  errorCondition?: string;
  protects: (other: CompensationInput, otherTryKeys: Set<string>) => boolean;
}

/** The innermost catch or finally around the call, else a test of an earlier call's result that says it failed. */
function findTrigger(input: CompensationInput): Trigger | undefined {
  const contexts = input.chain.contexts;
  for (let i = contexts.length - 1; i >= 0; i--) {
    const entry = contexts[i];
    if (entry.record.kind !== 'try-part') continue;
    const data = entry.record.data as unknown as TryPartData;
    if (data.part === 'try') continue;
    const key = `${entry.file}#${data.tryLine}#${data.tryColumn}`;
    const errorTests = input.conditions.filter((c) => c.order > i && c.annotation.source === 'error').map((c) => asRunCondition(c.annotation));
    return {
      kind: data.part,
      file: entry.file,
      line: entry.record.line,
      text: data.text,
      ...(errorTests.length ? { errorCondition: errorTests.join(' && ') } : {}),
      protects: (_other, otherTryKeys) => otherTryKeys.has(key),
    };
  }
  for (let i = input.conditions.length - 1; i >= 0; i--) {
    const condition = input.conditions[i].annotation;
    if (condition.source !== 'result' || !condition.resultOf || !isFailureTest(condition)) continue;
    const checked = condition.resultOf;
    return {
      kind: 'failed-result',
      file: condition.file,
      line: condition.line,
      text: condition.text,
      protects: (other) => other.resultPositions.some((p) => p.file === checked.file && p.line === checked.line),
    };
  }
  return undefined;
}

/** The test under which the call runs: as written for a `then` branch, negated for an `else` or after an early exit. */
function asRunCondition(condition: ConditionAnnotation): string {
  return condition.branch === 'then' || condition.branch === 'case' ? condition.text : `!(${condition.text})`;
}

const FAILURE_FIELDS = /(^|\.)(FunctionError|error|errors|errorMessage|errorType|failed|failure|Failed)$/;
const SUCCESS_FIELDS = /(^|\.)(ok|success|succeeded|Success)$/;
const STATUS_FIELDS = /(^|\.)(status|state|Status|outcome)$/;

/** `res.FunctionError`, `!res.ok`, `result.status === 'FAILED'`: a test that the call failed, in the branch taken. */
function isFailureTest(condition: ConditionAnnotation): boolean {
  const positive = condition.branch === 'then' || condition.branch === 'case';
  return condition.comparisons.some((c) => {
    if (FAILURE_FIELDS.test(c.path)) return positive === (c.operator === 'truthy' || c.operator === 'exists');
    if (SUCCESS_FIELDS.test(c.path)) return positive === (c.operator === 'falsy' || (c.operator === '==' && c.value === false));
    if (STATUS_FIELDS.test(c.path) && typeof c.value === 'string') return positive === (c.operator === '==' && /fail|error|reject/i.test(c.value));
    return false;
  });
}

/** Whether another edge runs before the trigger: its call in the trigger's file comes first. */
function isBefore(other: CompensationInput, file: string, line: number): boolean {
  const call = other.chain.calls.find((c) => c.file === file);
  return call !== undefined && call.call.line < line;
}

function collectArgumentResults(input: CompensationInput): ResultPosition[] {
  const site = input.chain.calls[input.chain.siteIndex];
  const out: ResultPosition[] = [];
  for (const arg of site.call.args) collectResultOrigins(arg, site.env, input.origins, out);
  return out;
}

function toReferences(inputs: readonly CompensationInput[]): EdgeReference[] {
  return inputs
    .map((input) => ({ file: input.edge.file, line: input.edge.line, to: input.edge.to }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0)));
}

const VERBS = [...new Set([...UNDO_VERBS.flat(), ...UNDO_PREFIXES])];

/** Whether the name of `undoer` reverses the name of `doer`: a verb and its opposite on the same thing. */
export function undoes(undoer: string, doer: string): boolean {
  const undo = splitVerb(undoer);
  const does = splitVerb(doer);
  if (!undo || !does) return false;
  if (UNDO_PREFIXES.includes(undo.verb) && (sameWords(undo.rest, [does.verb, ...does.rest]) || sameWords(undo.rest, does.rest))) return true;
  return sameWords(undo.rest, does.rest) && UNDO_VERBS.some(([forward, backward]) => does.verb === forward && undo.verb === backward);
}

/** The first verb in a name and the other words: `orders-dev-releaseInventory` → release, [orders, dev, inventory]. */
function splitVerb(name: string): { verb: string; rest: string[] } | undefined {
  const words = splitWords(name);
  for (let i = 0; i < words.length; i++) {
    const verb = VERBS.find((v) => words[i] === v || (words[i].startsWith(v) && /^(s|d|ed|ing|e)$/.test(words[i].slice(v.length))));
    if (verb) return { verb, rest: [...words.slice(0, i), ...words.slice(i + 1)] };
  }
  return undefined;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.map(stem).join(' ') === b.map(stem).join(' ');
}

/** `reservations` and `reservation` name the same thing. */
function stem(word: string): string {
  return word.replace(/(ations?|ments?|s)$/, '');
}

/** `releaseInventory`, `release-inventory`, `ReleaseInventoryFunction` → lower-case words. */
function splitWords(name: string): string[] {
  const last = name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : name;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}
