import type { Graph } from '../types/graph.js';
import type { Plan, WorkflowType } from '../types/plan.js';
import { getFunctionAssumption, type CostAssumptions, type FunctionAssumption } from './assumptions.js';
import { getChainCostToday, type ChainCostToday } from './chain-today.js';
import { getWorkflowCost, type WorkflowCost } from './workflow-cost.js';

export { DEFAULT_ASSUMPTIONS, toAssumptions, type CostAssumptions, type FunctionAssumption } from './assumptions.js';
export { PRICES, PRICES_DATE, PRICE_DESCRIPTIONS, type PriceName, type PriceTable } from './prices.js';
export type { ChainCostToday, FunctionCostToday } from './chain-today.js';
export type { WorkflowCost } from './workflow-cost.js';

/** The cost of a chain today and, when the plan has a workflow for it, as a Standard and as an Express workflow. */
export interface ChainCost {
  entry: string;
  /** The figures assumed for each function of the chain. */
  functions: FunctionAssumption[];
  /** Absent when the chain's entry is not in the Graph. */
  today?: ChainCostToday;
  workflow?: { name: string; type: WorkflowType; cost: WorkflowCost };
}

/** One entry per chain of the Graph, in Graph order, then workflows of the plan whose chain the Graph lacks. */
export function getChainCosts(graph: Graph, plan: Plan | undefined, assumptions: CostAssumptions): ChainCost[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const workflows = new Map((plan?.workflows ?? []).map((workflow) => [workflow.chain.entry, workflow]));
  const costs: ChainCost[] = [];
  const toWorkflow = (entry: string) => {
    const workflow = workflows.get(entry);
    return workflow && { name: workflow.name, type: workflow.type, cost: getWorkflowCost(workflow, nodes, assumptions) };
  };
  for (const chain of graph.chains) {
    const functions = chain.functions.map((id) => getFunctionAssumption(id, nodes.get(id), assumptions));
    costs.push({ entry: chain.entry, functions, today: getChainCostToday(graph, chain, assumptions), workflow: toWorkflow(chain.entry) });
  }
  const inGraph = new Set(graph.chains.map((chain) => chain.entry));
  for (const workflow of plan?.workflows ?? []) {
    if (inGraph.has(workflow.chain.entry)) continue;
    const functions = workflow.chain.functions.map((id) => getFunctionAssumption(id, nodes.get(id), assumptions));
    costs.push({ entry: workflow.chain.entry, functions, workflow: toWorkflow(workflow.chain.entry) });
  }
  return costs;
}
