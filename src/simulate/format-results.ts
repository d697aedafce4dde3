import type { SimulationResult } from '../types/report.js';
import { describeOutcome } from './compare.js';
import type { ScenarioResult, Trace } from './types.js';

/** One scenario's verdict, readable: the verdict line, what each world did, and the first difference. */
export function formatResult(result: ScenarioResult): string {
  const lines = [`${result.workflow} · ${result.scenario.name}: ${result.verdict === 'same' ? 'same' : 'DIFFERENT'}`];
  lines.push(`  chain     ${summarizeTrace(result.chain)}`);
  lines.push(`  workflow  ${summarizeTrace(result.workflowTrace)}`);
  const difference = result.difference;
  if (difference) {
    lines.push(`  first difference: ${difference.summary}`);
    lines.push(`    chain:    ${difference.expected}`);
    lines.push(`    workflow: ${difference.got}`);
  }
  const notices = [...new Set([...result.chain.notices.map((notice) => `chain: ${notice}`), ...result.workflowTrace.notices.map((notice) => `workflow: ${notice}`)])];
  for (const notice of notices) lines.push(`  note: ${notice}`);
  return lines.join('\n');
}

/** `returned {...}; ran placeOrder, reserveInventory ×2, validatePayment ×3 (SimulatedFailure ×3), releaseInventory`. */
export function summarizeTrace(trace: Trace): string {
  const runs = new Map<string, { count: number; failures: Map<string, number> }>();
  for (const invocation of trace.invocations) {
    const entry = runs.get(invocation.function) ?? { count: 0, failures: new Map<string, number>() };
    entry.count += 1;
    if (invocation.status !== 'ok') entry.failures.set(invocation.status, (entry.failures.get(invocation.status) ?? 0) + 1);
    runs.set(invocation.function, entry);
  }
  const ran = [...runs].map(([fn, { count, failures }]) => {
    const failed = [...failures].map(([name, times]) => `${name}${times > 1 ? ` ×${times}` : ''}`).join(', ');
    return `${fn}${count > 1 ? ` ×${count}` : ''}${failed ? ` (failed: ${failed})` : ''}`;
  });
  return `${describeOutcome(trace.outcome)}; ran ${ran.join(', ') || 'nothing'}; ${trace.effects.length} write(s) and message(s)`;
}

export function formatSummary(results: readonly ScenarioResult[]): string {
  const different = results.filter((result) => result.verdict === 'different').length;
  return `${results.length} scenario(s): ${results.length - different} same, ${different} different`;
}

/** The report's view of a simulation (src/types/report.ts): one entry per scenario. */
export function toSimulationResults(results: readonly ScenarioResult[]): SimulationResult[] {
  return results.map((result) => ({
    workflow: result.workflow,
    scenario: result.scenario.name,
    verdict: result.verdict,
    ...(result.difference ? { detail: `${result.difference.summary} (chain: ${result.difference.expected}; workflow: ${result.difference.got})` } : {}),
  }));
}
