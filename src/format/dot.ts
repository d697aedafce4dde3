import type { Graph, NodeKind } from '../types/graph.js';
import {
  collapseEdges,
  getDiagramNodes,
  toDiagramEdgeLabel,
  type RenderOptions,
} from './graph-facts.js';

/** Graphviz attributes per node kind: the shape says what it is, the fill echoes the mermaid colours. */
const NODE_ATTRIBUTES: Record<NodeKind, string> = {
  function: 'shape=box, style="rounded,filled", fillcolor="#fff4e5", color="#d9822b"',
  queue: 'shape=cylinder, style=filled, fillcolor="#fce4ec", color="#c2185b"',
  topic: 'shape=hexagon, style=filled, fillcolor="#f3e5f5", color="#8e24aa"',
  bus: 'shape=parallelogram, style=filled, fillcolor="#ffebee", color="#c62828"',
  'state-machine': 'shape=box3d, style=filled, fillcolor="#e8eaf6", color="#3949ab"',
  schedule: 'shape=ellipse, style=filled, fillcolor="#e0f2f1", color="#00897b"',
  external: 'shape=box, style="dashed,filled", fillcolor="#f5f5f5", color="#757575"',
};

/**
 * A Graphviz `digraph` of the graph, left to right: nodes shaped by kind and identified by their quoted real
 * id; solid edges for calls that wait for an answer, dashed ones for asynchronous hand-offs; parallel edges of
 * one kind drawn once with a count.
 */
export function renderDot(graph: Graph, options: RenderOptions = {}): string {
  const lines = [`digraph ${quoteDot(options.title ?? 'lambda2sfn')} {`, '  rankdir=LR;'];
  if (options.title !== undefined) lines.push(`  label=${quoteDot(options.title)};`, '  labelloc=t;');
  lines.push('  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];');
  for (const node of getDiagramNodes(graph)) {
    const attributes = NODE_ATTRIBUTES[node.kind] ?? NODE_ATTRIBUTES.external;
    lines.push(`  ${quoteDot(node.id)} [label=${quoteDot(node.id)}, ${attributes}];`);
  }
  for (const edge of collapseEdges(graph.edges)) {
    const style = edge.sync ? '' : ', style=dashed';
    lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)} [label=${quoteDot(toDiagramEdgeLabel(edge))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * A DOT double-quoted string. Backslashes are doubled so that `\n`, `\N`, `\l` in an id stay literal (they are
 * label escapes); quotes are escaped; line breaks become `\n`.
 */
export function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}
