/**
 * The report as a small document tree, built once and rendered twice: to Markdown (`to-markdown.ts`) and to a
 * self-contained HTML page (`to-html.ts`). Sections only build blocks; they never write Markdown or HTML.
 */

/** How a badge or a note is coloured: good news, neutral, needs a look, a problem. */
export type Tone = 'good' | 'neutral' | 'warn' | 'bad';

export type Inline =
  | string
  | { kind: 'code'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'link'; text: string; href: string; code?: boolean }
  | { kind: 'badge'; text: string; tone: Tone }
  | { kind: 'break' };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string; anchor: string }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; head: string[]; rows: Inline[][][]; numeric?: number[] }
  /** A diagram in both notations: Mermaid for Markdown, DOT for the HTML page (rendered to SVG). */
  | { kind: 'diagram'; title: string; mermaid: string; dot: string }
  | { kind: 'note'; tone: Tone; content: Inline[] }
  /** The table of contents: every level 2 and 3 heading. */
  | { kind: 'toc' };

export const code = (text: string): Inline => ({ kind: 'code', text });
export const strong = (text: string): Inline => ({ kind: 'strong', text });
export const link = (text: string, href: string, isCode = false): Inline => ({ kind: 'link', text, href, ...(isCode ? { code: true } : {}) });
export const badge = (text: string, tone: Tone): Inline => ({ kind: 'badge', text, tone });
export const paragraph = (...content: Inline[]): Block => ({ kind: 'paragraph', content });
export const note = (tone: Tone, ...content: Inline[]): Block => ({ kind: 'note', tone, content });

/**
 * Stable anchors: a slug of the given parts (`chain`, `placeOrder` → `chain-placeorder`), unique within the document
 * (`-2`, `-3` in the order asked), so links from the table of contents and between sections do not depend on
 * heading texts.
 */
export class Anchors {
  private readonly taken = new Map<string, string>();
  private readonly used = new Set<string>();

  /** The anchor for a key; the same key always gives the same anchor. */
  get(...parts: string[]): string {
    const key = JSON.stringify(parts);
    const known = this.taken.get(key);
    if (known !== undefined) return known;
    const base = parts.map(toSlug).filter(Boolean).join('-') || 'section';
    let anchor = base;
    for (let suffix = 2; this.used.has(anchor); suffix++) anchor = `${base}-${suffix}`;
    this.used.add(anchor);
    this.taken.set(key, anchor);
    return anchor;
  }
}

export function toSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The headings a table of contents lists. */
export function getTocHeadings(blocks: readonly Block[]): Extract<Block, { kind: 'heading' }>[] {
  return blocks.filter((block): block is Extract<Block, { kind: 'heading' }> => block.kind === 'heading' && (block.level === 2 || block.level === 3));
}
