import path from 'node:path';
import { readSourceText } from './read-source-text.js';
import type { DeploySettings, EntryTrigger, IacTarget, LogLevel } from './types/deploy.js';
import type { Graph, GraphNode } from './types/graph.js';
import type { Plan, WorkflowPlan, WorkflowResource } from './types/plan.js';

/**
 * What the deployable generators need to know about the repository besides the plan: which IaC format it uses and
 * what started each workflow's entry function (an API route, a schedule, an S3 notification, a queue). Both come
 * from the Graph of the analysed folder.
 */

/**
 * The format most of the workflows' functions are declared in (`sam` for a template with the SAM transform).
 * Undefined when the Graph has no format for them (an analysis without IaC).
 */
export function detectIacTarget(plan: Plan, graph: Graph): IacTarget | undefined {
  const counts = new Map<IacTarget, number>();
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  for (const workflow of plan.workflows) {
    for (const id of workflow.chain.functions) {
      const format = nodes.get(id)?.format;
      if (format) counts.set(format, (counts.get(format) ?? 0) + 1);
    }
  }
  let best: IacTarget | undefined;
  for (const [format, count] of counts) if (best === undefined || count > counts.get(best)!) best = format;
  return best;
}

/** The trimmed source line at a place, for evidence; empty when the file cannot be read. */
function readLine(root: string, file: string, line: number): string {
  const read = readSourceText(path.join(root, file));
  if (!('text' in read)) return '';
  return (read.text.split(/\r?\n/)[line - 1] ?? '').trim();
}

/** A Graph node as a resource, so that a trigger's queue is bound (declared, named, parameter) like the plan's resources. */
function toResource(node: GraphNode, root: string): WorkflowResource {
  const base = node.id.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase());
  return {
    id: node.id,
    kind: 'queue',
    placeholder: `${base.charAt(0).toUpperCase()}${base.slice(1)}${base.endsWith('Queue') ? '' : 'Queue'}Arn`,
    attribute: 'arn',
    ...(node.name ? { name: node.name } : {}),
    actions: [],
    ...(node.location ? { declaredAt: { file: node.location.file, line: node.location.line, text: readLine(root, node.location.file, node.location.line) } } : {}),
  };
}

function text(value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The triggers of one workflow's entry function, in the order the IaC declares them. */
export function getEntryTriggers(workflow: WorkflowPlan, graph: Graph, root: string): EntryTrigger[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const entry = nodes.get(workflow.chain.entry);
  if (!entry) return [];
  const triggers: EntryTrigger[] = [];
  for (const event of entry.events ?? []) {
    const at = { file: event.location.file, line: event.location.line };
    const details = event.details;
    if (event.kind === 'http' && details.method !== undefined && details.path !== undefined) {
      const apiId = text(details.apiId);
      triggers.push({
        kind: 'http',
        api: details.api === 'rest' ? 'rest' : 'http',
        method: String(details.method).toUpperCase(),
        path: String(details.path),
        ...(apiId ? { apiId, apiFile: at.file } : {}),
        at,
      });
    } else if (event.kind === 's3' && details.bucket !== undefined) {
      triggers.push({ kind: 's3', bucket: String(details.bucket), events: [text(details.event) ?? 's3:ObjectCreated:*'], at });
    } else {
      triggers.push({ kind: 'other', type: event.kind, details, at });
    }
  }
  for (const edge of graph.edges) {
    if (edge.kind !== 'triggers' || edge.to !== entry.id) continue;
    const from = nodes.get(edge.from);
    const at = { file: edge.file, line: edge.line };
    const schedule = from?.schedule ?? text(edge.details?.schedule);
    if (from?.kind === 'schedule' && schedule) {
      triggers.push({ kind: 'schedule', expression: schedule, at });
    } else if (from?.kind === 'queue') {
      const batchSize = edge.details?.batchSize;
      triggers.push({ kind: 'sqs', queue: toResource(from, root), ...(typeof batchSize === 'number' ? { batchSize } : {}), at });
    } else {
      triggers.push({ kind: 'other', type: from?.kind === 'topic' ? 'sns' : from?.kind === 'bus' ? 'eventbridge' : (from?.kind ?? 'unknown'), source: edge.from, details: edge.details ?? {}, at });
    }
  }
  return triggers;
}

export interface DeployFlags {
  iac?: IacTarget;
  logLevel?: LogLevel;
  tracing?: boolean;
  includeExecutionData?: boolean;
}

/**
 * The settings of a generate run: the chosen (or detected) format, logging and tracing, and the triggers found in
 * the Graph. `iac` is undefined when neither the flags nor the Graph tell it.
 */
export function buildDeploySettings(plan: Plan, flags: DeployFlags, analysis?: { graph: Graph; root: string }): Omit<DeploySettings, 'iac'> & { iac?: IacTarget } {
  const repositoryFormat = analysis ? detectIacTarget(plan, analysis.graph) : undefined;
  const triggers: Record<string, EntryTrigger[]> = {};
  if (analysis) for (const workflow of plan.workflows) triggers[workflow.name] = getEntryTriggers(workflow, analysis.graph, analysis.root);
  return {
    iac: flags.iac ?? repositoryFormat,
    ...(repositoryFormat ? { repositoryFormat } : {}),
    logLevel: flags.logLevel ?? 'ERROR',
    includeExecutionData: flags.includeExecutionData ?? false,
    tracing: flags.tracing ?? false,
    triggers,
  };
}
