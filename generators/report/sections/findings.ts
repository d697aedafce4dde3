import { toCountText } from '../../../src/format/graph-facts.js';
import { badge, code, link, paragraph, type Block, type Inline, type Tone } from '../document.js';
import { getChainAnchor, toEvidenceList, type ReportContext } from '../context.js';
import { collectRisks, type Risk } from '../risks.js';
import { SECTION_KEYS } from './summary.js';

const SEVERITY_TONES: Record<Risk['severity'], Tone> = { error: 'bad', warning: 'warn', info: 'neutral' };

export function buildFindings(context: ReportContext): Block[] {
  const risks = collectRisks(context.input);
  const heading: Block = { kind: 'heading', level: 2, text: 'Findings and risks', anchor: context.anchors.get(SECTION_KEYS.findings) };
  if (risks.length === 0) return [heading, paragraph('Nothing to report: no unresolved targets, recursion, oversized payloads, history limits, retried side effects or kept handlers were found.')];
  const counts = (['error', 'warning', 'info'] as const).map((severity) => toCountText(risks.filter((risk) => risk.severity === severity).length, severity, severity === 'info' ? 'info' : `${severity}s`));
  const known = new Set(context.input.graph.chains.map((chain) => chain.entry));
  for (const workflow of context.input.plan?.workflows ?? []) known.add(workflow.chain.entry);
  return [
    heading,
    paragraph(`${toCountText(risks.length, 'finding')}: ${counts.join(', ')}.`),
    {
      kind: 'table',
      head: ['Severity', 'Chain', 'Finding', 'Evidence'],
      rows: risks.map((risk): Inline[][] => [
        [badge(risk.severity, SEVERITY_TONES[risk.severity])],
        [risk.chain && known.has(risk.chain) ? link(risk.chain, `#${getChainAnchor(context, risk.chain)}`, true) : ''],
        [risk.message, ' ', code(risk.code)],
        toEvidenceList(context, risk.evidence),
      ]),
    },
  ];
}
