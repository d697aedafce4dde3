import { describe, expect, it } from 'vitest';
import { getChainCosts, PRICES, toAssumptions } from '../src/cost/compare.js';
import { getChainCostToday } from '../src/cost/chain-today.js';
import { getWorkflowCost } from '../src/cost/workflow-cost.js';
import type { FanOutAnnotation, RetryAnnotation } from '../src/types/annotations.js';
import type { Graph, GraphEdge } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import type { RetryRule, Step, WorkflowPlan } from '../src/types/plan.js';

// Prices used by every figure below (src/cost/prices.ts):
//   Lambda request 0.0000002 $, Lambda x86 0.0000166667 $/GB-s, arm64 0.0000133334 $/GB-s,
//   Standard transition 0.000025 $, Express request 0.000001 $, Express 0.00001667 $/GB-s.

const SYNC: GraphEdge = { from: 'api', to: 'worker', kind: 'invoke-sync', file: 'src/api.ts', line: 10 };

/** api (1024 MB, http) ─sync→ worker (512 MB) ─sqs→ Jobs ─triggers→ helper (no memory, no timeout in the IaC). */
function buildGraph(syncEdge: GraphEdge = SYNC): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 'api', kind: 'function', timeout: 10, memorySize: 1024 },
      { id: 'worker', kind: 'function', timeout: 5, memorySize: 512 },
      { id: 'helper', kind: 'function' },
      { id: 'Jobs', kind: 'queue' },
    ],
    edges: [
      syncEdge,
      { from: 'worker', to: 'Jobs', kind: 'sqs', file: 'src/worker.ts', line: 4 },
      { from: 'Jobs', to: 'helper', kind: 'triggers', file: 'serverless.yml', line: 30 },
    ],
    chains: [{ entry: 'api', triggers: ['http'], nodes: ['api', 'worker', 'Jobs', 'helper'], functions: ['api', 'worker', 'helper'], depth: 2, syncInvokes: 1, hasCycle: false }],
    cycles: [],
    unresolved: [],
    unreached: [],
    diagnostics: [],
  };
}

const DURATIONS = { api: 200, worker: 300, helper: 100 };

function serviceRetry(): RetryRule {
  return { errorEquals: ['Lambda.ServiceException'], intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, comment: '', evidence: [] };
}

function task(name: string, fn: string, part?: string): Step {
  return { type: 'task', name, comment: '', evidence: [], function: fn, ...(part ? { part } : {}), input: { kind: 'path', path: '$' }, result: { resultPath: '$' }, retry: [serviceRetry()], catch: [] };
}

function buildWorkflow(steps: Step[], parts: Record<string, number> = {}): WorkflowPlan {
  return {
    name: 'api',
    logicalId: 'ApiWorkflow',
    chain: { entry: 'api', triggers: ['http'], functions: ['api', 'worker', 'helper'], nodes: [] },
    type: 'EXPRESS',
    queryLanguage: 'JSONPath',
    decisions: [],
    functions: ['api', 'worker', 'helper'].map((id) => ({
      id,
      placeholder: `${id}Arn`,
      invocation: parts[id] ? 'parts' : 'whole',
      parts: Array.from({ length: parts[id] ?? 0 }, (_, index) => ({ name: `part${index}`, role: index === 0 ? 'start' : 'after-call', before: [], vars: [], states: [] })),
      movedCalls: [],
    })),
    resources: [],
    model: { comment: '', steps },
    findings: [],
  };
}

describe('cost today (Lambda only)', () => {
  it('bills a caller for the time it waits on a synchronous call', () => {
    const graph = buildGraph();
    const cost = getChainCostToday(graph, graph.chains[0]!, toAssumptions({ durationsMs: DURATIONS }));
    // api:    1 GB × (200 ms own + 300 ms waiting on worker) = 0.5 GB-s    → 0.0000002 + 0.5 × 0.0000166667    = 0.00000853335
    // worker: 0.5 GB × 300 ms = 0.15 GB-s                                 → 0.0000002 + 0.15 × 0.0000166667   = 0.000002700005
    // helper: 128 MB (Lambda's default) = 0.125 GB × 100 ms = 0.0125 GB-s → 0.0000002 + 0.0125 × 0.0000166667 = 0.00000040833375
    // per execution 0.00001164168875; × 1,000,000 = 11.64168875 $ per month
    expect(cost.functions.map((fn) => [fn.id, fn.invocations, fn.waitMs])).toEqual([['api', 1, 300], ['worker', 1, 0], ['helper', 1, 0]]);
    expect(cost.functions[0]!.cost).toBeCloseTo(0.00000853335, 14);
    expect(cost.functions[1]!.cost).toBeCloseTo(0.000002700005, 14);
    expect(cost.functions[2]!.cost).toBeCloseTo(0.00000040833375, 14);
    expect(cost.perExecution).toBeCloseTo(0.00001164168875, 14);
    expect(cost.monthly).toBeCloseTo(11.64168875, 8);
    // waiting: api's 1 GB × 0.3 s
    expect(cost.waitingGbSeconds).toBeCloseTo(0.3, 12);
    expect(cost.lambdaRequests).toBe(3);
  });

  it('counts a fan-out over an array item by item, its concurrency, and retried attempts', () => {
    const fanOut: FanOutAnnotation = { kind: 'map', combinator: 'p-map', maxConcurrency: 5, file: 'src/api.ts', line: 9, text: 'pMap(items, ..., { concurrency: 5 })', toleratesFailures: false };
    const retry: RetryAnnotation = {
      kind: 'loop', attempts: 3, backoffRate: 2, delaysMs: [200, 400], errorChecks: [], exhausted: 'throw', file: 'src/api.ts', line: 8,
      firstDelayMs: 200, jitter: 'none', notRetried: [], retried: [], sources: {}, text: 'for (...)', unbounded: false,
    };
    const graph = buildGraph({ ...SYNC, annotations: { fanOuts: [fanOut], retries: [retry] } });
    const cost = getChainCostToday(graph, graph.chains[0]!, toAssumptions({ durationsMs: DURATIONS, itemsPerMap: 10, retryRate: 0.1 }));
    // worker runs 10 items × 1.1 attempts = 11 times.
    // api waits, per item: 300 ms + 0.1 × (300 ms + 200 ms first delay) = 350 ms; 10 items 5 at a time = 2 rounds → 700 ms.
    // helper: 11 messages, each delivered 1.1 times on average (the queue redelivers failures) → 12.1 invocations.
    expect(cost.functions.map((fn) => [fn.id, fn.invocations, fn.waitMs])).toEqual([['api', 1, 700], ['worker', 11, 0], ['helper', expect.closeTo(12.1, 10), 0]]);
    // api: 1 GB × 0.9 s = 0.9 GB-s → 0.0000002 + 0.9 × 0.0000166667 = 0.00001520003
    expect(cost.functions[0]!.cost).toBeCloseTo(0.00001520003, 14);
    // worker: 11 × (0.0000002 + 0.15 × 0.0000166667) = 11 × 0.000002700005 = 0.000029700055
    expect(cost.functions[1]!.cost).toBeCloseTo(0.000029700055, 14);
  });

  it('uses the timeout, or Lambda\'s default timeout, when no duration is given, and arm64 prices on request', () => {
    const graph = buildGraph();
    const cost = getChainCostToday(graph, graph.chains[0]!, toAssumptions({ architecture: 'arm64' }));
    // worker: timeout 5 s → 0.5 GB × 5 s = 2.5 GB-s → 0.0000002 + 2.5 × 0.0000133334 = 0.0000335335
    expect(cost.functions[1]).toMatchObject({ ownMs: 5000, waitMs: 0 });
    expect(cost.functions[1]!.cost).toBeCloseTo(0.0000335335, 14);
    // helper has no timeout in the IaC: Lambda's 3 s default.
    expect(cost.functions[2]!.ownMs).toBe(3000);
    // api waits for the whole of worker: 10 s + 5 s.
    expect(cost.functions[0]!.waitMs).toBe(5000);
  });
});

describe('cost of the workflow (Standard and Express)', () => {
  const nodes = new Map(buildGraph().nodes.map((node) => [node.id, node]));

  it('prices a split caller and its callee as Tasks', () => {
    const workflow = buildWorkflow([task('ApiBefore', 'api', 'part0'), task('Worker', 'worker'), task('ApiAfter', 'api', 'part1'), task('Helper', 'helper')], { api: 2 });
    const cost = getWorkflowCost(workflow, nodes, toAssumptions({ durationsMs: DURATIONS }));
    // 4 states, 4 Lambda requests. api's 200 ms split into 2 parts of 100 ms, no waiting any more.
    // GB-s: 2 × 1 GB × 0.1 s + 0.5 GB × 0.3 s + 0.125 GB × 0.1 s = 0.2 + 0.15 + 0.0125 = 0.3625
    // Lambda: 4 × 0.0000002 + 0.3625 × 0.0000166667 = 0.0000008 + 0.00000604167875 = 0.00000684167875
    expect(cost).toMatchObject({ transitions: 4, lambdaRequests: 4, durationMs: 600 });
    expect(cost.lambdaGbSeconds).toBeCloseTo(0.3625, 12);
    expect(cost.lambdaCost).toBeCloseTo(0.00000684167875, 14);
    // Standard: 4 × 0.000025 = 0.0001 → 0.00010684167875 per execution, 106.84167875 $ per month
    expect(cost.standard.stepFunctionsCost).toBeCloseTo(0.0001, 14);
    expect(cost.standard.monthly).toBeCloseTo(106.84167875, 8);
    // Express: 600 ms (100 + 300 + 100 + 100) at 64 MB = 0.0625 GB × 0.6 s = 0.0375 GB-s × 0.00001667 = 0.000000625125
    //   + 0.000001 request = 0.000001625125 → 0.00000846680375 per execution, 8.46680375 $ per month
    expect(cost.express).toMatchObject({ billedMemoryMb: 64, billedDurationMs: 600 });
    expect(cost.express.stepFunctionsCost).toBeCloseTo(0.000001625125, 14);
    expect(cost.express.monthly).toBeCloseTo(8.46680375, 8);
  });

  it('counts Map iterations, retries as transitions, the Choice branch that goes on, and rounds Express up to 100 ms', () => {
    const steps: Step[] = [
      { type: 'map', name: 'EachItem', comment: '', evidence: [], mode: 'inline', itemsPath: '$.items', maxConcurrency: 5, steps: [task('Worker', 'worker')], result: { resultPath: '$.results' }, retry: [], catch: [] },
      {
        type: 'choice', name: 'Big', comment: '', evidence: [],
        branches: [{ condition: { kind: 'compare', path: '$.total', operator: '>', value: 10 }, sourceText: 'total > 10', steps: [task('Helper', 'helper')] }],
        otherwise: [],
      },
      {
        type: 'choice', name: 'Done', comment: '', evidence: [],
        branches: [{ condition: { kind: 'compare', path: '$.done', operator: '==', value: true }, sourceText: 'return', steps: [{ type: 'succeed', name: 'Early', comment: '', evidence: [] }] }],
        otherwise: [],
      },
      { type: 'succeed', name: 'End', comment: '', evidence: [] },
      { type: 'pass', name: 'NeverReached', comment: '', evidence: [], result: { resultPath: null } },
    ];
    const cost = getWorkflowCost(buildWorkflow(steps), nodes, toAssumptions({ durationsMs: DURATIONS, itemsPerMap: 10, retryRate: 0.1 }));
    // Worker task: 1.1 attempts → 1.1 transitions, 1.1 requests, 1.1 × 0.5 GB × 0.3 s = 0.165 GB-s,
    //   300 ms + 0.1 × (300 ms + 1 s interval) = 430 ms.
    // Map: 1 + 10 × 1.1 = 12 transitions, 11 requests, 1.65 GB-s, 2 rounds of 5 → 860 ms.
    // Choice "Big": the branch with Helper (more transitions): 1 + 1.1 = 2.1 transitions, 1.1 requests,
    //   1.1 × 0.125 GB × 0.1 s = 0.01375 GB-s, 100 ms + 0.1 × (100 ms + 1 s) = 210 ms.
    // Choice "Done": the branch that goes on (otherwise, empty): 1 transition. Succeed: 1. The Pass after it never runs.
    // Total: 12 + 2.1 + 1 + 1 = 16.1 transitions, 12.1 requests, 1.66375 GB-s, 1070 ms → billed 1100 ms.
    expect(cost.transitions).toBeCloseTo(16.1, 10);
    expect(cost.lambdaRequests).toBeCloseTo(12.1, 10);
    expect(cost.lambdaGbSeconds).toBeCloseTo(1.66375, 10);
    expect(cost.durationMs).toBeCloseTo(1070, 8);
    // Standard: 16.1 × 0.000025 = 0.0004025
    expect(cost.standard.stepFunctionsCost).toBeCloseTo(0.0004025, 14);
    // Lambda: 12.1 × 0.0000002 + 1.66375 × 0.0000166667 = 0.00000242 + 0.0000277292221... = 0.0000301492221...
    expect(cost.lambdaCost).toBeCloseTo(0.00000242 + 1.66375 * 0.0000166667, 15);
    expect(cost.lambdaCost).toBeCloseTo(0.00003014922, 11);
    // Express: 0.0625 GB × 1.1 s = 0.06875 GB-s × 0.00001667 = 0.0000011460625, + 0.000001 = 0.0000021460625
    expect(cost.express.billedDurationMs).toBe(1100);
    expect(cost.express.stepFunctionsCost).toBeCloseTo(0.0000021460625, 15);
  });

  it('takes prices from the table and lets each be overridden', () => {
    expect(PRICES.standardTransition).toBe(0.000025);
    const workflow = buildWorkflow([task('Helper', 'helper')]);
    const cost = getWorkflowCost(workflow, nodes, toAssumptions({ durationsMs: DURATIONS, prices: { ...PRICES, standardTransition: 0.0001 } }));
    expect(cost.standard.stepFunctionsCost).toBeCloseTo(0.0001, 14);
  });

  it('pairs each chain of the graph with its workflow, and keeps workflows whose chain the graph lacks', () => {
    const graph = buildGraph();
    const other = { ...buildWorkflow([task('Helper', 'helper')]), name: 'other', chain: { entry: 'elsewhere', triggers: [], functions: ['helper'], nodes: ['helper'] } };
    const plan = { schemaVersion: 1, toolVersion: '0', sourceRoot: '.', workflows: [buildWorkflow([task('Worker', 'worker')]), other], skipped: [] };
    const costs = getChainCosts(graph, plan, toAssumptions({ durationsMs: DURATIONS }));
    expect(costs.map((cost) => [cost.entry, cost.today !== undefined, cost.workflow?.name])).toEqual([['api', true, 'api'], ['elsewhere', false, 'other']]);
  });
});
