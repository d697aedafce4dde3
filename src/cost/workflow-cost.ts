import type { GraphNode } from '../types/graph.js';
import type { Step, WorkflowPlan } from '../types/plan.js';
import { getFunctionAssumption, getLambdaGbSecondPrice, type CostAssumptions } from './assumptions.js';
import { EXPRESS_DURATION_STEP_MS, EXPRESS_MEMORY_STEP_MB } from './prices.js';

/** What one execution of a workflow uses, on the path the cost model follows. */
export interface WorkflowUsage {
  /** States entered, retries included (Standard bills each). */
  transitions: number;
  /** Lambda invocations made by Tasks. */
  lambdaRequests: number;
  lambdaGbSeconds: number;
  /** From start to end, in ms: steps in sequence add up, branches and concurrent iterations overlap (Express bills it). */
  durationMs: number;
}

export interface WorkflowCost extends WorkflowUsage {
  lambdaCost: number;
  standard: { stepFunctionsCost: number; perExecution: number; monthly: number };
  express: { billedMemoryMb: number; billedDurationMs: number; stepFunctionsCost: number; perExecution: number; monthly: number };
  /** What the model could not price (nested executions). */
  notes: string[];
}

const NONE: WorkflowUsage = { transitions: 0, lambdaRequests: 0, lambdaGbSeconds: 0, durationMs: 0 };

function add(a: WorkflowUsage, b: WorkflowUsage): WorkflowUsage {
  return { transitions: a.transitions + b.transitions, lambdaRequests: a.lambdaRequests + b.lambdaRequests, lambdaGbSeconds: a.lambdaGbSeconds + b.lambdaGbSeconds, durationMs: a.durationMs + b.durationMs };
}

function scale(usage: WorkflowUsage, factor: number, durationFactor: number): WorkflowUsage {
  return { transitions: usage.transitions * factor, lambdaRequests: usage.lambdaRequests * factor, lambdaGbSeconds: usage.lambdaGbSeconds * factor, durationMs: usage.durationMs * durationFactor };
}

/** Whether running these steps ends the workflow (or its branch): a Succeed or Fail on the path. */
function endsFlow(steps: readonly Step[]): boolean {
  const last = steps.at(-1);
  if (last === undefined) return false;
  if (last.type === 'succeed' || last.type === 'fail') return true;
  if (last.type === 'choice') return [...last.branches.map((branch) => branch.steps), last.otherwise].every(endsFlow);
  return false;
}

/** The parts of each split function that run outside Catch paths: the function's own time is spread over them. */
function getPartsOnPath(steps: readonly Step[], parts = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const step of steps) {
    if (step.type === 'task' && step.part !== undefined) parts.set(step.function, (parts.get(step.function) ?? new Set()).add(step.part));
    if (step.type === 'map') getPartsOnPath(step.steps, parts);
    if (step.type === 'parallel') for (const branch of step.branches) getPartsOnPath(branch.steps, parts);
    if (step.type === 'choice') for (const branch of [...step.branches.map((item) => item.steps), step.otherwise]) getPartsOnPath(branch, parts);
  }
  return parts;
}

/**
 * The cost of one execution of a workflow, then per month. The path followed: Choice takes the branch that goes on
 * (not one that ends the workflow early) with the most transitions, Catch steps do not run, each Map processes
 * `itemsPerMap` items, a Task with Retry rules fails `retryRate` of its attempts once. A function split into parts
 * spends its own time evenly across the parts outside Catch paths.
 */
export function getWorkflowCost(workflow: WorkflowPlan, nodes: Map<string, GraphNode>, assumptions: CostAssumptions): WorkflowCost {
  const notes: string[] = [];
  const gbSecondPrice = getLambdaGbSecondPrice(assumptions);
  const partsOf = getPartsOnPath(workflow.model.steps);

  const walk = (steps: readonly Step[]): WorkflowUsage => {
    let total = NONE;
    for (const step of steps) {
      total = add(total, getStepUsage(step));
      if (step.type === 'succeed' || step.type === 'fail') break;
      if (step.type === 'choice' && endsFlow([step])) break;
    }
    return total;
  };

  const retried = (rules: { maxAttempts: number }[]) => (rules.some((rule) => rule.maxAttempts > 0) ? assumptions.retryRate : 0);
  const getStepUsage = (step: Step): WorkflowUsage => {
    switch (step.type) {
      case 'task': {
        const figure = getFunctionAssumption(step.function, nodes.get(step.function), assumptions);
        const ms = figure.durationMs / (step.part === undefined ? 1 : Math.max(1, partsOf.get(step.function)?.size ?? 1));
        const retries = retried(step.retry);
        const interval = (step.retry.find((rule) => rule.maxAttempts > 0)?.intervalSeconds ?? 0) * 1000;
        const attempts = 1 + retries;
        return { transitions: attempts, lambdaRequests: attempts, lambdaGbSeconds: attempts * (figure.memoryMb / 1024) * (ms / 1000), durationMs: ms + retries * (ms + interval) };
      }
      case 'service': {
        if (step.integration === 'sync') notes.push(`${step.name} waits for a nested execution, whose own cost is not included`);
        const retries = retried(step.retry);
        return { ...NONE, transitions: 1 + retries, durationMs: assumptions.serviceStepMs * (1 + retries) };
      }
      case 'map': {
        const items = assumptions.itemsPerMap;
        const concurrency = step.maxConcurrency && step.maxConcurrency > 0 ? step.maxConcurrency : items;
        const iteration = walk(step.steps);
        return add({ ...NONE, transitions: 1 }, scale(iteration, items, Math.ceil(items / concurrency)));
      }
      case 'parallel': {
        const branches = step.branches.map((branch) => walk(branch.steps));
        const sum = branches.reduce(add, NONE);
        return { ...sum, transitions: 1 + sum.transitions, durationMs: Math.max(0, ...branches.map((branch) => branch.durationMs)) };
      }
      case 'choice': {
        const paths = [...step.branches.map((branch) => branch.steps), step.otherwise];
        const goingOn = paths.filter((steps) => !endsFlow(steps));
        const candidates = (goingOn.length > 0 ? goingOn : paths).map(walk);
        const chosen = candidates.reduce((best, usage) => (usage.transitions > best.transitions ? usage : best));
        return add({ ...NONE, transitions: 1 }, chosen);
      }
      case 'wait':
        return { ...NONE, transitions: 1, durationMs: step.seconds * 1000 };
      default:
        return { ...NONE, transitions: 1 };
    }
  };

  const usage = walk(workflow.model.steps);
  const lambdaCost = usage.lambdaRequests * assumptions.prices.lambdaRequest + usage.lambdaGbSeconds * gbSecondPrice;
  const standardSfn = usage.transitions * assumptions.prices.standardTransition;
  const billedMemoryMb = Math.ceil(assumptions.expressMemoryMb / EXPRESS_MEMORY_STEP_MB) * EXPRESS_MEMORY_STEP_MB;
  const billedDurationMs = Math.max(1, Math.ceil(usage.durationMs / EXPRESS_DURATION_STEP_MS)) * EXPRESS_DURATION_STEP_MS;
  const expressSfn = assumptions.prices.expressRequest + (billedMemoryMb / 1024) * (billedDurationMs / 1000) * assumptions.prices.expressGbSecond;
  const month = assumptions.invocationsPerMonth;
  return {
    ...usage,
    lambdaCost,
    standard: { stepFunctionsCost: standardSfn, perExecution: lambdaCost + standardSfn, monthly: (lambdaCost + standardSfn) * month },
    express: { billedMemoryMb, billedDurationMs, stepFunctionsCost: expressSfn, perExecution: lambdaCost + expressSfn, monthly: (lambdaCost + expressSfn) * month },
    notes: [...new Set(notes)],
  };
}
