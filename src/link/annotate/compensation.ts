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

/**
 * What the compensation step compares, read from one edge's chain: plain data, so that a re-run can keep it for the
 * edges it does not resolve again (see resolve/incremental.ts) and link them with the edges it does.
 */
export interface CompensationFacts {
  edge: EdgeReference;
  /** The try statements whose `try` part the edge's calls sit in, by `file#line#column`. */
  tryKeys: string[];
  resultPositions: ResultPosition[];
  /** The line of the chain's first call in each file (to tell whether the edge runs before a trigger). */
  firstLines: Record<string, number>;
  trigger?: Trigger;
  /** Results the call passes on as arguments (with a trigger only). */
  argumentResults?: ResultPosition[];
}

/** The innermost catch or finally around the call, else a test of an earlier call's result that says it failed. */
interface Trigger {
  kind: CompensationAnnotation['trigger'];
  file: string;
  line: number;
  text: string;
  errorCondition?: string;
  /** A catch or finally: it protects the edges in its try (`file#line#column`). */
  tryKey?: string;
  /** A failed result: it protects the edges whose result is the one tested. */
  checked?: { file: string; line: number };
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

/** The facts of one edge (reads the values its call passes on when it has a trigger). */
export function toCompensationFacts(input: CompensationInput): CompensationFacts {
  const firstLines: Record<string, number> = {};
  for (const call of input.chain.calls) if (!Object.hasOwn(firstLines, call.file)) firstLines[call.file] = call.call.line;
  const trigger = findTrigger(input);
  return {
    edge: { file: input.edge.file, line: input.edge.line, to: input.edge.to },
    tryKeys: [...getTryKeys(input.chain)],
    resultPositions: input.resultPositions.map(({ file, line, column }) => ({ file, line, column })),
    firstLines,
    ...(trigger ? { trigger, argumentResults: collectArgumentResults(input) } : {}),
  };
}

/**
 * For each edge in a `catch` or `finally` (or run when an earlier call's result says it failed): the calls whose
 * failure leads to it, and the earlier calls it undoes — those whose result it passes on (`release(reservations)`)
 * or whose target's name it reverses (`reserveInventory` / `releaseInventory`). Edges of one deployed function only,
 * by index in `inputs`.
 */
export function linkCompensations(inputs: readonly CompensationFacts[]): Map<number, CompensationAnnotation> {
  const out = new Map<number, CompensationAnnotation>();
  inputs.forEach((input, index) => {
    const trigger = input.trigger;
    if (!trigger) return;
    const protects = inputs.filter((other, i) => i !== index && protectsEdge(trigger, other));
    const origins = input.argumentResults ?? [];
    const compensates = inputs.filter((other, i) => {
      // Steps inside the try count too: `try { reserve(); charge() } catch { release() }` undoes the reservation.
      if (i === index || !isBefore(other, trigger.file, trigger.line)) return false;
      return other.resultPositions.some((p) => origins.some((o) => o.file === p.file && o.line === p.line && o.column === p.column)) || undoes(input.edge.to, other.edge.to);
    });
    out.set(index, {
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

function protectsEdge(trigger: Trigger, other: CompensationFacts): boolean {
  if (trigger.tryKey !== undefined) return other.tryKeys.includes(trigger.tryKey);
  const checked = trigger.checked!;
  return other.resultPositions.some((p) => p.file === checked.file && p.line === checked.line);
}

function findTrigger(input: CompensationInput): Trigger | undefined {
  const contexts = input.chain.contexts;
  for (let i = contexts.length - 1; i >= 0; i--) {
    const entry = contexts[i];
    if (entry.record.kind !== 'try-part') continue;
    const data = entry.record.data as unknown as TryPartData;
    if (data.part === 'try') continue;
    const errorTests = input.conditions.filter((c) => c.order > i && c.annotation.source === 'error').map((c) => asRunCondition(c.annotation));
    return {
      kind: data.part,
      file: entry.file,
      line: entry.record.line,
      text: data.text,
      ...(errorTests.length ? { errorCondition: errorTests.join(' && ') } : {}),
      tryKey: `${entry.file}#${data.tryLine}#${data.tryColumn}`,
    };
  }
  for (let i = input.conditions.length - 1; i >= 0; i--) {
    const condition = input.conditions[i].annotation;
    if (condition.source !== 'result' || !condition.resultOf || !isFailureTest(condition)) continue;
    return {
      kind: 'failed-result',
      file: condition.file,
      line: condition.line,
      text: condition.text,
      checked: { file: condition.resultOf.file, line: condition.resultOf.line },
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
function isBefore(other: CompensationFacts, file: string, line: number): boolean {
  const first = Object.hasOwn(other.firstLines, file) ? other.firstLines[file] : undefined;
  return first !== undefined && first < line;
}

function collectArgumentResults(input: CompensationInput): ResultPosition[] {
  const site = input.chain.calls[input.chain.siteIndex];
  const out: ResultPosition[] = [];
  for (const arg of site.call.args) collectResultOrigins(arg, site.env, input.origins, out);
  return out;
}

function toReferences(inputs: readonly CompensationFacts[]): EdgeReference[] {
  return inputs
    .map((input) => ({ ...input.edge }))
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
