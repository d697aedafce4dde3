import type { Graph } from '../types/graph.js';
import type { Plan, SkippedChain, WorkflowPlan } from '../types/plan.js';
import { PLAN_SCHEMA_VERSION } from '../types/plan.js';
import { buildWorkflowPlan } from './build-workflow.js';
import { createDecide, type DecisionSources } from './decide.js';
import { toKebabCase } from './naming.js';
import { assessChains } from '../assess/assess-chains.js';
import { createSourceLines } from '../source-lines.js';


export interface ProposeInput {
  graph: Graph;
  /** The analysed folder (source lines are read from it for evidence); absent: evidence without text. */
  root?: string;
  /** The analysed folder as the plan records it (relative to the plan file). */
  sourceRoot: string;
  toolVersion: string;
  /** Entry functions of the chains to turn into workflows, in order. */
  entries: string[];
  sources: DecisionSources;
}

export interface ProposeResult {
  plan: Plan;
  /** `--decide` keys that no question used (a typo, or a decision that no longer exists). */
  unusedFlags: string[];
}

/** The propose stage: chosen chains → Plan. Reads source lines for evidence; runs nothing. */
export async function proposePlan(input: ProposeInput): Promise<ProposeResult> {
  const lines = createSourceLines(input.root);
  const usedFlags = new Set<string>();
  const workflows: WorkflowPlan[] = [];
  const skipped: SkippedChain[] = [];
  const taken = new Set<string>();
  for (const assessment of assessChains(input.graph)) {
    const { chain } = assessment;
    if (input.entries.includes(chain.entry)) continue;
    const [first] = assessment.reasons;
    skipped.push({
      entry: chain.entry,
      reason: `not chosen (${assessment.label}${first ? `: ${first.message}` : ''})`,
      evidence: (first?.evidence ?? []).slice(0, 3).map((item) => lines.getEvidence(item.file, item.line)),
    });
  }
  for (const entry of input.entries) {
    const chain = input.graph.chains.find((item) => item.entry === entry);
    if (!chain) continue;
    let name = toKebabCase(entry);
    for (let n = 2; taken.has(name); n++) name = `${toKebabCase(entry)}-${n}`;
    taken.add(name);
    const built = await buildWorkflowPlan({ graph: input.graph, chain, name, decide: createDecide(input.sources, name, usedFlags), lines });
    if ('model' in built) workflows.push(built);
    else skipped.push(built);
  }
  const plan: Plan = { schemaVersion: PLAN_SCHEMA_VERSION, toolVersion: input.toolVersion, sourceRoot: input.sourceRoot, workflows, skipped };
  return { plan, unusedFlags: [...input.sources.flags.keys()].filter((key) => !usedFlags.has(key)) };
}
