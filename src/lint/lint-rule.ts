import type { LintFinding } from '../types/report.js';

/** A finding as a rule reports it; `lintDefinition` adds the file. */
export type RuleFinding = Omit<LintFinding, 'file' | 'line'>;

/** A state of a definition with where it sits: its path of state names (`ReserveEachItem/ReserveInventory`) and its scope's States. */
export interface StateEntry {
  name: string;
  path: string;
  state: Record<string, unknown>;
  /** The States object the state belongs to (its siblings). */
  scope: Record<string, Record<string, unknown>>;
}

export interface LintContext {
  /** The workflow type when known (from the plan, or `lint --type`). */
  type?: 'STANDARD' | 'EXPRESS';
  states: StateEntry[];
  definition: Record<string, unknown>;
}

/** One best-practice rule: an id (= file name in src/lint/rules/ = heading in docs/propose.md), and a check. */
export interface LintRule {
  id: string;
  description: string;
  check(context: LintContext): RuleFinding[];
}

/** Every state of a definition, nested ones included, in document order. */
export function getStates(definition: Record<string, unknown>, prefix = ''): StateEntry[] {
  const states = definition.States;
  if (!isRecord(states)) return [];
  const scope = states as Record<string, Record<string, unknown>>;
  const entries: StateEntry[] = [];
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    entries.push({ name, path, state, scope });
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isRecord(processor)) entries.push(...getStates(processor, path));
    if (Array.isArray(state.Branches)) state.Branches.forEach((branch, index) => isRecord(branch) && entries.push(...getStates(branch, `${path}[${index}]`)));
  }
  return entries;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTask(state: Record<string, unknown>): boolean {
  return state.Type === 'Task';
}
