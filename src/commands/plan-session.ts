import path from 'node:path';
import type { Streams } from '../cli.js';
import { getVersion } from '../cli.js';
import { UsageError } from '../errors.js';
import { readPlanFile } from '../plan-file.js';
import { askChains, askDecision } from '../prompts.js';
import { assessChains, type ChainAssessment } from '../assess/assess-chains.js';
import { proposePlan } from '../propose/index.js';
import type { Decision, Plan } from '../types/plan.js';
import type { Graph } from '../types/graph.js';
import { analyzeFolder, getRootOrThrow, type AnalysisCommandOptions } from './analyze.js';

/** The options `propose` and `migrate` share: the analysis options, and one flag per question. */
export interface PlanOptions extends AnalysisCommandOptions {
  plan?: string;
  yes: boolean;
  chain?: string[];
  type?: string;
  queryLanguage?: string;
  decide?: string[];
}

export interface PlanSession {
  root: string;
  graph: Graph;
  plan: Plan;
}

/**
 * Analyze, rank the chains, choose them, and build the plan: from a replayed plan (no prompts), from the answers
 * typed in a terminal, or from flags and defaults (`--yes`, or no terminal: never waits, says which defaults it took).
 * `planFolder` is where the plan file will live (its `sourceRoot` is relative to it).
 */
export async function buildPlanSession(dir: string | undefined, options: PlanOptions, planFolder: string, streams: Streams & { stdin?: NodeJS.ReadStream }): Promise<PlanSession> {
  const replayed = options.plan ? readPlanFile(options.plan) : undefined;
  const root = getRootOrThrow(dir ?? (replayed && options.plan ? path.resolve(path.dirname(options.plan), replayed.sourceRoot) : '.'));
  const stdin = streams.stdin ?? process.stdin;
  const interactive = !options.yes && !replayed && stdin.isTTY === true && streams.stderr.isTTY === true;
  const promptStreams = { input: stdin, output: streams.stderr };
  // No progress indicator under the prompts: they share standard error.
  const { graph } = await analyzeFolder(root, { ...options, progress: options.progress && !interactive }, streams);
  const candidates = assessChains(graph);
  streams.stdout.write(renderCandidates(candidates));
  const entries = await chooseEntries(candidates, options, replayed, interactive ? promptStreams : undefined, streams);
  const defaults: string[] = [];
  const { plan, unusedFlags } = await proposePlan({
    graph,
    root,
    sourceRoot: toPosix(path.relative(planFolder, root)) || '.',
    toolVersion: getVersion(),
    entries,
    sources: {
      flags: getFlagAnswers(options),
      ...(replayed ? { plan: replayed } : {}),
      ...(interactive ? { ask: (request, workflow) => askDecision(request, workflow, promptStreams) } : {}),
      onDefault: (decision: Decision, workflow: string) => defaults.push(`${workflow}/${decision.id}=${decision.choice}`),
    },
  });
  for (const key of unusedFlags) streams.stderr.write(`lambda2sfn: warning: --decide ${key}: no question has this id (see the ids in the plan file)\n`);
  if (defaults.length > 0) {
    const why = replayed ? 'not in the plan' : options.yes ? '--yes' : 'no terminal to ask in';
    streams.stderr.write(`lambda2sfn: took the recommended defaults (${why}): ${defaults.join(', ')}\n`);
  }
  return { root, graph, plan };
}

async function chooseEntries(candidates: readonly ChainAssessment[], options: PlanOptions, replayed: Plan | undefined, prompt: Parameters<typeof askChains>[1] | undefined, streams: Streams): Promise<string[]> {
  const known = candidates.map((candidate) => candidate.chain.entry);
  if (options.chain && options.chain.length > 0) {
    const unknown = options.chain.filter((entry) => !known.includes(entry));
    if (unknown.length > 0) throw new UsageError(`--chain ${unknown.join(', ')}: no chain starts there`, `chains: ${known.join(', ') || 'none found'}`);
    return options.chain;
  }
  if (replayed) return replayed.workflows.map((workflow) => workflow.chain.entry).filter((entry) => known.includes(entry));
  if (prompt) return askChains(candidates, prompt);
  const chosen = candidates.filter((candidate) => candidate.label !== 'not recommended').map((candidate) => candidate.chain.entry);
  streams.stderr.write(`lambda2sfn: chains: ${chosen.join(', ') || 'none recommended'} (the recommended ones; choose with --chain ENTRY)\n`);
  return chosen;
}

/** `--type`, `--query-language` and `--decide ID=VALUE` as answers by decision id. */
function getFlagAnswers(options: PlanOptions): Map<string, string> {
  const answers = new Map<string, string>();
  if (options.type) answers.set('workflow-type', options.type.toUpperCase());
  if (options.queryLanguage) answers.set('query-language', options.queryLanguage.toLowerCase() === 'jsonata' ? 'JSONata' : 'JSONPath');
  for (const item of options.decide ?? []) {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw new UsageError(`--decide ${item}: expected ID=VALUE`, 'for example --decide queue:OrdersQueue=keep; the ids are in the plan file');
    answers.set(item.slice(0, at), item.slice(at + 1));
  }
  return answers;
}

/** The ranked chain list, as the first thing both commands print. */
export function renderCandidates(candidates: readonly ChainAssessment[]): string {
  if (candidates.length === 0) return 'No chains found: no function is an entry point of another function\'s work.\n';
  const width = Math.max(...candidates.map((candidate) => candidate.chain.entry.length));
  const lines = candidates.map((candidate) => `  ${candidate.chain.entry.padEnd(width)}  ${candidate.label.padEnd(15)}  ${candidate.reasons.map((reason) => reason.message).join('; ')}`);
  return `Chains, best candidates first (${candidates.length})\n${lines.join('\n')}\n`;
}

/** A short account of each workflow of the plan. */
export function renderPlanSummary(plan: Plan): string {
  const lines = plan.workflows.map((workflow) => {
    const asked = workflow.decisions.filter((decision) => decision.alternatives.length > 1).length;
    const warnings = workflow.findings.filter((finding) => finding.severity !== 'info').length;
    return `  ${workflow.name}: ${workflow.type}, ${workflow.queryLanguage}, ${workflow.functions.length} functions, ${asked} decisions${warnings > 0 ? `, ${warnings} findings to review` : ''}`;
  });
  const skipped = plan.skipped.filter((item) => !item.reason.startsWith('not chosen')).map((item) => `  ${item.entry}: skipped, ${item.reason}`);
  return `Workflows (${plan.workflows.length})\n${[...lines, ...skipped].join('\n')}\n`;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
