import type { LintRule, StateEntry } from '../lint-rule.js';
import { isRecord } from '../lint-rule.js';

/**
 * A Standard execution's history holds at most 25,000 events. A loop of states (a Choice that goes back) adds
 * events on every pass, and an inline Map adds several per item: both can run into the limit.
 */
export const historyLimit: LintRule = {
  id: 'history-limit',
  description: 'Loops and inline Maps that may exceed 25,000 history events',
  check: ({ states, type }) => {
    if (type === 'EXPRESS') return [];
    const findings = [];
    for (const entry of states) {
      if (isOnLoop(entry)) findings.push({ rule: 'history-limit', severity: 'warning' as const, state: entry.path, message: 'on a loop of states: each pass adds history events, and a Standard execution stops at 25,000; bound the loop or move it to a child execution' });
      const processor = isRecord(entry.state.ItemProcessor) ? entry.state.ItemProcessor : undefined;
      const inline = entry.state.Type === 'Map' && !(isRecord(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED');
      if (inline) findings.push({ rule: 'history-limit', severity: 'info' as const, state: entry.path, message: 'an inline Map adds several history events per item: for thousands of items use a distributed Map (each item gets its own execution history)' });
    }
    return findings;
  },
};

/** Whether the state can reach itself through Next, Default, Choices and Catch within its scope. */
function isOnLoop(entry: StateEntry): boolean {
  const seen = new Set<string>();
  const queue = getTargets(entry.state);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name === entry.name) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = entry.scope[name];
    if (state) queue.push(...getTargets(state));
  }
  return false;
}

function getTargets(state: Record<string, unknown>): string[] {
  const targets: string[] = [];
  if (typeof state.Next === 'string') targets.push(state.Next);
  if (typeof state.Default === 'string') targets.push(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const rule of list) if (isRecord(rule) && typeof rule.Next === 'string') targets.push(rule.Next);
  }
  return targets;
}
