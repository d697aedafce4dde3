import type { Difference, Effect, Invocation, Outcome, Trace } from './types.js';

/**
 * Compares what the original chain did with what the workflow did, and names the first difference in the order the
 * chain did things: for each function, how many times it ran, with which input, and how each run ended; the writes
 * and messages each function made; the messages the infrastructure moved (a redrive, a workflow state); and last the
 * final outcome. Concurrent runs (a fan-out) may come in any order; JSON text inside values is compared as JSON.
 */
export interface CompareOptions {
  /**
   * Functions the workflow runs in parts. How their runs ended is not compared: an error a callee threw through
   * them fails the workflow at the callee's state instead (the final outcome compares that).
   */
  splitFunctions?: ReadonlySet<string>;
}

/** A difference and where it shows in the chain's order of events, to find the first. */
interface Found {
  position: number;
  difference: Difference;
}

export function compareTraces(chain: Trace, workflow: Trace, options: CompareOptions = {}): Difference | undefined {
  const functions = unique([...chain.invocations, ...workflow.invocations, ...chain.effects, ...workflow.effects].flatMap((entry) => (entry.function ? [entry.function] : [])));
  const found: (Found | undefined)[] = [];
  for (const fn of functions) {
    const mine = <T extends { function?: string }>(entries: T[]) => entries.filter((entry) => entry.function === fn);
    found.push(compareInvocations(fn, mine(chain.invocations), mine(workflow.invocations), options.splitFunctions?.has(fn) ?? false));
    found.push(...compareEffects(fn, mine(chain.effects), mine(workflow.effects)));
  }
  found.push(...compareEffects(undefined, byInfrastructure(chain.effects), byInfrastructure(workflow.effects)));
  const outcome = compareOutcomes(chain.outcome, workflow.outcome);
  if (outcome) found.push({ position: Number.POSITIVE_INFINITY, difference: outcome });
  const first = found.filter((entry): entry is Found => entry !== undefined).sort((a, b) => a.position - b.position)[0];
  return first?.difference;
}

function byInfrastructure(effects: Effect[]): Effect[] {
  return effects.filter((effect) => effect.function === undefined);
}

/** Where a list's difference starts: the chain's entry at `index`, or the workflow's when the chain has none there. */
function positionOf(expected: { seq: number }[], got: { seq: number }[], index: number): number {
  return expected[index]?.seq ?? got[index]?.seq ?? Number.POSITIVE_INFINITY;
}

function compareInvocations(fn: string, expected: Invocation[], got: Invocation[], split: boolean): Found | undefined {
  if (expected.length !== got.length) {
    return {
      position: positionOf(expected, got, Math.min(expected.length, got.length)),
      difference: {
        aspect: 'invocations',
        function: fn,
        expected: describeRuns(expected),
        got: describeRuns(got),
        summary: `${fn} ${ran(expected.length)} in the chain but ${got.length === 0 || expected.length === 0 ? ran(got.length) : times(got.length)} in the workflow`,
      },
    };
  }
  const key = (invocation: Invocation) => toKey(invocation, split);
  if (sameMultiset(expected.map(key), got.map(key))) return undefined;
  for (let i = 0; i < expected.length; i++) {
    const a = expected[i]!;
    const b = got[i]!;
    const field = findFirstDifference(normalize(a.input), normalize(b.input));
    if (field) {
      return {
        position: a.seq,
        difference: {
          aspect: 'invocations',
          function: fn,
          field: joinPath('input', field.path),
          expected: show(field.expected),
          got: show(field.got),
          summary: `${fn}'s input differs${expected.length > 1 ? ` (run ${i + 1} of ${expected.length})` : ''} at ${joinPath('input', field.path)}`,
        },
      };
    }
    if (!split && a.status !== b.status) {
      return {
        position: a.seq,
        difference: {
          aspect: 'invocations',
          function: fn,
          field: 'status',
          expected: a.status,
          got: b.status,
          summary: `${fn} run ${i + 1} ended ${describeStatus(a.status)} in the chain but ${describeStatus(b.status)} in the workflow`,
        },
      };
    }
  }
  return undefined;
}

/** Each kind of write or message (`dynamodb:Update on orders`) of one function, or of the infrastructure. */
function compareEffects(fn: string | undefined, expected: Effect[], got: Effect[]): Found[] {
  const who = fn ?? 'the infrastructure (queues, workflow states)';
  const found: Found[] = [];
  for (const kind of unique([...expected, ...got].map(toKind))) {
    const a = expected.filter((effect) => toKind(effect) === kind);
    const b = got.filter((effect) => toKind(effect) === kind);
    if (a.length !== b.length) {
      found.push({
        position: positionOf(a, b, Math.min(a.length, b.length)),
        difference: {
          aspect: 'effects',
          ...(fn ? { function: fn } : {}),
          expected: `${a.length} × ${kind}`,
          got: `${b.length} × ${kind}`,
          summary: `${who} made ${a.length === 0 ? 'no' : times(a.length)} ${kind} in the chain but ${b.length === 0 ? 'none' : times(b.length)} in the workflow`,
        },
      });
      continue;
    }
    if (sameMultiset(a.map((effect) => canonical(normalize(effect.params))), b.map((effect) => canonical(normalize(effect.params))))) continue;
    for (let i = 0; i < a.length; i++) {
      const field = findFirstDifference(normalize(a[i]!.params), normalize(b[i]!.params));
      if (!field) continue;
      found.push({
        position: a[i]!.seq,
        difference: {
          aspect: 'effects',
          ...(fn ? { function: fn } : {}),
          field: joinPath('params', field.path),
          expected: show(field.expected),
          got: show(field.got),
          summary: `${who}'s ${kind} differs at ${joinPath('params', field.path)}`,
        },
      });
      break;
    }
  }
  return found;
}

function compareOutcomes(expected: Outcome, got: Outcome): Difference | undefined {
  if (expected.kind === 'returned' && got.kind === 'returned') {
    const field = findFirstDifference(normalize(expected.value), normalize(got.value));
    if (!field) return undefined;
    return { aspect: 'outcome', field: joinPath('result', field.path), expected: show(field.expected), got: show(field.got), summary: `the final result differs at ${joinPath('result', field.path)}` };
  }
  if (expected.kind === 'failed' && got.kind === 'failed') {
    if (expected.error === got.error) return undefined;
    return { aspect: 'outcome', field: 'error', expected: expected.error, got: got.error, summary: `the chain failed with ${expected.error} but the workflow with ${got.error}` };
  }
  return {
    aspect: 'outcome',
    expected: describeOutcome(expected),
    got: describeOutcome(got),
    summary: expected.kind === 'returned' ? `the chain returned a result but the workflow failed with ${(got as { error: string }).error}` : `the chain failed with ${expected.error} but the workflow returned a result`,
  };
}

export function describeOutcome(outcome: Outcome): string {
  return outcome.kind === 'returned' ? `returned ${show(outcome.value)}` : `failed with ${outcome.error}${outcome.message ? `: ${truncate(outcome.message, 100)}` : ''}`;
}

/** Values as compared: strings holding JSON objects or arrays (an HTTP body, a message) become the JSON. */
export function normalize(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      try {
        return normalize(JSON.parse(trimmed) as unknown);
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined).map(([key, entry]) => [key, normalize(entry)]));
  return value;
}

interface FieldDifference {
  path: (string | number)[];
  expected: unknown;
  got: unknown;
}

/** The first place two JSON values differ, depth first, keys in the expected value's order. */
export function findFirstDifference(expected: unknown, got: unknown, path: (string | number)[] = []): FieldDifference | undefined {
  if (Array.isArray(expected) && Array.isArray(got)) {
    for (let i = 0; i < Math.max(expected.length, got.length); i++) {
      if (i >= expected.length || i >= got.length) return { path: [...path, i], expected: expected[i], got: got[i] };
      const inner = findFirstDifference(expected[i], got[i], [...path, i]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isObject(expected) && isObject(got)) {
    for (const key of unique([...Object.keys(expected), ...Object.keys(got)])) {
      const inner = findFirstDifference(expected[key], got[key], [...path, key]);
      if (inner) return inner;
    }
    return undefined;
  }
  return canonical(expected) === canonical(got) ? undefined : { path, expected, got };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON with keys sorted, so equal values give equal text. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, entry: unknown) => (isObject(entry) ? Object.fromEntries(Object.keys(entry).sort().map((key) => [key, entry[key]])) : entry));
}

function toKey(invocation: Invocation, withoutStatus: boolean): string {
  return `${canonical(normalize(invocation.input))}\u0000${withoutStatus ? '' : invocation.status}`;
}

function toKind(effect: Effect): string {
  return effect.target ? `${effect.action} on ${effect.target}` : effect.action;
}

function sameMultiset(a: string[], b: string[]): boolean {
  const sortedA = [...a].sort();
  const sortedB = [...b].sort();
  return sortedA.length === sortedB.length && sortedA.every((entry, index) => entry === sortedB[index]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function joinPath(root: string, path: (string | number)[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${text}.${part}` : `${text}[${JSON.stringify(part)}]`), root);
}

function ran(count: number): string {
  return count === 0 ? 'did not run' : `ran ${times(count)}`;
}

function times(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
}

function describeStatus(status: string): string {
  return status === 'ok' ? 'successfully' : `with ${status}`;
}

function describeRuns(runs: Invocation[]): string {
  if (runs.length === 0) return 'no run';
  return runs.map((run) => run.status).join(', ');
}

export function show(value: unknown): string {
  return value === undefined ? '(absent)' : truncate(JSON.stringify(value), 120);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
