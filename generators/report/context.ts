import { assessChains, type ChainAssessment } from '../../src/assess/assess-chains.js';
import { getChainCosts, toAssumptions, type ChainCost, type CostAssumptions } from '../../src/cost/compare.js';
import type { GraphNode } from '../../src/types/graph.js';
import type { WorkflowPlan } from '../../src/types/plan.js';
import type { ReportInput } from '../../src/types/report.js';
import { Anchors, code, link, type Inline } from './document.js';

/** What every section reads: the input, and what is derived from it once (assessment, costs, anchors). */
export interface ReportContext {
  input: ReportInput;
  anchors: Anchors;
  assessments: ChainAssessment[];
  assumptions: CostAssumptions;
  costs: ChainCost[];
  nodes: Map<string, GraphNode>;
  /** Workflows of the plan by the entry of their chain. */
  workflows: Map<string, WorkflowPlan>;
}

export function buildContext(input: ReportInput): ReportContext {
  const assumptions = toAssumptions(input.cost);
  return {
    input,
    anchors: new Anchors(),
    assessments: assessChains(input.graph),
    assumptions,
    costs: getChainCosts(input.graph, input.plan, assumptions),
    nodes: new Map(input.graph.nodes.map((node) => [node.id, node])),
    workflows: new Map((input.plan?.workflows ?? []).map((workflow) => [workflow.chain.entry, workflow])),
  };
}

/** `file:line`, linked to the source line when the report knows where the analysed folder is. */
export function toLocation(context: ReportContext, file: string, line?: number): Inline {
  const text = line === undefined ? file : `${file}:${line}`;
  if (context.input.sourceLink === undefined) return code(text);
  const base = context.input.sourceLink === '' || context.input.sourceLink === '.' ? '' : `${context.input.sourceLink.replace(/\/+$/, '')}/`;
  return link(text, `${base}${file.split('/').map(encodeURIComponent).join('/')}${line === undefined ? '' : `#L${line}`}`, true);
}

/** Evidence as a linked location followed by the source line it cites (from the evidence, else read from the source). */
export function toEvidence(context: ReportContext, evidence: { file: string; line: number; text?: string }): Inline[] {
  const text = evidence.text || context.input.getSourceLine?.(evidence.file, evidence.line) || '';
  return text === '' ? [toLocation(context, evidence.file, evidence.line)] : [toLocation(context, evidence.file, evidence.line), ' ', code(text)];
}

/** Several pieces of evidence, one per line. */
export function toEvidenceList(context: ReportContext, evidence: readonly { file: string; line: number; text?: string }[]): Inline[] {
  return evidence.flatMap((item, index) => [...(index > 0 ? [{ kind: 'break' } as const] : []), ...toEvidence(context, item)]);
}

/** The anchor of a chain's section. */
export function getChainAnchor(context: ReportContext, entry: string): string {
  return context.anchors.get('chain', entry);
}

/** Dollars as a reader scans them: whole dollars from 100 up, else cents; amounts below a cent said so. */
export function formatDollars(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return '< $0.01';
  if (value >= 100) return `$${Math.round(value).toLocaleString('en-US')}`;
  return `$${value.toFixed(2)}`;
}

/** A number with at most `digits` decimals, no trailing zeros, thousands separated. */
export function formatNumber(value: number, digits = 2): string {
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}
