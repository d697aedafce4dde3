import path from 'node:path';
import { createSourceLineReader } from '../../src/source-lines.js';
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
 * The report as a generator of the registry. It needs the Graph (`options.graph`); `migrate` passes what the other
 * stages produced in `options.report` (validation, lint, simulation, handlers, cost assumptions, `sourceLink`), so
 * run it last.
 */
export const report: Generator = {
  id: 'report',
  description: 'the migration report: report.md (Mermaid) and a self-contained report.html',
  generate: (plan, options) => {
    if (options.graph === undefined) throw new Error('the report generator needs the Graph (options.graph)');
    return renderReport({
      title: options.root === undefined ? 'lambda2sfn' : path.basename(options.root),
      ...(options.root === undefined ? {} : { getSourceLine: createSourceLineReader(options.root) }),
      ...options.report,
      graph: options.graph,
      plan,
    });
  },
};
