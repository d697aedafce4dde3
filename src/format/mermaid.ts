import type { Graph, NodeKind } from '../types/graph.js';
import {
  collapseEdges,
  getDiagramNodes,
  toDiagramEdgeLabel,
  type RenderOptions,
} from './graph-facts.js';

/**
 * Shape brackets per node kind. Only the classic shapes: GitHub's renderer lags behind mermaid releases, and the
 * `@{ shape: ... }` syntax is too new for it.
 */
const SHAPES: Record<NodeKind, readonly [open: string, close: string]> = {
  function: ['[', ']'],
  queue: ['[(', ')]'],
  topic: ['{{', '}}'],
  bus: ['[/', '/]'],
  'state-machine': ['[[', ']]'],
  schedule: ['((', '))'],
  external: ['(', ')'],
};

/** Fill and stroke per kind, close to the AWS service colours; `color` keeps text readable in dark mode. */
const CLASS_STYLES: Record<NodeKind, string> = {
  function: 'fill:#fff4e5,stroke:#d9822b,color:#1a1a1a',
  queue: 'fill:#fce4ec,stroke:#c2185b,color:#1a1a1a',
  topic: 'fill:#f3e5f5,stroke:#8e24aa,color:#1a1a1a',
  bus: 'fill:#ffebee,stroke:#c62828,color:#1a1a1a',
  'state-machine': 'fill:#e8eaf6,stroke:#3949ab,color:#1a1a1a',
  schedule: 'fill:#e0f2f1,stroke:#00897b,color:#1a1a1a',
  external: 'fill:#f5f5f5,stroke:#757575,stroke-dasharray:5 5,color:#1a1a1a',
};

/**
 * A mermaid `flowchart LR` of the graph: one node per graph node, shaped by kind, labelled with its real id;
 * solid arrows for calls that wait for an answer, dotted ones for asynchronous hand-offs; parallel edges of one
 * kind drawn once with a count.
 */
export function renderMermaid(graph: Graph, options: RenderOptions = {}): string {
  const lines: string[] = [];
  if (options.title !== undefined) lines.push('---', `title: ${JSON.stringify(options.title)}`, '---');
  lines.push('flowchart LR');
  const nodes = getDiagramNodes(graph);
  const ids = toMermaidIds(nodes.map((node) => node.id));
  for (const node of nodes) {
    const [open, close] = SHAPES[node.kind] ?? SHAPES.external;
    lines.push(`  ${ids.get(node.id)}${open}"${escapeMermaidText(node.id)}"${close}:::${toClassName(node.kind)}`);
  }
  for (const edge of collapseEdges(graph.edges)) {
    const arrow = edge.sync ? '-->' : '-.->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${escapeMermaidText(toDiagramEdgeLabel(edge))}"| ${ids.get(edge.to)}`);
  }
  const usedKinds = new Set(nodes.map((node) => node.kind));
  for (const [kind, style] of Object.entries(CLASS_STYLES) as [NodeKind, string][]) {
    if (usedKinds.has(kind)) lines.push(`  classDef ${toClassName(kind)} ${style}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid-safe identifiers, one per graph id, stable for a given list: letters, digits and `_` only, prefixed
 * with `n_` so that no id is a keyword (`end`, `graph`) or starts with `o`/`x` right after an arrow (`-->oX`
 * is a circle-headed arrow). Ids that sanitise to the same string get `_2`, `_3`, ... in order.
 */
export function toMermaidIds(graphIds: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of graphIds) {
    if (result.has(id)) continue;
    const base = `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${base}_${suffix}`;
    taken.add(candidate);
    result.set(id, candidate);
  }
  return result;
}

/** Characters that would end or change a quoted label, as mermaid entities (`#name;` or `#decimal;`). */
const MERMAID_ENTITIES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
  ';': '#59;',
  '%': '#37;',
};

/**
 * Text for a quoted label. `#` starts an entity, quotes end the label, angle brackets and `&` are HTML in HTML
 * labels, a backtick starts a markdown string, `|` ends an edge label, `;` ends a statement, `%%` starts a
 * comment even inside quotes: all become entities, in one pass so that no entity is escaped twice. Line breaks
 * become spaces.
 */
export function escapeMermaidText(text: string): string {
  return text.replace(/[#"&<>`|;%]/g, (char) => MERMAID_ENTITIES[char] ?? char).replace(/[\r\n\t]+/g, ' ');
}

function toClassName(kind: NodeKind): string {
  return `k_${kind.replace('-', '_')}`;
}
