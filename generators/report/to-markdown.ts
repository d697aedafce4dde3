import { getTocHeadings, type Block, type Inline, type Tone } from './document.js';

/** GitHub alert kinds for notes, by tone. */
const ALERTS: Record<Tone, string> = { good: 'TIP', neutral: 'NOTE', warn: 'WARNING', bad: 'CAUTION' };
/** Badges are plain text in Markdown; a symbol carries the tone where colour cannot. */
const BADGE_MARKS: Record<Tone, string> = { good: '🟢', neutral: '⚪', warn: '🟠', bad: '🔴' };

/** The document as GitHub-flavoured Markdown: explicit anchors, Mermaid diagrams, alerts for notes. */
export function renderMarkdown(blocks: readonly Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) parts.push(renderBlock(block, blocks));
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: Block, all: readonly Block[]): string {
  switch (block.kind) {
    case 'heading':
      return `<a id="${block.anchor}"></a>\n${'#'.repeat(block.level)} ${escapeText(block.text)}`;
    case 'paragraph':
      return renderInlines(block.content, false);
    case 'list':
      return block.items.map((item) => `- ${renderInlines(item, false)}`).join('\n');
    case 'table': {
      const numeric = new Set(block.numeric ?? []);
      const head = `| ${block.head.map((cell) => escapeText(cell)).join(' | ')} |`;
      const rule = `|${block.head.map((_, index) => (numeric.has(index) ? '---:' : '---')).join('|')}|`;
      const rows = block.rows.map((row) => `| ${row.map((cell) => renderInlines(cell, true) || ' ').join(' | ')} |`);
      return [head, rule, ...rows].join('\n');
    }
    case 'diagram':
      return `${renderInlines([{ kind: 'strong', text: block.title }], false)}\n\n\`\`\`mermaid\n${block.mermaid.trimEnd()}\n\`\`\``;
    case 'note':
      return `> [!${ALERTS[block.tone]}]\n> ${renderInlines(block.content, false)}`;
    case 'toc':
      return getTocHeadings(all)
        .map((heading) => `${heading.level === 3 ? '  ' : ''}- [${escapeText(heading.text)}](#${heading.anchor})`)
        .join('\n');
  }
}

function renderInlines(content: readonly Inline[], inTable: boolean): string {
  return content.map((item) => renderInline(item, inTable)).join('');
}

function renderInline(item: Inline, inTable: boolean): string {
  if (typeof item === 'string') return escapeText(item);
  switch (item.kind) {
    case 'code':
      return codeSpan(item.text, inTable);
    case 'strong':
      return `**${escapeText(item.text)}**`;
    case 'link':
      return `[${item.code ? codeSpan(item.text, inTable) : escapeText(item.text)}](${escapeHref(item.href)})`;
    case 'badge':
      return `${BADGE_MARKS[item.tone]} **${escapeText(item.text)}**`;
    case 'break':
      return inTable ? '<br>' : '  \n';
  }
}

/**
 * Text that renders as written: Markdown punctuation is backslash-escaped, `&` becomes an entity (so `&copy;` stays
 * literal), line breaks become spaces.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>#|~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;');
}

/**
 * A code span that holds any text: the fence is one backtick longer than the longest run inside, padded with a
 * space when the text starts or ends with a backtick. In a table, `|` must be escaped even inside code (GFM).
 */
function codeSpan(text: string, inTable: boolean): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ` ${flat} ` : flat;
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}

/** A link target: spaces and parentheses percent-encoded so the Markdown link does not end early. */
function escapeHref(href: string): string {
  return href.replace(/[ ()<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
