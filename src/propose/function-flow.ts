import type { CatchAnnotation } from '../types/annotations.js';
import type { GraphEdge, GraphNode } from '../types/graph.js';
import type { CatchRule, ChoiceStep, FunctionPart, ParallelStep, Step, StepInput, TaskStep } from '../types/plan.js';
import { groupCalls, getOrphanCompensations, isBoundary, type CallGroup } from './call-groups.js';
import { toChoiceCondition } from './choice-conditions.js';
import { buildFanOutStep } from './fan-out.js';
import { replaceForwarder } from './forwarder.js';
import {
  addFinding,
  applyRetryAnnotations,
  buildLambdaTask,
  getEdgeEvidence,
  getTaskOutput,
  getTaskResult,
  registerFunction,
  toPathInput,
  type Cursor,
  type Flow,
  type FlowContext,
} from './flow-context.js';
import { toMovedCall } from './graph-index.js';
import { buildHopFlow, type HopOptions } from './hops.js';
import { NameAllocator, toCamelCase, toPascalCase } from './naming.js';

/**
 * The steps that replace one function and everything it hands work on. A function whose calls all hand work on
 * runs whole, and the targets follow it. A function that waits for a call's result (or guards a call with a
 * condition) is split into parts around those calls (docs/plan.md, "Split functions").
 */
export async function buildFunctionFlow(ctx: FlowContext, functionId: string, cursor: Cursor, options: HopOptions): Promise<Flow> {
  if (ctx.path.includes(functionId)) {
    addFinding(ctx, 'cycle', 'error', `${functionId} is reached again from ${ctx.path.join(' → ')}: a cycle the workflow cannot express; the call stays in the code`);
    return { steps: [], output: cursor.input };
  }
  ctx.path.push(functionId);
  try {
    const replaced = await replaceForwarder(ctx, functionId, cursor, options, (edge, next) => buildHopFlow(ctx, edge, next, { tail: true }));
    if (replaced) return replaced;
    const calls = ctx.index.getCallsOf(functionId).filter((edge) => {
      if (edge.kind !== 'http') return true;
      addFinding(ctx, 'http-call', 'info', `${functionId} calls ${edge.to} over HTTP (${edge.file}:${edge.line}): the call stays in the code`, [getEdgeEvidence(ctx, edge)]);
      return false;
    });
    const groups = groupCalls(calls);
    for (const orphan of getOrphanCompensations(calls, groups)) {
      addFinding(ctx, 'compensation-not-placed', 'warning', `the compensation at ${orphan.file}:${orphan.line} protects calls the workflow does not make: it stays in the code`, [getEdgeEvidence(ctx, orphan)]);
    }
    const fn = registerFunction(ctx, functionId);
    fn.movedCalls.push(...calls.filter((edge) => !fn.movedCalls.some((moved) => moved.file === edge.file && moved.line === edge.line && moved.to === edge.to)).map((edge) => toMovedCall(edge, ctx.lines.getText(edge.file, edge.line))));
    if (groups.some(isBoundary)) return await buildPartsFlow(ctx, functionId, groups, cursor, options);
    return await buildWholeFlow(ctx, functionId, groups, cursor, options);
  } finally {
    ctx.path.pop();
  }
}

async function buildWholeFlow(ctx: FlowContext, functionId: string, groups: CallGroup[], cursor: Cursor, options: HopOptions): Promise<Flow> {
  const node = ctx.index.getNode(functionId);
  const evidence = node?.location ? [ctx.lines.getEvidence(node.location.file, node.location.line)] : [];
  const task = buildLambdaTask(ctx, {
    name: ctx.names.allocate(toPascalCase(functionId)),
    function: functionId,
    input: toPathInput(cursor.input),
    result: getTaskResult(cursor.mode),
    comment: `${functionId}${describeDeclaration(node)}${groups.length > 0 ? '; returns what it used to send on' : ''}`,
    evidence,
  });
  const output = getTaskOutput(cursor.mode);
  if (groups.length === 0) return { steps: [task], output };
  const handOn = await buildHandOnFlow(ctx, functionId, groups, { mode: cursor.mode, input: output }, options);
  return { steps: [task, ...handOn.steps], output: handOn.output };
}

/** `(handler src/x.ts, declared at serverless.yml:93)`: where a function's code and configuration are. */
function describeDeclaration(node: GraphNode | undefined): string {
  const parts = [
    ...(node?.handler ? [`handler ${node.handler.replace(/:[^:]*$/, '')}`] : []),
    ...(node?.location ? [`declared at ${node.location.file}:${node.location.line}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * What a function hands on once its own code has run: the targets of its fire-and-forget calls, fed from
 * `cursor.input` (one call: its payload; several: an array in call order). Where something follows, they run in a
 * one-branch Parallel whose result is dropped, so the state they leave does not replace the one that follows.
 */
async function buildHandOnFlow(ctx: FlowContext, functionId: string, groups: CallGroup[], cursor: Cursor, options: HopOptions): Promise<Flow> {
  const sequences: { label: string; steps: Step[] }[] = [];
  let output = cursor.input;
  for (const [index, group] of groups.entries()) {
    const input = groups.length === 1 ? cursor.input : `${cursor.input}[${index}]`;
    const tail = options.tail && groups.length === 1;
    const flow = await buildGroupSteps(ctx, group, { mode: tail ? cursor.mode : 'raw', input }, { tail });
    sequences.push({ label: describeGroup(group), steps: withGuard(ctx, group, flow.steps, false) });
    if (tail) output = flow.output;
  }
  const nonEmpty = sequences.filter((sequence) => sequence.steps.length > 0);
  if (nonEmpty.length === 0) return { steps: [], output: cursor.input };
  if (options.tail && nonEmpty.length === 1 && groups.length === 1) return { steps: nonEmpty[0]!.steps, output };
  const parallel: ParallelStep = {
    type: 'parallel',
    name: ctx.names.allocate(nonEmpty.length === 1 ? `${toPascalCase(nonEmpty[0]!.label)}Flow` : `${toPascalCase(functionId)}HandsOn`),
    comment: nonEmpty.length === 1
      ? `what ${functionId} handed on to ${nonEmpty[0]!.label}; its result is not used`
      : `what ${functionId} handed on, in parallel: ${nonEmpty.map((sequence) => sequence.label).join(', ')}`,
    evidence: groups.flatMap((group) => group.edges.map((edge) => getEdgeEvidence(ctx, edge))),
    branches: nonEmpty,
    result: { resultPath: null },
    retry: [],
    catch: [],
  };
  return { steps: [parallel], output: cursor.input };
}

/** A group's steps: one call's target, or the Map/Parallel of a fan-out, with the retries the code wrapped around it. */
async function buildGroupSteps(ctx: FlowContext, group: CallGroup, cursor: Cursor, options: HopOptions): Promise<Flow> {
  if (group.shape !== 'single') return buildFanOutStep(ctx, group, cursor, options);
  const edge = group.edges[0]!;
  const flow = await buildHopFlow(ctx, edge, cursor, options);
  const first = flow.steps[0];
  if (first) applyRetryAnnotations(ctx, first, edge.annotations?.retries ?? []);
  return flow;
}

/** A call guarded by a condition runs in a Choice branch; a waited-for call that is skipped leaves a null result. */
function withGuard(ctx: FlowContext, group: CallGroup, steps: Step[], waits: boolean): Step[] {
  if (group.guard.length === 0 || steps.length === 0) return steps;
  const translation = toChoiceCondition(group.guard);
  const evidence = group.guard.map((condition) => ctx.lines.getEvidence(condition.file, condition.line));
  if (!translation.ok) {
    addFinding(ctx, 'condition-not-moved', 'warning', `${translation.reason}: the workflow always makes the call to ${describeGroup(group)}; add a Choice by hand if needed`, evidence);
    return steps;
  }
  const target = toPascalCase(describeGroup(group));
  const choice: ChoiceStep = {
    type: 'choice',
    name: ctx.names.allocate(`Needs${target}`),
    comment: `${translation.sourceText} (${group.guard.map((condition) => `${condition.file}:${condition.line}`).join(', ')})`,
    evidence,
    branches: [{ condition: translation.condition, sourceText: translation.sourceText, steps }],
    otherwise: waits
      ? [{ type: 'pass', name: ctx.names.allocate(`Skip${target}`), comment: `no call to ${describeGroup(group)}: the next part receives a null result`, evidence: [], value: { Payload: null }, result: { resultPath: '$.result' } }]
      : [],
  };
  return [choice];
}

/** Variables a guard's Choice reads from `$.vars`. */
function getGuardVars(group: CallGroup): string[] {
  if (group.guard.length === 0) return [];
  const translation = toChoiceCondition(group.guard);
  return translation.ok ? translation.vars : [];
}

function describeGroup(group: CallGroup): string {
  const targets = [...new Set(group.edges.map((edge) => edge.to))];
  return targets.length <= 2 ? targets.join(' and ') : `${targets[0]} and ${targets.length - 1} more`;
}

/** The state a part's Task passes: the envelope of docs/plan.md. */
function buildPartInput(part: string, role: FunctionPart['role'], eventPath: string): StepInput {
  if (role === 'start') return { kind: 'template', template: { step: part, 'event.$': eventPath, vars: {}, result: null, error: null } };
  return {
    kind: 'template',
    template: { step: part, 'event.$': '$.event', 'vars.$': '$.vars', ...(role === 'after-call' ? { 'result.$': '$.result.Payload' } : { result: null }), 'error.$': '$.error' },
  };
}

interface PartsBuilder {
  functionId: string;
  fnName: string;
  parts: FunctionPart[];
  exports: NameAllocator;
}

/**
 * A split function: one part per stretch of code between the calls it waits for. After each part that ends at a
 * call, a Choice ends the workflow if the part returned early; the call's steps follow (guarded by a Choice when
 * the code guarded it), then the next part receives the result. Calls that only hand work on and come after the
 * last waited-for call run after the last part.
 */
async function buildPartsFlow(ctx: FlowContext, functionId: string, groups: CallGroup[], cursor: Cursor, options: HopOptions): Promise<Flow> {
  const fn = registerFunction(ctx, functionId);
  fn.invocation = 'parts';
  const builder: PartsBuilder = { functionId, fnName: toPascalCase(functionId), parts: fn.parts, exports: ctx.partNames.get(functionId) ?? new NameAllocator() };
  ctx.partNames.set(functionId, builder.exports);
  const lastWaited = groups.findLastIndex(isBoundary);
  const boundaries = groups.slice(0, lastWaited + 1);
  const handedOn = groups.slice(lastWaited + 1);
  const steps: Step[] = [];
  let previous: CallGroup | undefined;
  for (const group of boundaries) {
    const part = addPart(ctx, builder, previous, group.edges, getGuardVars(group));
    steps.push(buildPartTask(ctx, builder, part, previous === undefined ? cursor.input : '$.event', false));
    steps.push(buildReturnedChoice(ctx, builder, part));
    if (!group.waits) {
      const why = group.guard.length > 0 ? 'under a condition the workflow tests' : group.exits.length > 0 ? 'unless it returned early' : 'before it waits for a later call';
      addFinding(ctx, 'reordered-hand-on', 'info', `${functionId} hands work on to ${describeGroup(group)} ${why}: the workflow waits for that work, then runs the rest of ${functionId}`, group.edges.map((edge) => getEdgeEvidence(ctx, edge)));
    }
    const flow = await buildGroupSteps(ctx, group, { mode: 'envelope', input: '$.payload' }, { tail: false });
    const main = flow.steps[0];
    if (main && group.compensations.length > 0) await addCompensation(ctx, builder, group, main);
    else if (main && group.caughtBy && group.waits) addCatchClause(ctx, builder, group, group.caughtBy, main);
    steps.push(...withGuard(ctx, group, flow.steps, group.waits));
    previous = group;
  }
  const last = addPart(ctx, builder, previous, handedOn.flatMap((group) => group.edges), []);
  if (handedOn.length === 0) {
    steps.push(buildPartTask(ctx, builder, last, '$.event', true));
    return await scopeParts(ctx, builder, steps, '$', cursor, options);
  }
  steps.push(buildPartTask(ctx, builder, last, '$.event', false));
  const handOn = await buildHandOnFlow(ctx, functionId, handedOn, { mode: 'envelope', input: '$.payload' }, { tail: true });
  steps.push(...handOn.steps);
  return await scopeParts(ctx, builder, steps, '$.return', cursor, options);
}

/**
 * A split function's steps where their envelope would replace a state that something after them still needs (a
 * caller's envelope, or steps that follow): inside a one-branch Parallel, whose result is the function's return value.
 */
async function scopeParts(ctx: FlowContext, builder: PartsBuilder, steps: Step[], output: string, cursor: Cursor, options: HopOptions): Promise<Flow> {
  if (cursor.mode === 'raw' && options.tail) return { steps, output };
  setOutput(ctx, steps, output, builder.fnName);
  const scope: ParallelStep = {
    type: 'parallel',
    name: ctx.names.allocate(`${builder.fnName}Flow`),
    comment: `${builder.functionId} in its own scope, so that its parts do not replace the state around it`,
    evidence: [],
    branches: [{ label: builder.functionId, steps }],
    result: cursor.mode === 'raw' ? { resultPath: '$', outputPath: '$[0]' } : { resultSelector: { 'Payload.$': '$[0]' }, resultPath: '$.result' },
    retry: [],
    catch: [],
  };
  return { steps: [scope], output: cursor.mode === 'raw' ? '$' : '$.result.Payload' };
}

/** Makes a sequence end with the value at `path` as its output: on its last step when it can say so, else with a Succeed. */
export function setOutput(ctx: FlowContext, steps: Step[], path: string, label: string): void {
  if (path === '$') return;
  const last = steps.at(-1);
  if (last && 'result' in last && last.result.outputPath === undefined) {
    last.result.outputPath = path;
    return;
  }
  steps.push({ type: 'succeed', name: ctx.names.allocate(`${label}Done`), comment: `the value ${label} returned`, evidence: [], outputPath: path });
}

function addPart(ctx: FlowContext, builder: PartsBuilder, previous: CallGroup | undefined, before: GraphEdge[], vars: string[]): FunctionPart {
  const role: FunctionPart['role'] = previous === undefined ? 'start' : 'after-call';
  const callee = previous ? describeCallee(previous.edges) : describeCallee(before);
  const name = builder.exports.allocate(toCamelCase(`${previous ? 'after' : 'before'} ${callee}`));
  const part: FunctionPart = {
    name,
    role,
    ...(previous ? { after: toMovedCall(previous.edges[0]!, ctx.lines.getText(previous.edges[0]!.file, previous.edges[0]!.line)) } : {}),
    before: before.map((edge) => toMovedCall(edge, ctx.lines.getText(edge.file, edge.line))),
    vars,
    states: [],
  };
  builder.parts.push(part);
  return part;
}

function describeCallee(edges: readonly GraphEdge[]): string {
  const targets = [...new Set(edges.map((edge) => edge.to))];
  if (targets.length === 0) return 'end';
  return targets.length <= 2 ? targets.join(' and ') : `${targets[0]} and more`;
}

function buildPartTask(ctx: FlowContext, builder: PartsBuilder, part: FunctionPart, eventPath: string, ends: boolean): TaskStep {
  const name = ctx.names.allocate(`${builder.fnName}${toPascalCase(part.name)}`);
  part.states.push(name);
  // An on-error part runs the catch clause: cite it rather than the call that failed.
  const anchor = part.catchClause ?? part.after ?? part.before[0];
  const what = part.role === 'start' ? `up to ${describeMoved(part.before)}` : part.role === 'on-error' ? `in the catch of ${part.after?.to}` : `after ${part.after?.to}${part.before.length > 0 ? `, up to ${describeMoved(part.before)}` : ''}`;
  return buildLambdaTask(ctx, {
    name,
    function: builder.functionId,
    part: part.name,
    input: buildPartInput(part.name, part.role, eventPath),
    result: ends ? { resultPath: '$', outputPath: '$.Payload.return' } : { resultPath: '$', outputPath: '$.Payload' },
    comment: `${builder.functionId} ${what}${anchor ? ` (${anchor.file}:${anchor.line})` : ''}`,
    evidence: anchor ? [{ file: anchor.file, line: anchor.line, text: anchor.text }] : [],
  });
}

function describeMoved(calls: FunctionPart['before']): string {
  const targets = [...new Set(calls.map((call) => call.to))];
  return targets.length === 0 ? 'its end' : targets.join(', ');
}

/** After a part that ends at a call: if the handler returned early (`done`), the workflow ends with what it returned. */
function buildReturnedChoice(ctx: FlowContext, builder: PartsBuilder, part: FunctionPart): ChoiceStep {
  const partName = toPascalCase(part.name);
  return {
    type: 'choice',
    name: ctx.names.allocate(`${builder.fnName}${partName}Returned`),
    comment: `${builder.functionId} may return before ${describeMoved(part.before)}: then its return value is the result`,
    evidence: [],
    branches: [
      {
        condition: { kind: 'compare', path: '$.done', operator: '==', value: true },
        sourceText: `${builder.functionId} returned`,
        steps: [{ type: 'succeed', name: ctx.names.allocate(`${builder.fnName}Returned${partName}`), comment: `what ${builder.functionId} returned`, evidence: [], outputPath: '$.return' }],
      },
    ],
    otherwise: [],
  };
}

/**
 * A compensation: the code caught the failure of `group` and called other functions to undo earlier work. The
 * step that replaces the group gets a Catch that runs the caller's catch clause as a part, the compensating calls,
 * and the caller's code after them as a last part, which returns (the workflow's result) or throws (it fails).
 */
async function addCompensation(ctx: FlowContext, builder: PartsBuilder, group: CallGroup, step: Step): Promise<void> {
  if (!('catch' in step)) return;
  const annotation = group.compensations[0]!.annotations!.compensation!;
  const failed = group.edges[0]!;
  const catchEvidence = ctx.lines.getEvidence(annotation.file, annotation.line);
  const steps: Step[] = [];
  let previous: GraphEdge | undefined;
  for (const compensation of group.compensations) {
    const part = previous === undefined ? addErrorPart(ctx, builder, failed, catchEvidence, compensation) : addPart(ctx, builder, { ...group, edges: [previous] }, [compensation], []);
    steps.push(buildPartTask(ctx, builder, part, '$.event', false), buildReturnedChoice(ctx, builder, part));
    const flow = await buildHopFlow(ctx, compensation, { mode: 'envelope', input: '$.payload' }, { tail: false });
    const first = flow.steps[0];
    if (first) {
      first.comment = `compensation: ${first.comment}`;
      applyRetryAnnotations(ctx, first, compensation.annotations?.retries ?? []);
    }
    steps.push(...flow.steps);
    previous = compensation;
  }
  const last = addPart(ctx, builder, { ...group, edges: [previous!] }, [], []);
  steps.push(buildPartTask(ctx, builder, last, '$.event', true));
  const undone = annotation.compensates.map((reference) => reference.to);
  const rule: CatchRule = {
    errorEquals: ['States.ALL'],
    resultPath: '$.error',
    comment: `the catch at ${annotation.file}:${annotation.line}${undone.length > 0 ? ` undoes ${undone.join(', ')}` : ''}${annotation.errorCondition ? ` (when ${annotation.errorCondition}: the part rethrows the others)` : ''}`,
    evidence: [catchEvidence],
    steps,
  };
  step.catch.push(rule);
}

/**
 * The code caught the failure of `group` and handled it without calling other functions (`catch (err) { if
 * (err.name !== 'X') throw err; ...; return json(409, ...) }`): the step that replaces the group gets a Catch that
 * runs the catch clause as an on-error part to the handler's end, which returns (the workflow's result) or throws
 * (the workflow fails, as the handler did).
 */
function addCatchClause(ctx: FlowContext, builder: PartsBuilder, group: CallGroup, caught: CatchAnnotation, step: Step): void {
  if (!('catch' in step)) return;
  const evidence = ctx.lines.getEvidence(caught.file, caught.line);
  if (!caught.exits) {
    addFinding(ctx, 'catch-not-moved', 'warning', `the catch at ${caught.file}:${caught.line} handles the failure of ${describeGroup(group)} and goes on after the try: the workflow has no Catch for it, so such a failure now fails the execution; end the catch with a return or a throw, or handle the failure in ${describeGroup(group)}`, [evidence]);
    return;
  }
  const part = addErrorPart(ctx, builder, group.edges[0]!, evidence, undefined);
  step.catch.push({
    errorEquals: ['States.ALL'],
    resultPath: '$.error',
    comment: `the catch at ${caught.file}:${caught.line} handles the failure of ${describeGroup(group)}${caught.errorCondition ? ` (when ${caught.errorCondition}: the part rethrows the others)` : ''}`,
    evidence: [evidence],
    steps: [buildPartTask(ctx, builder, part, '$.event', true)],
  });
}

function addErrorPart(ctx: FlowContext, builder: PartsBuilder, failed: GraphEdge, catchClause: FunctionPart['catchClause'], compensation: GraphEdge | undefined): FunctionPart {
  const part: FunctionPart = {
    name: builder.exports.allocate(toCamelCase(`on ${failed.to} error`)),
    role: 'on-error',
    after: toMovedCall(failed, ctx.lines.getText(failed.file, failed.line)),
    ...(catchClause ? { catchClause } : {}),
    before: compensation ? [toMovedCall(compensation, ctx.lines.getText(compensation.file, compensation.line))] : [],
    vars: [],
    states: [],
  };
  builder.parts.push(part);
  return part;
}
