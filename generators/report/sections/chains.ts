import { getAslPath } from '../../asl.js';
import { toCountText } from '../../../src/format/graph-facts.js';
import type { ChainAssessment } from '../../../src/assess/assess-chains.js';
import type { Chain } from '../../../src/types/graph.js';
import type { Decision, Step, WorkflowPlan } from '../../../src/types/plan.js';
import { badge, code, link, note, paragraph, strong, type Block, type Inline } from '../document.js';
import { getChainAnchor, toEvidenceList, type ReportContext } from '../context.js';
import { renderChainDiagrams } from '../chain-diagram.js';
import { toDotFlow, toMermaidFlow } from '../flow-diagram.js';
import { buildStateDiagram } from '../state-diagram.js';
import { flattenSteps } from '../steps.js';
import { buildReasonsTable, toLabelBadge } from './assessment.js';
import { getCostAnchor } from './cost.js';
import { SECTION_KEYS } from './summary.js';

/** One section per chain, best candidate first: assessment, before and after diagrams, states, decisions. */
export function buildChains(context: ReportContext): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Chains', anchor: context.anchors.get(SECTION_KEYS.chains) }];
  for (const assessment of context.assessments) blocks.push(...buildChain(context, assessment.chain, assessment));
  const inGraph = new Set(context.input.graph.chains.map((chain) => chain.entry));
  for (const workflow of context.input.plan?.workflows ?? []) {
    if (!inGraph.has(workflow.chain.entry)) blocks.push(...buildChain(context, undefined, undefined, workflow));
  }
  return blocks;
}

function buildChain(context: ReportContext, chain: Chain | undefined, assessment: ChainAssessment | undefined, orphan?: WorkflowPlan): Block[] {
  const entry = chain?.entry ?? orphan!.chain.entry;
  const workflow = orphan ?? context.workflows.get(entry);
  const anchor = getChainAnchor(context, entry);
  const facts: Inline[] = assessment ? [toLabelBadge(assessment.label), ` candidate, score ${assessment.score}. `] : [];
  const triggers = chain?.triggers ?? workflow?.chain.triggers ?? [];
  const functions = chain?.functions ?? workflow?.chain.functions ?? [];
  facts.push(`Started by ${triggers.join(', ') || 'nothing in the IaC'}; ${toCountText(functions.length, 'function')}: `);
  functions.forEach((id, index) => facts.push(...(index > 0 ? [', '] : []), code(id)));
  facts.push('. ', link('Cost', `#${getCostAnchor(context, entry)}`), '.');
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: entry, anchor }, paragraph(...facts)];

  if (assessment) {
    blocks.push({ kind: 'heading', level: 4, text: `Assessment of ${entry}`, anchor: context.anchors.get(anchor, 'assessment') }, buildReasonsTable(context, assessment));
  }
  blocks.push({ kind: 'heading', level: 4, text: `Before: the Lambda call graph of ${entry}`, anchor: context.anchors.get(anchor, 'before') });
  if (chain) {
    const diagrams = renderChainDiagrams(context.input.graph, chain);
    blocks.push(
      { kind: 'diagram', title: `${entry} today: solid arrows wait for an answer, dashed ones hand work on`, ...diagrams },
    );
  } else {
    blocks.push(note('warn', `The plan has a workflow for ${entry}, but the analysed folder has no such chain: the plan may be for another folder or older code.`));
  }

  blocks.push({ kind: 'heading', level: 4, text: `After: the state machine for ${entry}`, anchor: context.anchors.get(anchor, 'after') });
  if (workflow) {
    blocks.push(...buildWorkflow(context, workflow));
  } else {
    const skipped = context.input.plan?.skipped.find((item) => item.entry === entry);
    if (skipped) blocks.push(note('warn', `Not migrated: ${skipped.reason}.`));
    else if (context.input.plan) blocks.push(note('neutral', 'The plan does not cover this chain.'));
    else blocks.push(note('neutral', 'Not run: no plan. ', code(`lambda2sfn propose`), ' builds the workflow; ', code('lambda2sfn report --plan FILE'), ' shows it here.'));
  }
  return blocks;
}

function buildWorkflow(context: ReportContext, workflow: WorkflowPlan): Block[] {
  const diagram = buildStateDiagram(workflow);
  const states = flattenSteps(workflow.model.steps, '');
  const blocks: Block[] = [
    paragraph(
      'Workflow ',
      code(workflow.name),
      ` (${workflow.type}, ${workflow.queryLanguage}), written to `,
      code(getAslPath(workflow)),
      `: ${states.length} states.`,
    ),
    { kind: 'diagram', title: `${workflow.name} (${workflow.type}): dashed arrows are error paths (Catch)`, mermaid: toMermaidFlow(diagram), dot: toDotFlow(diagram, workflow.name) },
    { kind: 'heading', level: 4, text: `States of ${workflow.name}`, anchor: context.anchors.get('workflow', workflow.name, 'states') },
    {
      kind: 'table',
      head: ['State', 'Type', 'Runs', 'Retry and Catch', 'Source'],
      rows: states.map(({ step, scope }) => [[code(step.name), ...(scope ? [{ kind: 'break' } as const, scope] : [])], [step.type], describeStep(step), describeErrors(step), getSource(context, step)]),
    },
    { kind: 'heading', level: 4, text: `Decisions for ${workflow.name}`, anchor: context.anchors.get('workflow', workflow.name, 'decisions') },
  ];
  blocks.push(workflow.decisions.length === 0 ? paragraph('No decisions: the code left nothing to choose.') : buildDecisionTable(context, workflow.decisions));
  return blocks;
}

function buildDecisionTable(context: ReportContext, decisions: readonly Decision[]): Block {
  const rows = decisions.map((decision): Inline[][] => {
    const changed = decision.choice !== decision.default;
    const choice: Inline[] = [code(decision.choice), ' ', changed ? badge('not the default', 'warn') : badge('default', 'good'), { kind: 'break' }, `by ${decision.takenBy}`];
    const alternatives = decision.alternatives.flatMap((alternative, index): Inline[] => [
      ...(index > 0 ? [{ kind: 'break' } as const] : []),
      alternative.value === decision.choice ? strong(`${alternative.value} (chosen)`) : code(alternative.value),
      alternative.value === decision.default && alternative.value !== decision.choice ? ' (recommended)' : '',
      `: ${alternative.description}`,
    ]);
    return [[decision.question, { kind: 'break' }, code(decision.id)], choice, alternatives, [decision.reason], toEvidenceList(context, decision.evidence)];
  });
  return { kind: 'table', head: ['Question', 'Choice', 'Alternatives', 'Why', 'Evidence'], rows };
}

function describeStep(step: Step): Inline[] {
  switch (step.type) {
    case 'task':
      return [code(step.function), ...(step.part ? [' part ', code(step.part)] : []), ...(step.timeoutSeconds ? [`, timeout ${step.timeoutSeconds} s`] : [])];
    case 'service':
      return [code(`${step.service}:${step.action}`), ' on ', code(step.resource), ...(step.integration === 'request-response' ? [] : [` (${step.integration})`])];
    case 'map':
      return [step.mode === 'distributed' ? 'distributed Map' : 'Map over ', ...(step.itemsPath ? [code(step.itemsPath)] : []), step.maxConcurrency ? `, ${step.maxConcurrency} at a time` : '', step.toleratedFailurePercentage !== undefined ? `, tolerates ${step.toleratedFailurePercentage}% failures` : ''];
    case 'parallel':
      return [`${step.branches.length} branches: `, step.branches.map((branch) => branch.label).join(', ')];
    case 'choice':
      return step.branches.flatMap((branch, index): Inline[] => [...(index > 0 ? [{ kind: 'break' } as const] : []), 'when ', code(branch.sourceText)]);
    case 'wait':
      return [`${step.seconds} s`];
    case 'fail':
      return step.error ? [code(step.error)] : step.errorPath ? ['passes on the caught error'] : ['fails'];
    case 'succeed':
      return [step.outputPath ? `output ${step.outputPath}` : 'ends'];
    case 'pass':
      return [step.value === undefined ? 'passes the state on' : `sets ${step.result.resultPath ?? 'nothing'}`];
  }
}

function describeErrors(step: Step): Inline[] {
  if (!('retry' in step)) return [];
  const parts: Inline[] = [];
  for (const rule of step.retry) {
    const isService = rule.errorEquals.every((error) => error.startsWith('Lambda.'));
    if (isService) continue;
    if (parts.length > 0) parts.push({ kind: 'break' });
    parts.push(
      rule.maxAttempts === 0
        ? `never retries ${rule.errorEquals.join(', ')}`
        : `retries ${rule.errorEquals.join(', ')} ×${rule.maxAttempts}, every ${rule.intervalSeconds} s × ${rule.backoffRate}${rule.maxDelaySeconds ? `, at most ${rule.maxDelaySeconds} s` : ''}${rule.jitterStrategy === 'FULL' ? ', jitter' : ''}`,
    );
  }
  if (step.retry.some((rule) => rule.errorEquals.every((error) => error.startsWith('Lambda.')))) {
    if (parts.length > 0) parts.push({ kind: 'break' });
    parts.push('Lambda service errors');
  }
  for (const rule of step.catch) {
    if (parts.length > 0) parts.push({ kind: 'break' });
    parts.push(`catches ${rule.errorEquals.join(', ')} → `, rule.steps[0] ? code(rule.steps[0].name) : 'the end');
  }
  return parts;
}

function getSource(context: ReportContext, step: Step): Inline[] {
  return step.evidence.length > 0 ? toEvidenceList(context, step.evidence.slice(0, 2)) : [step.comment];
}
