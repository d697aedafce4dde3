import { isSyncEdge, NODE_KINDS, toCountText } from '../../../src/format/graph-facts.js';
import type { NodeKind } from '../../../src/types/graph.js';
import { badge, code, link, paragraph, strong, type Block, type Inline } from '../document.js';
import type { ReportContext } from '../context.js';

const KIND_NAMES: Record<NodeKind, [string, string]> = {
  function: ['function', 'functions'],
  queue: ['queue', 'queues'],
  topic: ['topic', 'topics'],
  bus: ['event bus', 'event buses'],
  'state-machine': ['state machine', 'state machines'],
  schedule: ['schedule', 'schedules'],
  external: ['external target', 'external targets'],
};

/** The anchors of the sections the summary points to; `build-report.ts` uses the same keys. */
export const SECTION_KEYS = {
  summary: 'summary',
  assessment: 'candidate-assessment',
  chains: 'chains',
  findings: 'findings-and-risks',
  cost: 'cost-comparison',
  validation: 'validation-and-lint',
  simulation: 'simulation',
  handlers: 'refactored-handlers',
  skipped: 'not-migrated',
  diagnostics: 'analysis-diagnostics',
} as const;

function done(text: string): Inline[] {
  return [badge('done', 'good'), ' ', text];
}

function notRun(...hint: Inline[]): Inline[] {
  return [badge('not run', 'neutral'), ' ', ...hint];
}

export function buildSummary(context: ReportContext): Block[] {
  const { graph, plan } = context.input;
  const kinds = NODE_KINDS.map((kind) => [kind, graph.nodes.filter((node) => node.kind === kind).length] as const).filter(([, count]) => count > 0);
  const labels = ['strong', 'possible', 'not recommended'].map((label) => context.assessments.filter((item) => item.label === label).length);
  const sync = graph.edges.filter((edge) => isSyncEdge(edge)).length;
  const facts: Inline[][] = [
    [strong('Resources:'), ' ', kinds.map(([kind, count]) => toCountText(count, ...KIND_NAMES[kind])).join(', ') || 'none'],
    [strong('Edges:'), ' ', `${graph.edges.length} (${sync} synchronous)`],
    [strong('Chains:'), ' ', `${graph.chains.length}: ${labels[0]} strong, ${labels[1]} possible, ${labels[2]} not recommended candidates`],
    [strong('Cycles:'), ` ${graph.cycles.length}; `, strong('unresolved targets:'), ` ${graph.unresolved.length}; `, strong('analysis diagnostics:'), ` ${graph.diagnostics.length}`],
  ];
  const section = (key: keyof typeof SECTION_KEYS, text: string) => link(text, `#${context.anchors.get(SECTION_KEYS[key])}`);
  const workflows = plan?.workflows.length ?? 0;
  const validation = context.input.validation;
  const invalid = validation?.filter((item) => !item.valid).length ?? 0;
  const simulation = context.input.simulation;
  const stages: Inline[][][] = [
    [[section('assessment', 'Analysis and assessment')], done(`${graph.chains.length} chains ranked`)],
    [[section('chains', 'Plan')], plan ? done(`${toCountText(workflows, 'workflow')} proposed, ${plan.skipped.length} not migrated`) : notRun('no plan: run ', code('lambda2sfn propose'), ', then ', code('report --plan'))],
    [
      [section('validation', 'Validation')],
      validation === undefined ? notRun('no generated files to check') : invalid > 0 ? [badge('failed', 'bad'), ` ${invalid} of ${validation.length} checks failed`] : done(`${validation.length} checks passed`),
    ],
    [[section('validation', 'Lint')], context.input.lint === undefined ? notRun('no ASL to lint') : done(toCountText(context.input.lint.length, 'finding'))],
    [
      [section('simulation', 'Simulation')],
      simulation === undefined
        ? notRun('run ', code('lambda2sfn simulate'), ' to compare the chain with the workflow')
        : done(`${simulation.filter((item) => item.verdict === 'same').length} of ${simulation.length} scenarios behave the same`),
    ],
    [[section('handlers', 'Refactored handlers')], context.input.handlers === undefined ? notRun('no handlers generated') : done(`${context.input.handlers.filter((item) => item.status === 'refactored').length} refactored, ${context.input.handlers.filter((item) => item.status === 'kept').length} kept`)],
  ];
  return [
    { kind: 'heading', level: 2, text: 'Summary', anchor: context.anchors.get(SECTION_KEYS.summary) },
    { kind: 'list', items: facts },
    paragraph('What this report covers:'),
    { kind: 'table', head: ['Stage', 'Result'], rows: stages },
  ];
}
