import { forEachStep } from '../plan-steps.js';
import type { Chain, Graph, GraphEdge, GraphNode } from '../types/graph.js';
import type { Decision, Evidence, PlanFinding, SkippedChain, Step, WorkflowPlan } from '../types/plan.js';
import type { Decide } from './decide.js';
import { addFinding, ask, type FlowContext } from './flow-context.js';
import { buildFunctionFlow, setOutput } from './function-flow.js';
import { createGraphIndex } from './graph-index.js';
import { NameAllocator, toPascalCase } from './naming.js';
import type { SourceLines } from '../source-lines.js';

/** Step Functions' limit on a state's input or output. */
const STATE_PAYLOAD_LIMIT = 256 * 1024;
/** Above this many states a workflow is hard to review; nested workflows help. */
const LARGE_WORKFLOW_STATES = 40;
/** An Express workflow runs at most five minutes. */
const EXPRESS_MAX_SECONDS = 300;

export interface WorkflowInput {
  graph: Graph;
  chain: Chain;
  /** The workflow's name (unique in the plan). */
  name: string;
  decide: Decide;
  lines: SourceLines;
}

/** One chain as a workflow: its decisions, functions, resources, model and findings; or why it is left to the user. */
export async function buildWorkflowPlan(input: WorkflowInput): Promise<WorkflowPlan | SkippedChain> {
  const { graph, chain, lines } = input;
  if (chain.hasCycle) {
    const cycle = graph.cycles.find((ids) => ids.some((id) => chain.nodes.includes(id))) ?? [];
    const evidence = graph.edges
      .filter((edge) => cycle.includes(edge.from) && cycle.includes(edge.to) && edge.kind !== 'triggers')
      .map((edge) => lines.getEvidence(edge.file, edge.line));
    return { entry: chain.entry, reason: `the chain has a cycle (${[...cycle, cycle[0]].join(' → ')}): a workflow has no loops over functions, so this is left to you`, evidence };
  }
  const decisions: Decision[] = [];
  const findings: PlanFinding[] = [];
  const extra = await decideUnresolved(input, decisions, findings);
  const index = createGraphIndex({ ...graph, nodes: [...graph.nodes, ...extra.nodes], edges: [...graph.edges, ...extra.edges] });
  const ctx: FlowContext = {
    index,
    lines,
    names: new NameAllocator(),
    decide: input.decide,
    decisions,
    functions: new Map(),
    resources: new Map(),
    findings,
    path: [],
    partNames: new Map(),
  };
  const queryLanguage = await ask(ctx, {
    id: 'query-language',
    kind: 'query-language',
    question: 'JSONPath or JSONata for the data between states?',
    default: 'JSONPath',
    alternatives: [
      { value: 'JSONPath', description: 'Parameters, ResultSelector, ResultPath: what most existing workflows and tools use' },
      { value: 'JSONata', description: 'Arguments and Output with JSONata expressions: fewer states for data shaping' },
    ],
    reason: 'JSONPath is understood by every tool, including local runners',
    evidence: [],
  });
  const flow = await buildFunctionFlow(ctx, chain.entry, { mode: 'raw', input: '$' }, { tail: true });
  setOutput(ctx, flow.steps, flow.output, toPascalCase(chain.entry));
  // Asked once the model is known: nested executions and distributed maps need a Standard workflow.
  const type = await ask(ctx, getWorkflowTypeRequest(graph, chain, lines, getStandardOnlySteps(flow.steps)));
  checkModel(ctx, flow.steps, chain, type);
  const entryNode = index.getNode(chain.entry);
  return {
    name: input.name,
    logicalId: `${toPascalCase(input.name)}Workflow`,
    chain: { entry: chain.entry, triggers: chain.triggers, functions: chain.functions, nodes: chain.nodes },
    type: type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    queryLanguage: queryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath',
    decisions,
    functions: [...ctx.functions.values()],
    resources: [...ctx.resources.values()],
    model: {
      comment: `The ${chain.entry} chain${entryNode?.handler ? ` (${entryNode.handler.replace(/:[^:]*$/, '')})` : ''} as a workflow, proposed by lambda2sfn`,
      steps: flow.steps,
    },
    findings,
  };
}

/** Steps an Express workflow cannot run: waits for a nested execution or a callback, distributed maps. */
function getStandardOnlySteps(steps: Step[]): string[] {
  const names: string[] = [];
  forEachStep(steps, 'steps', (step) => {
    if ((step.type === 'service' && step.integration !== 'request-response') || (step.type === 'map' && step.mode === 'distributed')) names.push(step.name);
  });
  return names;
}

function getWorkflowTypeRequest(graph: Graph, chain: Chain, lines: SourceLines, standardOnly: string[]) {
  const nodes = chain.functions.map((id) => graph.nodes.find((node) => node.id === id)).filter((node): node is GraphNode => node !== undefined);
  const budget = nodes.reduce((sum, node) => sum + (node.timeout ?? 6), 0);
  const entry = nodes.find((node) => node.id === chain.entry);
  const http = entry?.events?.find((event) => event.kind === 'http');
  const answersHttp = http !== undefined || chain.triggers.includes('http');
  const express = answersHttp && budget <= EXPRESS_MAX_SECONDS && standardOnly.length === 0;
  const evidence: Evidence[] = [];
  if (http) evidence.push(lines.getEvidence(http.location.file, http.location.line));
  if (entry?.location) evidence.push(lines.getEvidence(entry.location.file, entry.location.line));
  return {
    id: 'workflow-type',
    kind: 'workflow-type',
    question: `Standard or Express workflow for ${chain.entry}?`,
    default: express ? 'EXPRESS' : 'STANDARD',
    alternatives: [
      { value: 'STANDARD', description: 'up to a year, exactly-once steps, full history; priced per state transition' },
      { value: 'EXPRESS', description: 'up to 5 minutes, at-least-once; priced per request and duration; can answer an HTTP request synchronously' },
    ],
    reason: express
      ? `${chain.entry} answers an HTTP request and the chain's timeouts add up to ${budget} s: a synchronous Express workflow keeps the API answering`
      : standardOnly.length > 0
        ? `${standardOnly.join(', ')} need${standardOnly.length === 1 ? 's' : ''} a Standard workflow (nested executions and distributed maps do not run in Express)`
        : answersHttp
          ? `the chain's timeouts add up to ${budget} s, beyond the 5 minutes of an Express workflow`
          : `nobody waits for ${chain.entry}'s answer (${chain.triggers.join(', ')}): Standard keeps a full history and runs each step once`,
    evidence,
  };
}

/** Calls in the chain whose target is unknown: left in the code, or a Task with a placeholder to fill in. */
async function decideUnresolved(input: WorkflowInput, decisions: Decision[], findings: PlanFinding[]): Promise<{ nodes: GraphNode[]; edges: GraphEdge[] }> {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const item of input.graph.unresolved) {
    if (item.from === undefined || !input.chain.functions.includes(item.from)) continue;
    const evidence = [input.lines.getEvidence(item.file, item.line)];
    const decision = await input.decide({
      id: `unresolved:${item.file}:${item.line}`,
      kind: 'unresolved-target',
      question: `${item.from} calls ${item.target} (${item.reason}): leave the call in the code, or add a step you complete by hand?`,
      default: 'leave',
      alternatives: [
        { value: 'leave', description: 'the call stays in the handler; the workflow does not show it' },
        { value: 'task', description: 'a step with a placeholder target; the role allows any resource until you fill it in' },
      ],
      reason: 'the target is not known statically, so a step would need you to name it',
      evidence,
    });
    decisions.push(decision);
    if (decision.choice === 'leave') {
      findings.push({ code: 'unresolved-target', severity: 'warning', message: `the call to ${item.target} at ${item.file}:${item.line} stays in ${item.from}: ${item.reason}`, evidence });
      continue;
    }
    const id = `Unresolved${toPascalCase(item.target).slice(0, 40)}L${item.line}`;
    const service = item.sdk?.service ?? 'lambda';
    nodes.push({ id, kind: 'external', name: '*', service });
    edges.push({ from: item.from, to: id, kind: item.kind, file: item.file, line: item.line, target: item.target, ...(item.sdk ? { sdk: item.sdk } : {}) });
    findings.push({ code: 'unresolved-target', severity: 'warning', message: `${id} stands for ${item.target} (${item.file}:${item.line}): fill in its placeholder; until then the role allows any resource`, evidence });
  }
  return { nodes, edges };
}

/** Checks of the finished model: size, payloads, Express limits. */
function checkModel(ctx: FlowContext, steps: Step[], chain: Chain, type: string): void {
  let states = 0;
  forEachStep(steps, 'steps', () => states++);
  if (states > LARGE_WORKFLOW_STATES) {
    addFinding(ctx, 'large-workflow', 'info', `${states} states: consider a parent workflow that starts nested children (states:startExecution.sync:2) for parts of the chain`);
  }
  if (type === 'EXPRESS') {
    forEachStep(steps, 'steps', (step) => {
      if (step.type === 'service' && step.integration !== 'request-response') addFinding(ctx, 'express-integration', 'error', `${step.name} waits for a nested execution, which an Express workflow cannot do: choose STANDARD`);
      if (step.type === 'map' && step.mode === 'distributed') addFinding(ctx, 'express-integration', 'error', `${step.name} is a distributed Map, which an Express workflow cannot run: choose STANDARD`);
    });
  }
  for (const edge of ctx.index.graph.edges) {
    if (!chain.functions.includes(edge.from)) continue;
    const payload = edge.annotations?.payload;
    const size = payload?.bytes ?? payload?.minBytes;
    if (payload && size !== undefined && size > STATE_PAYLOAD_LIMIT) {
      addFinding(ctx, 'payload-size', 'warning', `the payload at ${payload.file}:${payload.line} is at least ${size} bytes, over the 256 KB a state may hold: pass an S3 reference instead`, [ctx.lines.getEvidence(payload.file, payload.line)]);
    }
  }
}
