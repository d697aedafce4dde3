import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AslDefinition } from '../../generators/asl.js';
import type { Streams } from '../cli.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { readPlanFile } from '../plan-file.js';
import { describeFault } from '../simulate/faults.js';
import { formatResult, formatSummary } from '../simulate/format-results.js';
import { disposeSimulation, prepareSimulation, runScenarios } from '../simulate/run-simulation.js';
import { buildSampleInput } from '../simulate/sample-input.js';
import type { FaultSpec, Scenario } from '../simulate/types.js';
import { UnsupportedDefinition } from '../simulate/workflow-definition.js';
import type { Plan, WorkflowPlan } from '../types/plan.js';
import { analyzeFolder, getRootOrThrow, type AnalysisCommandOptions } from './analyze.js';

export interface SimulateCommandOptions extends AnalysisCommandOptions {
  plan: string;
  input: string[];
  fail: FaultSpec[];
  workflow: string[];
  asl?: string;
  format: 'text' | 'json';
  showLogs: boolean;
}

/**
 * `lambda2sfn simulate [dir] --plan FILE [--input EVENT.json]... [--fail FUNCTION[:N][:ERROR]]...`: runs each input
 * through the original chain and through the workflow, in-process, and compares. Exit 0 when every scenario gives
 * the same result, 1 when one differs, 2 when the plan, an input or a workflow cannot be simulated.
 */
export async function runSimulate(dir: string | undefined, options: SimulateCommandOptions, streams: Streams): Promise<number> {
  const plan = readPlanFile(options.plan);
  const root = getRootOrThrow(dir ?? path.resolve(path.dirname(options.plan), plan.sourceRoot));
  const workflows = selectWorkflows(plan, options.workflow);
  if (options.asl !== undefined && workflows.length !== 1) throw new UsageError('--asl replaces the definition of one workflow', `add --workflow ${plan.workflows.map((workflow) => workflow.name).join('|')}`);
  if (options.input.length > 0 && new Set(workflows.map((workflow) => workflow.chain.entry)).size > 1) {
    throw new UsageError('--input gives events for one entry function, and the plan has several workflows', `add --workflow ${workflows.map((workflow) => workflow.name).join('|')}`);
  }
  const asl = options.asl === undefined ? undefined : (readJsonFile(options.asl, 'an ASL definition') as AslDefinition);
  const inputs = options.input.map((file) => ({ name: path.basename(file), source: file, input: readJsonFile(file, 'an event') }));

  streams.stderr.write(`lambda2sfn: simulate runs the handlers of ${path.relative(process.cwd(), root) || '.'} on this machine: your code executes, in this process. AWS is never called: SDK clients answer from an in-memory simulation and network access is blocked.\n`);
  const analysis = await analyzeFolder(root, options, streams);
  checkFaults(options.fail, analysis.graph.nodes.filter((node) => node.kind === 'function').map((node) => node.id));

  let simulation;
  try {
    simulation = await prepareSimulation(analysis, plan, workflows, asl ? { asl } : {});
  } catch (error) {
    if (error instanceof UnsupportedDefinition) {
      throw new UsageError(`cannot simulate faithfully: ${error.message}`, 'the local runner (aws-local-stepfunctions) would give a wrong answer silently; choose JSONPath, an inline Map and no variables in the plan, or pick another workflow with --workflow');
    }
    throw error;
  }
  try {
    const runs = workflows.flatMap((workflow) => toScenarios(workflow, inputs, options.fail, analysis).map((scenario) => ({ workflow: workflow.name, scenario })));
    const log = options.showLogs ? (fn: string, line: string) => streams.stderr.write(`[${fn}] ${line}\n`) : undefined;
    const results = await runScenarios(simulation, runs, log ? { log } : {}, (result) => {
      if (options.format === 'text') streams.stdout.write(`${formatResult(result)}\n\n`);
    });
    if (options.format === 'json') streams.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else streams.stdout.write(`${formatSummary(results)}\n`);
    return results.every((result) => result.verdict === 'same') ? EXIT.ok : EXIT.findings;
  } finally {
    disposeSimulation(simulation);
  }
}

function selectWorkflows(plan: Plan, names: string[]): WorkflowPlan[] {
  if (plan.workflows.length === 0) throw new UsageError('the plan has no workflow to simulate', 'run lambda2sfn propose first');
  if (names.length === 0) return plan.workflows;
  return names.map((name) => {
    const workflow = plan.workflows.find((entry) => entry.name === name);
    if (!workflow) throw new UsageError(`the plan has no workflow ${name}`, `choose one of ${plan.workflows.map((entry) => entry.name).join(', ')}`);
    return workflow;
  });
}

function checkFaults(faults: FaultSpec[], functions: string[]): void {
  for (const fault of faults) {
    if (!functions.includes(fault.function)) throw new UsageError(`--fail ${fault.function}: no such function in the app`, `choose one of ${functions.join(', ')}`);
  }
}

function toScenarios(workflow: WorkflowPlan, inputs: { name: string; source: string; input: unknown }[], faults: FaultSpec[], analysis: Parameters<typeof buildSampleInput>[1]): Scenario[] {
  const given = inputs.length > 0 ? inputs : [buildSampleInput(workflow, analysis)];
  const faultText = faults.length > 0 ? `, ${faults.map(describeFault).join(', ')}` : '';
  return given.map((entry) => ({ name: `${entry.name}${faultText}`, input: entry.input, source: entry.source, faults }));
}

function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, `give the path of ${what} in JSON`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`, `give ${what} in JSON`);
  }
}
