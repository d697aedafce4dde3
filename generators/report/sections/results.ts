import { toCountText } from '../../../src/format/graph-facts.js';
import { badge, code, note, paragraph, type Block, type Inline, type Tone } from '../document.js';
import { toEvidenceList, toLocation, type ReportContext } from '../context.js';
import { SECTION_KEYS } from './summary.js';

const NOT_RUN = (what: string, ...how: Inline[]): Block => note('neutral', `Not run: ${what}. `, ...how);
const TONES: Record<'error' | 'warning' | 'info', Tone> = { error: 'bad', warning: 'warn', info: 'neutral' };

/** Validation of every generated file, and the best-practice lint of the ASL. */
export function buildValidation(context: ReportContext): Block[] {
  const { validation, lint } = context.input;
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Validation and lint', anchor: context.anchors.get(SECTION_KEYS.validation) }];
  if (validation === undefined) blocks.push(NOT_RUN('no generated files were checked', code('lambda2sfn migrate'), ' writes and validates them.'));
  else if (validation.length === 0) blocks.push(paragraph('No generated files to check.'));
  else {
    const failed = validation.filter((item) => !item.valid).length;
    blocks.push(
      paragraph(failed === 0 ? `All ${validation.length} checks passed.` : `${failed} of ${validation.length} checks failed: a failure is a bug in lambda2sfn's generators, please report it.`),
      {
        kind: 'table',
        head: ['File', 'Check', 'Result', 'Problems'],
        rows: validation.map((item) => [[code(item.file)], [item.check], [item.valid ? badge('valid', 'good') : badge('invalid', 'bad')], item.errors.flatMap((error, index): Inline[] => [...(index > 0 ? [{ kind: 'break' } as const] : []), error])]),
      },
    );
  }
  blocks.push({ kind: 'heading', level: 3, text: 'Lint', anchor: context.anchors.get('lint') });
  if (lint === undefined) blocks.push(NOT_RUN('no ASL was linted', code('lambda2sfn lint FILE'), ' checks existing and generated definitions.'));
  else if (lint.length === 0) blocks.push(paragraph('No lint findings.'));
  else {
    blocks.push({
      kind: 'table',
      head: ['Severity', 'Rule', 'File', 'State', 'Message'],
      rows: lint.map((item) => [[badge(item.severity, TONES[item.severity])], [code(item.rule)], [code(item.line === undefined ? item.file : `${item.file}:${item.line}`)], [item.state ? code(item.state) : ''], [item.message]]),
    });
  }
  return blocks;
}

/** The original chain and the workflow run side by side on the same inputs. */
export function buildSimulation(context: ReportContext): Block[] {
  const { simulation } = context.input;
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Simulation', anchor: context.anchors.get(SECTION_KEYS.simulation) }];
  if (simulation === undefined) return [...blocks, NOT_RUN('the workflow was not run against the original chain', code('lambda2sfn simulate --plan FILE --format json > simulation.json'), ' compares them; ', code('lambda2sfn report --simulation simulation.json'), ' shows the verdicts here.')];
  if (simulation.length === 0) return [...blocks, paragraph('No scenarios were simulated.')];
  const verdicts = { same: badge('same', 'good'), different: badge('different', 'bad'), 'not-run': badge('not run', 'neutral') } as const;
  return [
    ...blocks,
    {
      kind: 'table',
      head: ['Workflow', 'Scenario', 'Verdict', 'Detail'],
      rows: simulation.map((item) => [[code(item.workflow)], [item.scenario], [verdicts[item.verdict]], [item.detail ?? '']]),
    },
  ];
}

/** Every handler of the migrated chains: refactored, or kept with the reason and where the marker is. */
export function buildHandlers(context: ReportContext): Block[] {
  const { handlers } = context.input;
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Refactored handlers', anchor: context.anchors.get(SECTION_KEYS.handlers) }];
  if (handlers === undefined) return [...blocks, NOT_RUN('no handlers were generated', code('lambda2sfn migrate'), ' writes them next to the workflow.')];
  const kept = handlers.filter((item) => item.status === 'kept').length;
  return [
    ...blocks,
    paragraph(`${toCountText(handlers.length - kept, 'handler')} refactored, ${kept} left unchanged (each with a `, code('lambda2sfn:'), ' marker comment saying why).'),
    {
      kind: 'table',
      head: ['Function', 'Original', 'Written to', 'Status', 'Why kept'],
      rows: handlers.map((item) => [
        [code(item.function)],
        [toLocation(context, item.source)],
        [item.output ? code(item.output) : ''],
        [item.status === 'refactored' ? badge('refactored', 'good') : badge('kept', 'warn')],
        [item.reason ?? '', ...(item.marker ? [{ kind: 'break' } as const, ...toEvidenceList(context, [item.marker])] : [])],
      ]),
    },
  ];
}

/** Chains the plan did not turn into workflows, and why. */
export function buildSkipped(context: ReportContext): Block[] {
  const skipped = context.input.plan?.skipped;
  if (skipped === undefined || skipped.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'Not migrated', anchor: context.anchors.get(SECTION_KEYS.skipped) },
    { kind: 'table', head: ['Chain', 'Why', 'Evidence'], rows: skipped.map((item) => [[code(item.entry)], [item.reason], toEvidenceList(context, item.evidence)]) },
  ];
}

/** Input the analysis could not read fully: the graph may miss what it holds. */
export function buildDiagnostics(context: ReportContext): Block[] {
  const { diagnostics } = context.input.graph;
  if (diagnostics.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'Analysis diagnostics', anchor: context.anchors.get(SECTION_KEYS.diagnostics) },
    paragraph('Input the analysis could not fully read; the graph may miss calls made there.'),
    {
      kind: 'table',
      head: ['Severity', 'Code', 'Where', 'Message'],
      rows: diagnostics.map((item) => [[badge(item.severity, TONES[item.severity])], [code(item.code)], [item.file ? toLocation(context, item.file, item.line) : ''], [item.message, ...(item.hint ? [{ kind: 'break' } as const, item.hint] : [])]]),
    },
  ];
}
