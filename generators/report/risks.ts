import type { Graph, GraphEdge, GraphNode } from '../../src/types/graph.js';
import type { Step, WorkflowPlan } from '../../src/types/plan.js';
import type { ReportInput } from '../../src/types/report.js';
import { flattenSteps } from './steps.js';

/** Something a reviewer should look at before approving the migration. */
export interface Risk {
  severity: 'error' | 'warning' | 'info';
  /** Stable identifier: `unresolved-target`, `recursion`, `payload-size`, `history-limit`, `idempotency`... */
  code: string;
  /** The chain's entry (or workflow) it concerns, when it concerns one. */
  chain?: string;
  message: string;
  evidence: { file: string; line: number; text?: string }[];
}

/** A Step Functions state's input or output. */
export const STATE_PAYLOAD_LIMIT = 256 * 1024;
/** Events in one Standard execution's history. */
export const HISTORY_EVENT_LIMIT = 25_000;
/** States from which a workflow is worth splitting into nested ones (DESIGN.md). */
export const LARGE_WORKFLOW_STATES = 40;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Every risk the inputs show, errors first, then in the order found. */
export function collectRisks(input: ReportInput): Risk[] {
  const { graph, plan } = input;
  const chainOf = (id: string | undefined) => (id === undefined ? undefined : graph.chains.find((chain) => chain.functions.includes(id))?.entry);
  const risks: Risk[] = [];
  for (const item of graph.unresolved) {
    risks.push({ severity: 'warning', code: 'unresolved-target', chain: chainOf(item.from), message: `${item.from ?? 'a call'} calls a target that could not be resolved (${item.target}): ${item.reason}`, evidence: [{ file: item.file, line: item.line }] });
  }
  for (const edge of graph.edges) {
    if (edge.recursive || (edge.from === edge.to && edge.kind !== 'triggers')) {
      risks.push({ severity: 'error', code: 'recursion', chain: chainOf(edge.from), message: `${edge.from} invokes itself: recursion cannot become a workflow as it is; a Map over the work, or a loop with a Choice, may replace it`, evidence: [{ file: edge.file, line: edge.line }] });
    }
    if (edge.dynamic) risks.push({ severity: 'warning', code: 'dynamic-target', chain: chainOf(edge.from), message: `${edge.from} calls ${edge.to} through a partly dynamic name (${edge.target ?? ''}): other functions may match too`, evidence: [{ file: edge.file, line: edge.line }] });
    const payload = edge.annotations?.payload;
    const size = payload?.bytes ?? payload?.minBytes;
    if (payload && size !== undefined && size > STATE_PAYLOAD_LIMIT) {
      risks.push({ severity: 'error', code: 'payload-size', chain: chainOf(edge.from), message: `the payload ${edge.from} sends to ${edge.to} is at least ${Math.round(size / 1024)} KB, over the 256 KB a state may carry: pass an S3 reference instead`, evidence: [{ file: payload.file, line: payload.line, text: payload.text }] });
    }
  }
  for (const cycle of graph.cycles.filter((ids) => ids.length > 1)) {
    const onCycle = new Set(cycle);
    const edges = graph.edges.filter((edge) => onCycle.has(edge.from) && onCycle.has(edge.to));
    risks.push({ severity: 'error', code: 'cycle', chain: chainOf(cycle[0]), message: `the calls loop: ${[...cycle, cycle[0]].join(' → ')}; a workflow cannot express the loop as it is`, evidence: edges.map((edge) => ({ file: edge.file, line: edge.line })) });
  }
  for (const workflow of plan?.workflows ?? []) risks.push(...getWorkflowRisks(workflow, graph));
  for (const handler of input.handlers ?? []) {
    if (handler.status !== 'kept') continue;
    risks.push({ severity: 'warning', code: 'handler-kept', chain: chainOf(handler.function), message: `${handler.function} was left unchanged: ${handler.reason ?? 'no reason given'}`, evidence: handler.marker ? [handler.marker] : [] });
  }
  for (const finding of input.lint ?? []) {
    risks.push({ severity: finding.severity, code: `lint:${finding.rule}`, message: `${finding.file}${finding.state ? ` state ${finding.state}` : ''}: ${finding.message}`, evidence: [] });
  }
  return risks.map((risk, index) => ({ risk, index })).sort((a, b) => SEVERITY_ORDER[a.risk.severity] - SEVERITY_ORDER[b.risk.severity] || a.index - b.index).map(({ risk }) => risk);
}

function getWorkflowRisks(workflow: WorkflowPlan, graph: Graph): Risk[] {
  const chain = workflow.chain.entry;
  const risks: Risk[] = workflow.findings.map((finding) => ({ severity: finding.severity, code: finding.code, chain, message: finding.message, evidence: finding.evidence }));
  const states = flattenSteps(workflow.model.steps, '');
  if (states.length > LARGE_WORKFLOW_STATES) {
    risks.push({ severity: 'warning', code: 'large-workflow', chain, message: `${workflow.name} has ${states.length} states (more than about ${LARGE_WORKFLOW_STATES}): consider a parent workflow with nested ones`, evidence: [] });
  }
  if (workflow.type === 'STANDARD') risks.push(...getHistoryRisks(workflow));
  risks.push(...getIdempotencyRisks(workflow, graph));
  return risks;
}

/**
 * Events a Standard execution writes, estimated per state: a Task 5 (entered, scheduled, started, succeeded,
 * exited), a Map or Parallel 4 plus its iterations or branches (2 more per iteration), any other state 2; the
 * longest Choice branch. Inline Maps count 0 items here; each is then given the items it may take.
 */
function countEvents(steps: readonly Step[], itemsOf: (step: Step) => number): number {
  let total = 0;
  for (const step of steps) {
    switch (step.type) {
      case 'task':
      case 'service':
        total += 5;
        break;
      case 'map':
        total += 4 + (step.mode === 'distributed' ? 0 : itemsOf(step) * (2 + countEvents(step.steps, itemsOf)));
        break;
      case 'parallel':
        total += 4 + step.branches.reduce((sum, branch) => sum + countEvents(branch.steps, itemsOf), 0);
        break;
      case 'choice':
        total += 2 + Math.max(0, ...[...step.branches.map((branch) => branch.steps), step.otherwise].map((branch) => countEvents(branch, itemsOf)));
        break;
      default:
        total += 2;
    }
  }
  return total;
}

function getHistoryRisks(workflow: WorkflowPlan): Risk[] {
  const base = 2 + countEvents(workflow.model.steps, () => 0);
  const risks: Risk[] = [];
  for (const { step } of flattenSteps(workflow.model.steps, '')) {
    if (step.type !== 'map' || step.mode === 'distributed') continue;
    const perItem = 2 + countEvents(step.steps, () => 0);
    const items = Math.floor((HISTORY_EVENT_LIMIT - base) / perItem);
    risks.push({
      severity: 'warning',
      code: 'history-limit',
      chain: workflow.chain.entry,
      message: `${step.name} writes about ${perItem} history events per item: beyond about ${items.toLocaleString('en-US')} items one Standard execution exceeds ${HISTORY_EVENT_LIMIT.toLocaleString('en-US')} events; use a Distributed Map if the array can be that long`,
      evidence: step.evidence,
    });
  }
  return risks;
}

/** Whether the function was already re-run on failure before the migration: by a retry in its caller, by Lambda (asynchronous invokes), or by its queue. */
function wasRetried(id: string, graph: Graph, nodes: Map<string, GraphNode>): boolean {
  return graph.edges.some(
    (edge) =>
      edge.to === id &&
      ((edge.annotations?.retries ?? []).some((retry) => retry.kind !== 'sdk-client') ||
        edge.kind === 'invoke-async' ||
        edge.kind === 'sns' ||
        edge.kind === 'eventbridge' ||
        (edge.kind === 'triggers' && nodes.get(edge.from)?.kind !== 'schedule')),
  );
}

const SIDE_EFFECT_KINDS = new Set(['invoke-sync', 'invoke-async', 'sqs', 'sns', 'eventbridge', 'sfn-start', 'http']);

/** Functions that the workflow now re-runs on failure but nothing re-ran before: each must be safe to run twice. */
function getIdempotencyRisks(workflow: WorkflowPlan, graph: Graph): Risk[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const moved = new Set(workflow.functions.flatMap((fn) => fn.movedCalls.map((call) => `${call.file}:${call.line}:${call.to}`)));
  const reported = new Set<string>();
  const risks: Risk[] = [];
  for (const { step } of flattenSteps(workflow.model.steps, '')) {
    if (step.type !== 'task' || reported.has(step.function)) continue;
    // A rule with evidence replaces a retry the code or the IaC already had (a loop, a queue's redrive).
    const rule = step.retry.find((item) => item.maxAttempts > 0 && item.evidence.length === 0 && !item.errorEquals.every((error) => error.startsWith('Lambda.')));
    if (!rule || wasRetried(step.function, graph, nodes)) continue;
    reported.add(step.function);
    const effects = graph.edges.filter((edge: GraphEdge) => edge.from === step.function && SIDE_EFFECT_KINDS.has(edge.kind) && !moved.has(`${edge.file}:${edge.line}:${edge.to}`));
    const known = effects.length > 0 ? `; it still calls ${[...new Set(effects.map((edge) => `${edge.to} (${edge.kind})`))].join(', ')}` : '';
    risks.push({
      severity: effects.length > 0 ? 'warning' : 'info',
      code: 'idempotency',
      chain: workflow.chain.entry,
      message: `${step.function} is now retried (${step.name}: ${rule.errorEquals.join(', ')} up to ${rule.maxAttempts} more times) and was not before${known}: make sure running it twice is safe (database writes and e-mails included)`,
      evidence: [...step.evidence.slice(0, 1), ...effects.map((edge) => ({ file: edge.file, line: edge.line }))],
    });
  }
  return risks;
}
