import { getTocHeadings, type Block, type Inline } from './document.js';
import { REPORT_CSS } from './report-css.js';

/** Turns a DOT graph into an inline `<svg>` element (Graphviz compiled to WebAssembly, see `render-svg.ts`). */
export type SvgRenderer = (dot: string) => string;

/**
 * The document as one self-contained HTML page: inline CSS, diagrams as inline SVG, no script, and a Content
 * Security Policy that forbids every fetch, so the page works offline and cannot load anything by accident.
 */
export function renderHtml(title: string, blocks: readonly Block[], renderSvg: SvgRenderer): string {
  const body = blocks.map((block) => renderBlock(block, blocks, renderSvg)).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="lambda2sfn">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderBlock(block: Block, all: readonly Block[], renderSvg: SvgRenderer): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level} id="${escapeHtml(block.anchor)}"><a class="anchor" href="#${escapeHtml(block.anchor)}">#</a>${escapeHtml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${renderInlines(block.content)}</p>`;
    case 'list':
      return `<ul>\n${block.items.map((item) => `<li>${renderInlines(item)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const numeric = new Set(block.numeric ?? []);
      const cell = (tag: 'th' | 'td', index: number, html: string) => `<${tag}${numeric.has(index) ? ' class="num"' : ''}>${html}</${tag}>`;
      const head = `<tr>${block.head.map((text, index) => cell('th', index, escapeHtml(text))).join('')}</tr>`;
      const rows = block.rows.map((row) => `<tr>${row.map((content, index) => cell('td', index, renderInlines(content))).join('')}</tr>`);
      return `<div class="table"><table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
    }
    case 'diagram':
      return `<figure class="diagram">\n<figcaption>${escapeHtml(block.title)}</figcaption>\n${renderSvg(block.dot)}\n</figure>`;
    case 'note':
      return `<div class="note ${block.tone}">${renderInlines(block.content)}</div>`;
    case 'toc': {
      const items = getTocHeadings(all).map((heading) => `<li class="toc-${heading.level}"><a href="#${escapeHtml(heading.anchor)}">${escapeHtml(heading.text)}</a></li>`);
      return `<nav class="toc" aria-label="Contents">\n<ul>\n${items.join('\n')}\n</ul>\n</nav>`;
    }
  }
}

function renderInlines(content: readonly Inline[]): string {
  return content.map(renderInline).join('');
}

function renderInline(item: Inline): string {
  if (typeof item === 'string') return escapeHtml(item);
  switch (item.kind) {
    case 'code':
      return `<code>${escapeHtml(item.text)}</code>`;
    case 'strong':
      return `<strong>${escapeHtml(item.text)}</strong>`;
    case 'link': {
      const text = item.code ? `<code>${escapeHtml(item.text)}</code>` : escapeHtml(item.text);
      return `<a href="${escapeHtml(item.href)}">${text}</a>`;
    }
    case 'badge':
      return `<span class="badge ${item.tone}">${escapeHtml(item.text)}</span>`;
    case 'break':
      return '<br>';
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
