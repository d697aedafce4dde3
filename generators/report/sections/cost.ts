import { PRICE_DESCRIPTIONS, PRICES_DATE, type ChainCost, type PriceName } from '../../../src/cost/compare.js';
import type { FunctionAssumption } from '../../../src/cost/assumptions.js';
import { badge, code, link, note, paragraph, type Block, type Inline } from '../document.js';
import { formatDollars, formatNumber, getChainAnchor, type ReportContext } from '../context.js';
import { SECTION_KEYS } from './summary.js';

export function getCostAnchor(context: ReportContext, entry: string): string {
  return context.anchors.get('cost', entry);
}

const DURATION_SOURCES: Record<FunctionAssumption['durationSource'], string> = {
  given: 'given',
  'default-duration': '--default-duration',
  timeout: 'its timeout',
  'lambda-default-timeout': "Lambda's default timeout",
};

/** Assumptions, the price table with its date, the comparison per chain, then each chain's figures. */
export function buildCost(context: ReportContext): Block[] {
  const a = context.assumptions;
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Cost comparison', anchor: context.anchors.get(SECTION_KEYS.cost) },
    paragraph(
      'An estimate from the assumptions and prices below, not a bill: free tiers, API Gateway, SQS, SNS, data transfer and logs are left out. ',
      'Today, every function is billed for its own time and for the time it waits on synchronous calls; a workflow bills its Tasks (each part of a split function separately, without waiting) plus, for Standard, every state transition (retries included) or, for Express, each request and its duration. ',
      'Override any figure on the command line; ',
      code('docs/report.md'),
      ' explains the model.',
    ),
    { kind: 'heading', level: 3, text: 'Assumptions', anchor: context.anchors.get('cost-assumptions') },
    {
      kind: 'table',
      head: ['Assumption', 'Value', 'Override with'],
      rows: [
        [['executions of each chain per month'], [formatNumber(a.invocationsPerMonth)], [code('--invocations-per-month N')]],
        [['own time of each function per invocation'], [a.defaultDurationMs === undefined ? 'its configured timeout (an upper bound)' : `${formatNumber(a.defaultDurationMs)} ms`], [code('--duration FUNCTION=MS'), ', ', code('--default-duration MS')]],
        [['items per fan-out over an array (Map)'], [formatNumber(a.itemsPerMap)], [code('--items-per-map N')]],
        [['attempts that fail once and are retried'], [`${formatNumber(a.retryRate * 100)}%`], [code('--retry-rate R')]],
        [['Lambda architecture'], [a.architecture], [code('--arch x86_64|arm64')]],
        [['memory of an Express execution'], [`${formatNumber(a.expressMemoryMb)} MB`], [code('--express-memory MB')]],
        [['time of a direct service integration (Express)'], [`${formatNumber(a.serviceStepMs)} ms`], [code('--service-step MS')]],
        [['path through the workflow'], ['Choice: the branch that goes on with the most states; Catch paths not taken; conditions in the code true'], ['']],
      ],
    },
    { kind: 'heading', level: 3, text: `Prices used (read ${PRICES_DATE})`, anchor: context.anchors.get('cost-prices') },
    {
      kind: 'table',
      head: ['Price', 'Value', 'Unit', 'Name'],
      rows: (Object.keys(PRICE_DESCRIPTIONS) as PriceName[]).map((name) => {
        const description = PRICE_DESCRIPTIONS[name];
        const value = a.prices[name] * (description.perMillion ? 1_000_000 : 1);
        return [[description.label], [description.perMillion ? `$${value.toFixed(2)}` : `$${Number(value.toPrecision(6))}`], [description.unit], [code(name)]];
      }),
      numeric: [1],
    },
    paragraph('US East (N. Virginia), on-demand, first pricing tier; change one with ', code('--price NAME=VALUE'), ' (per unit, e.g. ', code('--price standardTransition=0.000025'), ').'),
    { kind: 'heading', level: 3, text: 'Per chain, per month', anchor: context.anchors.get('cost-per-chain') },
  ];
  if (context.costs.length === 0) {
    blocks.push(paragraph('No chains to price.'));
    return blocks;
  }
  blocks.push({
    kind: 'table',
    head: ['Chain', 'Today (Lambda)', 'of which waiting', 'Standard', 'Express', 'Proposed'],
    rows: context.costs.map((cost) => {
      const today = cost.today;
      const waiting = today ? today.waitingGbSeconds * (a.architecture === 'arm64' ? a.prices.lambdaGbSecondArm : a.prices.lambdaGbSecondX86) * a.invocationsPerMonth : 0;
      const workflow = cost.workflow;
      const cheaper = (value: number) => (today && value < today.monthly ? badge(formatDollars(value), 'good') : formatDollars(value));
      return [
        [link(cost.entry, `#${getCostAnchor(context, cost.entry)}`, true)],
        [today ? formatDollars(today.monthly) : 'not in the graph'],
        [today ? formatDollars(waiting) : ''],
        workflow ? [cheaper(workflow.cost.standard.monthly)] : ['no workflow'],
        workflow ? [cheaper(workflow.cost.express.monthly)] : ['no workflow'],
        workflow ? [workflow.type] : [''],
      ];
    }),
    numeric: [1, 2, 3, 4],
  });
  for (const cost of context.costs) blocks.push(...buildChainCost(context, cost));
  return blocks;
}

function buildChainCost(context: ReportContext, cost: ChainCost): Block[] {
  const a = context.assumptions;
  const blocks: Block[] = [
    { kind: 'heading', level: 4, text: `Cost of ${cost.entry}`, anchor: getCostAnchor(context, cost.entry) },
    paragraph('Chain: ', link(cost.entry, `#${getChainAnchor(context, cost.entry)}`, true), '.'),
  ];
  const today = new Map((cost.today?.functions ?? []).map((item) => [item.id, item]));
  blocks.push({
    kind: 'table',
    head: ['Function', 'Memory', 'Own time', 'Runs per execution', 'Waits per run', 'Today per month'],
    rows: cost.functions.map((fn) => {
      const figures = today.get(fn.id);
      return [
        [code(fn.id)],
        [`${fn.memoryMb} MB${fn.memorySource === 'lambda-default' ? ' (default)' : ''}`],
        [`${formatNumber(fn.durationMs)} ms (${DURATION_SOURCES[fn.durationSource]})`],
        [figures ? formatNumber(figures.invocations, 3) : ''],
        [figures && figures.waitMs > 0 ? `${formatNumber(figures.waitMs)} ms` : ''],
        [figures ? formatDollars(figures.cost * a.invocationsPerMonth) : ''],
      ];
    }),
    numeric: [1, 2, 3, 4, 5],
  });
  const workflow = cost.workflow;
  if (!workflow) return blocks;
  const usage = workflow.cost;
  const month = a.invocationsPerMonth;
  const rows: Inline[][][] = [
    [['Lambda requests by Tasks'], [formatNumber(usage.lambdaRequests, 3)], [formatDollars(usage.lambdaCost * month)]],
    [['Lambda GB-seconds by Tasks'], [formatNumber(usage.lambdaGbSeconds, 4)], ['(included above)']],
    [['Standard: state transitions'], [formatNumber(usage.transitions, 3)], [formatDollars(usage.standard.stepFunctionsCost * month)]],
    [['Standard: total'], [''], [formatDollars(usage.standard.monthly)]],
    [['Express: duration'], [`${formatNumber(usage.durationMs)} ms, billed ${formatNumber(usage.express.billedDurationMs)} ms at ${usage.express.billedMemoryMb} MB`], [formatDollars(usage.express.stepFunctionsCost * month)]],
    [['Express: total'], [''], [formatDollars(usage.express.monthly)]],
  ];
  blocks.push(
    paragraph('Workflow ', code(workflow.name), ` (${workflow.type}), per execution and per month:`),
    { kind: 'table', head: ['Measure', 'Per execution', 'Per month'], rows, numeric: [1, 2] },
  );
  for (const text of usage.notes) blocks.push(note('warn', text));
  return blocks;
}
