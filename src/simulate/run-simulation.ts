import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { refactorHandlers, type HandlersResult } from '../../generators/handlers.js';
import type { AslDefinition } from '../../generators/asl.js';
import { InputError } from '../errors.js';
import type { Analysis } from '../pipeline.js';
import type { Plan, WorkflowPlan } from '../types/plan.js';
import { validateAsl } from '../validate/validate-asl.js';
import { installSdkV3Hook } from './aws/sdk-v3-hook.js';
import { compareTraces } from './compare.js';
import { FaultInjector } from './faults.js';
import { bundleHandler, loadHandlers, type HandlerRef } from './handler-bundles.js';
import { installNetworkGuard } from './network-guard.js';
import { getFunctionDef, getFunctionEnvironment, SimulatedResources } from './resources.js';
import { RUNTIME_KEY, RuntimeRegistry, type SimulationGlobal } from './runtime/registry.js';
import { runWorkflow } from './run-workflow.js';
import type { Outcome, Scenario, ScenarioResult, Trace } from './types.js';
import { prepareDefinition, type SimulatedDefinition } from './workflow-definition.js';
import { World } from './world.js';

export interface SimulationOptions {
  /** A definition to run instead of the plan's (`--asl`), for one workflow. */
  asl?: AslDefinition;
  /** Factor applied to the handlers' own timers (default 0.01). */
  timeScale?: number;
  /** Where handler logs go; absent: dropped. */
  log?: (fn: string, line: string) => void;
}

/** Bundled handlers of one world: by function. */
type Bundles = Map<string, { path: string; ref: HandlerRef }>;

/** What every scenario of a run shares: the resources, both worlds' bundles and the definitions. */
export interface PreparedSimulation {
  analysis: Analysis;
  resources: SimulatedResources;
  workflows: { plan: WorkflowPlan; definition: SimulatedDefinition }[];
  chainBundles: Bundles;
  workflowBundles: Bundles;
  /** Handlers the generator kept as they were, by function: why, for the workflow's notes (the workflow runs the original). */
  keptHandlers: Map<string, string>;
  /** Our folder for the bundles, outside the analysed folder; removed by `dispose`. */
  tempDir: string;
}

/**
 * Prepares a simulation: binds each workflow's definition (refusing what cannot be simulated), then bundles each
 * function's original handler and its refactored one (from the handlers generator) into a temporary folder.
 */
export async function prepareSimulation(analysis: Analysis, plan: Plan, workflows: WorkflowPlan[], options: SimulationOptions = {}): Promise<PreparedSimulation> {
  const resources = new SimulatedResources(analysis.graph);
  const prepared = workflows.map((workflow) => ({ plan: workflow, definition: prepareDefinition(workflow, resources, options.asl) }));
  if (options.asl) await checkGivenDefinition(prepared[0]!.definition.definition);
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-simulate-'));
  try {
    const refactored = refactorHandlers({ ...plan, workflows }, { root: analysis.root });
    const overlay = new Map(refactored.files.map((file) => [file.file, file.text]));
    const functions = [...new Set(workflows.flatMap((workflow) => [...workflow.chain.functions, ...workflow.functions.map((fn) => fn.id)]))];
    const refs = functions.flatMap((fn) => {
      const ref = getHandlerRef(analysis, resources, fn);
      return ref ? [ref] : [];
    });
    const chainBundles: Bundles = new Map();
    const workflowBundles: Bundles = new Map();
    for (const ref of refs) {
      chainBundles.set(ref.function, { path: await bundleHandler(analysis.root, ref, path.join(tempDir, 'chain')), ref });
      workflowBundles.set(ref.function, { path: await bundleHandler(analysis.root, ref, path.join(tempDir, 'workflow'), overlay), ref });
    }
    return { analysis, resources, workflows: prepared, chainBundles, workflowBundles, keptHandlers: getKeptHandlers(refactored), tempDir };
  } catch (error) {
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/** A definition given with `--asl` is the user's: an invalid one is their input error, said before anything runs. */
async function checkGivenDefinition(definition: AslDefinition): Promise<void> {
  const validation = await validateAsl(definition);
  if (!validation.valid) throw new InputError(`--asl: the definition is not valid:\n  ${validation.errors.join('\n  ')}`, 'fix the definition, or simulate the plan\'s own (without --asl)');
}

export function disposeSimulation(simulation: PreparedSimulation): void {
  rmSync(simulation.tempDir, { recursive: true, force: true });
}

/**
 * A handler the generator could not refactor is kept as it was: the workflow then runs the original code, which
 * rarely answers in the shape its Tasks expect. Each scenario's verdict says so, so a difference is explained.
 */
function getKeptHandlers(refactored: HandlersResult): Map<string, string> {
  const kept = new Map<string, string>();
  for (const file of refactored.files.filter((entry) => entry.kept)) {
    const why = file.problems.map((problem) => `${problem.reason} (${problem.file}:${problem.line})`).join('; ');
    for (const fn of file.functions) kept.set(fn, `the handlers generator kept ${fn}'s handler as it was, so the workflow runs the original: ${why}`);
  }
  return kept;
}

function getHandlerRef(analysis: Analysis, resources: SimulatedResources, fn: string): HandlerRef | undefined {
  const node = resources.getNode(fn);
  if (!node?.handler) return undefined;
  const separator = node.handler.lastIndexOf(':');
  return { function: fn, file: node.handler.slice(0, separator), exportName: node.handler.slice(separator + 1), name: resources.getName(fn), ...(node.timeout !== undefined ? { timeout: node.timeout } : {}) };
}

/**
 * Runs every scenario in both worlds, one world at a time, with the SDK hook and the network guard in place, and
 * compares. `onResult` is told each result as it comes.
 */
export async function runScenarios(simulation: PreparedSimulation, runs: { workflow: string; scenario: Scenario }[], options: SimulationOptions, onResult: (result: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const { analysis, resources } = simulation;
  const registry = new RuntimeRegistry((fn) => getFunctionEnvironment(getFunctionDef(analysis.inventory, fn), fn, resources), { timeScale: options.timeScale ?? 0.01, ...(options.log ? { log: options.log } : {}) });
  let active: World | undefined;
  const send = (service: string, operation: string, params: Record<string, unknown>) => {
    if (!active) return Promise.reject(new Error('lambda2sfn simulate: an AWS call outside a simulation run'));
    return active.call(service, operation, params);
  };
  const simulationGlobal: SimulationGlobal = {
    runtimeFor: (fn) => registry.runtimeFor(fn),
    sendV2: (service, operation, params) => send(service, v2ToOperation(service, operation), (params ?? {}) as Record<string, unknown>).then((output) => toV2Output(service, output)),
  };
  const globals = globalThis as unknown as Record<symbol, SimulationGlobal | undefined>;
  globals[RUNTIME_KEY] = simulationGlobal;
  // The AWS SDK warns on Node 20 when a client is made; the clients here only ever answer from the simulation.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const strays: string[] = [];
  const onStray = (error: unknown) => strays.push(`a handler left an error nobody caught: ${(error as Error)?.message ?? String(error)}`);
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  const blocked: string[] = [];
  const unhook = installSdkV3Hook(send);
  const unguard = installNetworkGuard((what) => blocked.push(what));
  const results: ScenarioResult[] = [];
  try {
    let generation = 0;
    for (const run of runs) {
      const workflow = simulation.workflows.find((entry) => entry.plan.name === run.workflow)!;
      generation += 1;
      const runWorld = async (world: World, body: (world: World) => Promise<Outcome>): Promise<Trace> => {
        registry.reset();
        blocked.length = 0;
        strays.length = 0;
        active = world;
        try {
          const outcome = await body(world);
          return { outcome, invocations: world.invocations, effects: world.effects, notices: [...world.notices, ...blocked.map((what) => `blocked a network access: ${what}`), ...strays] };
        } finally {
          active = undefined;
        }
      };
      const chain = await runWorld(new World(analysis.graph, resources, loadHandlers(simulation.chainBundles, `chain-${generation}`), new FaultInjector(run.scenario.faults)), async (world) => {
        const result = await world.invoke(workflow.plan.chain.entry, run.scenario.input);
        await world.drain();
        return result.ok ? { kind: 'returned', value: result.value } : { kind: 'failed', error: result.error.name, message: result.error.message };
      });
      const keptNotes = workflow.plan.functions.flatMap((fn) => simulation.keptHandlers.get(fn.id) ?? []);
      const workflowTrace = await runWorld(new World(analysis.graph, resources, loadHandlers(simulation.workflowBundles, `workflow-${generation}`), new FaultInjector(run.scenario.faults)), (world) =>
        runWorkflow(world, workflow.definition, run.scenario.input),
      );
      workflowTrace.notices.unshift(...keptNotes);
      registry.reset();
      const splitFunctions = new Set(workflow.plan.functions.filter((fn) => fn.invocation === 'parts').map((fn) => fn.id));
      const difference = compareTraces(chain, workflowTrace, { splitFunctions });
      const result: ScenarioResult = { workflow: run.workflow, scenario: run.scenario, verdict: difference ? 'different' : 'same', ...(difference ? { difference } : {}), chain, workflowTrace };
      results.push(result);
      onResult(result);
    }
  } finally {
    unguard();
    unhook();
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
    globals[RUNTIME_KEY] = undefined;
  }
  return results;
}

/** v2 method names as v3 operations (`sendMessage` → `SendMessage`); the document client's as lib-dynamodb's. */
function v2ToOperation(_service: string, method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** v2 gives Lambda's Payload as a string, as the simulation does; nothing else differs for the calls answered. */
function toV2Output(_service: string, output: Record<string, unknown>): Record<string, unknown> {
  return output;
}
