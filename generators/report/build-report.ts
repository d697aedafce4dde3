import type { ReportInput } from '../../src/types/report.js';
import { paragraph, code, type Block } from './document.js';
import { buildContext } from './context.js';
import { buildAssessment } from './sections/assessment.js';
import { buildChains } from './sections/chains.js';
import { buildCost } from './sections/cost.js';
import { buildFindings } from './sections/findings.js';
import { buildDiagnostics, buildHandlers, buildSimulation, buildSkipped, buildValidation } from './sections/results.js';
import { buildSummary } from './sections/summary.js';

/** The report's sections in reading order: the overview first, the details after, what did not run said so. */
export function buildReport(input: ReportInput): Block[] {
  const context = buildContext(input);
  return [
    { kind: 'heading', level: 1, text: `Migration report: ${input.title}`, anchor: context.anchors.get('top') },
    paragraph(
      'Written by lambda2sfn from the analysed code',
      input.plan ? ' and the plan' : '',
      '. File paths link to the source lines; every decision cites the code it was taken from. Regenerate with ',
      code('lambda2sfn report'),
      '.',
    ),
    { kind: 'toc' },
    ...buildSummary(context),
    ...buildAssessment(context),
    ...buildChains(context),
    ...buildFindings(context),
    ...buildCost(context),
    ...buildValidation(context),
    ...buildSimulation(context),
    ...buildHandlers(context),
    ...buildSkipped(context),
    ...buildDiagnostics(context),
  ];
}
