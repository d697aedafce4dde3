import type { GeneratedFile, Generator } from '../../src/types/generator.js';
import type { ReportInput } from '../../src/types/report.js';
import { buildReport } from './build-report.js';
import { createSvgRenderer } from './render-svg.js';
import { renderHtml, type SvgRenderer } from './to-html.js';
import { renderMarkdown } from './to-markdown.js';

export type { ReportInput } from '../../src/types/report.js';

export const REPORT_MARKDOWN = 'report.md';
export const REPORT_HTML = 'report.html';

export interface RenderReportOptions {
  /** Which files to write; both by default. */
  formats?: readonly ('md' | 'html')[];
  /** Renders DOT to SVG for the HTML page; Graphviz (WebAssembly) by default. */
  renderSvg?: SvgRenderer;
}

/** The migration report as `report.md` (GitHub, Mermaid) and `report.html` (self-contained, offline, SVG diagrams). */
export async function renderReport(input: ReportInput, options: RenderReportOptions = {}): Promise<GeneratedFile[]> {
  const formats = options.formats ?? ['md', 'html'];
  const blocks = buildReport(input);
  const files: GeneratedFile[] = [];
  if (formats.includes('md')) files.push({ path: REPORT_MARKDOWN, contents: renderMarkdown(blocks) });
  if (formats.includes('html')) {
    const renderSvg = options.renderSvg ?? (await createSvgRenderer());
    files.push({ path: REPORT_HTML, contents: renderHtml(`Migration report: ${input.title}`, blocks, renderSvg) });
  }
  return files;
}

/**
 * The report as a generator of the registry: `migrate` passes what the other stages produced in `options.report`
 * (the Graph at least); the plan is the generator's own argument.
 */
export const report: Generator<{ report: Omit<ReportInput, 'plan'> }> = {
  id: 'report',
  description: 'the migration report: report.md (Mermaid) and a self-contained report.html',
  generate: (plan, options) => renderReport({ ...options.report, plan }),
};
