import { quoteDot } from '../../src/format/dot.js';
import { escapeMermaidText, toMermaidIds } from '../../src/format/mermaid.js';

/** A state machine drawing, independent of the notation: nodes (states), edges (transitions), nested clusters. */
export interface FlowDiagram {
  nodes: FlowNode[];
  edges: FlowEdge[];
  clusters: FlowCluster[];
}

export type FlowShape = 'start' | 'end' | 'task' | 'service' | 'choice' | 'map' | 'parallel' | 'wait' | 'pass' | 'succeed' | 'fail';

export interface FlowNode {
  id: string;
  /** Lines of the label, the state name first. */
  label: string[];
  shape: FlowShape;
  /** The cluster the node sits in (a Map iteration, a Parallel branch), absent at the top. */
  cluster?: string;
}

export interface FlowEdge {
  from: string;
  to: string;
  label?: string;
  /** Dashed: an error path (Catch). */
  dashed?: boolean;
}

export interface FlowCluster {
  id: string;
  label: string;
  clusters: FlowCluster[];
}

const MERMAID_SHAPES: Record<FlowShape, readonly [string, string]> = {
  start: ['((', '))'],
  end: ['(((', ')))'],
  task: ['[', ']'],
  service: ['[/', '/]'],
  choice: ['{', '}'],
  map: ['[[', ']]'],
  parallel: ['[[', ']]'],
  wait: ['([', '])'],
  pass: ['(', ')'],
  succeed: ['([', '])'],
  fail: ['([', '])'],
};

const STYLES: Record<FlowShape, { fill: string; stroke: string }> = {
  start: { fill: '#1f2328', stroke: '#1f2328' },
  end: { fill: '#1f2328', stroke: '#1f2328' },
  task: { fill: '#fff4e5', stroke: '#d9822b' },
  service: { fill: '#e3f2fd', stroke: '#1e88e5' },
  choice: { fill: '#fffde7', stroke: '#f9a825' },
  map: { fill: '#e8eaf6', stroke: '#3949ab' },
  parallel: { fill: '#e8eaf6', stroke: '#3949ab' },
  wait: { fill: '#f5f5f5', stroke: '#757575' },
  pass: { fill: '#f5f5f5', stroke: '#757575' },
  succeed: { fill: '#e8f5e9', stroke: '#2e7d32' },
  fail: { fill: '#ffebee', stroke: '#c62828' },
};

const DOT_SHAPES: Record<FlowShape, string> = {
  start: 'shape=circle, width=0.25, label=""',
  end: 'shape=doublecircle, width=0.2, label=""',
  task: 'shape=box, style="rounded,filled"',
  service: 'shape=parallelogram, style=filled',
  choice: 'shape=diamond, style=filled',
  map: 'shape=box, style=filled, peripheries=2',
  parallel: 'shape=box, style=filled, peripheries=2',
  wait: 'shape=box, style="rounded,filled,dashed"',
  pass: 'shape=box, style="filled,dashed"',
  succeed: 'shape=box, style="rounded,filled,bold"',
  fail: 'shape=box, style="rounded,filled,bold"',
};

/** Mermaid `flowchart TD`: clusters as subgraphs, Catch edges dotted, classes per shape. */
export function toMermaidFlow(diagram: FlowDiagram): string {
  const clusterIds = collectClusters(diagram.clusters).map((cluster) => cluster.id);
  const ids = toMermaidIds([...diagram.nodes.map((node) => node.id), ...clusterIds.map((id) => `cluster ${id}`)]);
  const lines = ['flowchart TD'];
  const nodeLine = (node: FlowNode, indent: string) => {
    const [open, close] = MERMAID_SHAPES[node.shape];
    const label = node.shape === 'start' || node.shape === 'end' ? ' ' : node.label.map(escapeMermaidText).join('<br/>');
    return `${indent}${ids.get(node.id)}${open}"${label}"${close}:::s_${node.shape}`;
  };
  const writeCluster = (cluster: FlowCluster, indent: string) => {
    lines.push(`${indent}subgraph ${ids.get(`cluster ${cluster.id}`)}["${escapeMermaidText(cluster.label)}"]`);
    for (const node of diagram.nodes.filter((item) => item.cluster === cluster.id)) lines.push(nodeLine(node, `${indent}  `));
    for (const child of cluster.clusters) writeCluster(child, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const node of diagram.nodes.filter((item) => item.cluster === undefined)) lines.push(nodeLine(node, '  '));
  for (const cluster of diagram.clusters) writeCluster(cluster, '  ');
  for (const edge of diagram.edges) {
    const arrow = edge.dashed ? '-.->' : '-->';
    const label = edge.label === undefined ? '' : `|"${escapeMermaidText(edge.label)}"|`;
    lines.push(`  ${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`);
  }
  const used = new Set(diagram.nodes.map((node) => node.shape));
  for (const [shape, style] of Object.entries(STYLES) as [FlowShape, (typeof STYLES)[FlowShape]][]) {
    if (used.has(shape)) lines.push(`  classDef s_${shape} fill:${style.fill},stroke:${style.stroke},color:${shape === 'start' || shape === 'end' ? '#ffffff' : '#1a1a1a'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Graphviz `digraph`, top to bottom: clusters as `subgraph cluster_*`, Catch edges dashed. */
export function toDotFlow(diagram: FlowDiagram, title: string): string {
  const lines = [`digraph ${quoteDot(title)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  let clusterCount = 0;
  const writeCluster = (cluster: FlowCluster, indent: string) => {
    lines.push(`${indent}subgraph cluster_${++clusterCount} {`, `${indent}  label=${quoteDot(cluster.label)};`, `${indent}  style="rounded,dashed"; color="#9e9e9e"; fontname="Helvetica"; fontsize=10;`);
    for (const node of diagram.nodes.filter((item) => item.cluster === cluster.id)) lines.push(toDotNode(node, `${indent}  `));
    for (const child of cluster.clusters) writeCluster(child, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const node of diagram.nodes.filter((item) => item.cluster === undefined)) lines.push(toDotNode(node, '  '));
  for (const cluster of diagram.clusters) writeCluster(cluster, '  ');
  for (const edge of diagram.edges) {
    const attributes = [edge.label === undefined ? '' : `label=${quoteDot(edge.label)}`, edge.dashed ? 'style=dashed, color="#c62828", fontcolor="#c62828"' : ''].filter(Boolean);
    lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function toDotNode(node: FlowNode, indent: string): string {
  const style = STYLES[node.shape];
  const label = node.shape === 'start' || node.shape === 'end' ? '' : `label=${quoteDot(node.label.join('\n'))}, `;
  return `${indent}${quoteDot(node.id)} [${label}${DOT_SHAPES[node.shape]}, fillcolor="${style.fill}", color="${style.stroke}"];`;
}

function collectClusters(clusters: readonly FlowCluster[]): FlowCluster[] {
  return clusters.flatMap((cluster) => [cluster, ...collectClusters(cluster.clusters)]);
}
