import type { RetryAnnotation } from '../types/annotations.js';
import type { GraphEdge } from '../types/graph.js';
import type {
  CatchRule,
  Decision,
  Evidence,
  PlanFinding,
  ResultHandling,
  RetryRule,
  Step,
  StepInput,
  TaskStep,
  WorkflowFunction,
  WorkflowResource,
} from '../types/plan.js';
import type { DecisionRequest } from './decide.js';
import type { GraphIndex } from './graph-index.js';
import { NameAllocator, toPlaceholder } from './naming.js';
import { lambdaServiceRetry, toRetryRules } from './retry-rules.js';
import type { SourceLines } from '../source-lines.js';

/** What the mapping rules share while they build one workflow. */
export interface FlowContext {
  index: GraphIndex;
  lines: SourceLines;
  /** State names (unique in the workflow). */
  names: NameAllocator;
  decide: (request: DecisionRequest) => Promise<Decision>;
  decisions: Decision[];
  functions: Map<string, WorkflowFunction>;
  resources: Map<string, WorkflowResource>;
  findings: PlanFinding[];
  /** Functions whose flow is being built, outermost first: a function reached again is a cycle. */
  path: string[];
  /** Part export names per split function. */
  partNames: Map<string, NameAllocator>;
}

/**
 * Where the flow stands. `raw`: the state is the last step's output (a chain of whole functions, a Map
 * iteration, a Parallel branch). `envelope`: the state is a split function's envelope (docs/plan.md), so results go
 * to `$.result` and the envelope survives. `input` is the path of the next step's input.
 */
export interface Cursor {
  mode: 'raw' | 'envelope';
  input: string;
}

/** Steps, and the path of their result in the state afterwards. */
export interface Flow {
  steps: Step[];
  output: string;
}

export async function ask(ctx: FlowContext, request: DecisionRequest): Promise<string> {
  const decision = await ctx.decide(request);
  ctx.decisions.push(decision);
  return decision.choice;
}

export function addFinding(ctx: FlowContext, code: string, severity: PlanFinding['severity'], message: string, evidence: Evidence[] = []): void {
  if (ctx.findings.some((finding) => finding.code === code && finding.message === message)) return;
  ctx.findings.push({ code, severity, message, evidence });
}

export function getEdgeEvidence(ctx: FlowContext, edge: GraphEdge): Evidence {
  return ctx.lines.getEvidence(edge.file, edge.line);
}

/** Adds (once) a resource the definition touches, with its placeholder and IAM actions. */
export function registerResource(ctx: FlowContext, id: string, kind: WorkflowResource['kind'], attribute: WorkflowResource['attribute'], actions: string[]): WorkflowResource {
  const existing = ctx.resources.get(id);
  if (existing) {
    for (const action of actions) if (!existing.actions.includes(action)) existing.actions.push(action);
    return existing;
  }
  const taken = new Set([...ctx.resources.values()].map((resource) => resource.placeholder));
  let placeholder = toPlaceholder(id, kind);
  for (let n = 2; taken.has(placeholder); n++) placeholder = `${toPlaceholder(id, kind)}${n}`;
  const node = ctx.index.getNode(id);
  const resource: WorkflowResource = {
    id,
    kind,
    placeholder,
    attribute,
    ...(node?.name !== undefined ? { name: node.name } : {}),
    actions: [...actions],
    ...(node?.location ? { declaredAt: ctx.lines.getEvidence(node.location.file, node.location.line) } : {}),
  };
  ctx.resources.set(id, resource);
  return resource;
}

/** Adds (once) a function of the workflow, invoked whole until a split makes it `parts`. */
export function registerFunction(ctx: FlowContext, id: string): WorkflowFunction {
  const existing = ctx.functions.get(id);
  if (existing) return existing;
  const node = ctx.index.getNode(id);
  const kind = node?.kind === 'function' ? 'function' : 'external';
  const resource = registerResource(ctx, id, kind, 'arn', ['lambda:InvokeFunction']);
  const fn: WorkflowFunction = { id, placeholder: resource.placeholder, invocation: 'whole', parts: [], movedCalls: [] };
  if (node?.handler !== undefined) fn.handler = node.handler;
  if (node?.timeout !== undefined) fn.timeoutSeconds = node.timeout;
  // Set after the optional fields so that the keys come in the order of the type.
  const ordered: WorkflowFunction = {
    id: fn.id,
    ...(fn.handler !== undefined ? { handler: fn.handler } : {}),
    placeholder: fn.placeholder,
    invocation: fn.invocation,
    parts: fn.parts,
    movedCalls: fn.movedCalls,
    ...(fn.timeoutSeconds !== undefined ? { timeoutSeconds: fn.timeoutSeconds } : {}),
  };
  ctx.functions.set(id, ordered);
  return ordered;
}

export interface TaskOptions {
  name: string;
  function: string;
  part?: string;
  input: StepInput;
  result: ResultHandling;
  comment: string;
  evidence: Evidence[];
  retry?: RetryRule[];
  catch?: CatchRule[];
}

/** A Lambda Task: the function's timeout and the Lambda service-exception retry AWS recommends, then any others. */
export function buildLambdaTask(ctx: FlowContext, options: TaskOptions): TaskStep {
  const fn = registerFunction(ctx, options.function);
  const task: TaskStep = {
    type: 'task',
    name: options.name,
    comment: options.comment,
    evidence: options.evidence,
    function: options.function,
    ...(options.part !== undefined ? { part: options.part } : {}),
    input: options.input,
    result: options.result,
    ...(fn.timeoutSeconds !== undefined ? { timeoutSeconds: fn.timeoutSeconds } : {}),
    retry: [lambdaServiceRetry(), ...(options.retry ?? [])],
    catch: options.catch ?? [],
  };
  return task;
}

/** Result handling of a whole function's Task: in raw mode its output becomes the state; in an envelope it goes to `$.result`. */
export function getTaskResult(mode: Cursor['mode'], discard = false): ResultHandling {
  if (discard) return { resultPath: null };
  return mode === 'raw' ? { resultPath: '$', outputPath: '$.Payload' } : { resultSelector: { 'Payload.$': '$.Payload' }, resultPath: '$.result' };
}

/** Where a whole function's output is after its Task. */
export function getTaskOutput(mode: Cursor['mode']): string {
  return mode === 'raw' ? '$' : '$.result.Payload';
}

export function toPathInput(path: string): StepInput {
  return { kind: 'path', path };
}

function isCatchAll(rule: RetryRule): boolean {
  return rule.errorEquals.includes('States.ALL');
}

/** Inserts retry rules before the Lambda service retry's successors, keeping `States.ALL` rules last as ASL requires. */
export function addRetryRules(step: Step, rules: RetryRule[]): void {
  if (!('retry' in step) || rules.length === 0) return;
  const all = [...step.retry, ...rules];
  step.retry = [...all.filter((rule) => !isCatchAll(rule)), ...all.filter(isCatchAll).slice(0, 1)];
}

/** Retries found in the code, as Retry rules on the step that replaces the call; what does not carry over exactly becomes a finding. */
export function applyRetryAnnotations(ctx: FlowContext, step: Step, retries: readonly RetryAnnotation[]): void {
  for (const retry of retries) {
    const evidence = ctx.lines.getEvidence(retry.file, retry.line);
    const translation = toRetryRules(retry, evidence);
    if (!translation) continue;
    addRetryRules(step, translation.rules);
    for (const note of translation.notes) addFinding(ctx, 'retry-approximated', 'info', note, [evidence]);
  }
}
