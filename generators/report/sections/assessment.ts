import { POSSIBLE_SCORE, STRONG_SCORE, type AssessmentLabel, type ChainAssessment } from '../../../src/assess/assess-chains.js';
import { badge, code, link, paragraph, type Block, type Inline, type Tone } from '../document.js';
import { getChainAnchor, toEvidenceList, type ReportContext } from '../context.js';
import { SECTION_KEYS } from './summary.js';

const LABEL_TONES: Record<AssessmentLabel, Tone> = { strong: 'good', possible: 'warn', 'not recommended': 'bad' };

export function toLabelBadge(label: AssessmentLabel): Inline {
  return badge(label, LABEL_TONES[label]);
}

/** The ranked candidate table; each chain's reasons are in its own section. */
export function buildAssessment(context: ReportContext): Block[] {
  const rows = context.assessments.map((item): Inline[][] => [
    [`${item.rank}`],
    [link(item.chain.entry, `#${getChainAnchor(context, item.chain.entry)}`, true)],
    [toLabelBadge(item.label)],
    [`${item.score}`],
    [item.chain.triggers.join(', ')],
    [`${item.chain.functions.length}`],
    [`${item.chain.depth}`],
    [`${item.chain.syncInvokes}`],
    [item.reasons.slice(0, 3).map((reason) => reason.message).join('; ')],
  ]);
  return [
    { kind: 'heading', level: 2, text: 'Candidate assessment', anchor: context.anchors.get(SECTION_KEYS.assessment) },
    paragraph(
      'Each chain (an entry point and everything it reaches) is scored: synchronous waits, hand-written retries, fan-outs, compensations and asynchronous hops speak for a workflow; dynamic or unresolved targets and latency-sensitive entry points speak against; cycles, recursion and lone functions rule it out. ',
      `Strong from ${STRONG_SCORE} points, possible from ${POSSIBLE_SCORE}.`,
    ),
    rows.length === 0
      ? paragraph('No chains: nothing in the analysed folder starts a function that calls another.')
      : { kind: 'table', head: ['Rank', 'Chain', 'Label', 'Score', 'Triggers', 'Functions', 'Depth', 'Sync calls', 'Main reasons'], rows, numeric: [0, 3, 5, 6, 7] },
  ];
}

/** A chain's reasons with their points and evidence. */
export function buildReasonsTable(context: ReportContext, assessment: ChainAssessment): Block {
  if (assessment.reasons.length === 0) return paragraph('Nothing speaks for or against this chain.');
  const effects: Record<string, Inline> = { for: badge('for', 'good'), against: badge('against', 'warn'), blocker: badge('rules out', 'bad') };
  return {
    kind: 'table',
    head: ['Effect', 'Points', 'Reason', 'Evidence'],
    rows: assessment.reasons.map((reason) => [[effects[reason.effect]!], [reason.points > 0 ? `+${reason.points}` : `${reason.points}`], [reason.message, ' ', code(reason.code)], toEvidenceList(context, reason.evidence)]),
    numeric: [1],
  };
}
