import type { Diagnostic } from '../types/diagnostics.js';
import type { Chain, Graph, GraphEdge, GraphNode } from '../types/graph.js';
import {
  NODE_KINDS,
  groupEdgesBySource,
  isSyncEdge,
  toCountText,
  toLocationText,
  type RenderOptions,
} from './graph-facts.js';
import { compareByteOrder } from '../util/byte-order.js';
import { renderAnnotationLines } from './annotation-text.js';
import { toPrintableValue } from './printable.js';

/** How a trigger source shows in a function's trigger list: the event kind its node kind produces. */
const TRIGGER_LABELS: Partial<Record<GraphNode['kind'], string>> = {
  queue: 'sqs',
  topic: 'sns',
  bus: 'eventbridge',
  schedule: 'schedule',
};

/**
 * The default human-readable output: a summary line, then one section per part of the graph. Empty sections are
 * left out. Plain text, aligned columns, no trailing spaces, ends with a newline.
 */
export function renderText(input: Graph, options: RenderOptions = {}): string {
  // Names come from the analysed repository: a line break or an escape sequence in one must not reach the terminal.
  const graph = toPrintableValue(input);
  const sections = [
    renderFunctions(graph),
    renderResources(graph),
    renderEdges(graph),
    renderChains(graph.chains),
    renderCycles(graph.cycles),
    renderUnresolved(graph),
    renderUnreached(graph),
    renderDiagnostics(graph.diagnostics),
  ].filter((section) => section.length > 0);
  const head = options.title === undefined ? [] : [toPrintableValue(options.title)];
  return [[...head, renderSummary(graph)], ...sections].map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

function renderSummary(graph: Graph): string {
  const nodeCounts = NODE_KINDS.map((kind) => [kind, graph.nodes.filter((node) => node.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => toCountText(count, kind.replace('-', ' ')));
  const syncCount = graph.edges.filter((edge) => isSyncEdge(edge)).length;
  const parts = [
    nodeCounts.length > 0 ? nodeCounts.join(', ') : 'no nodes',
    `${toCountText(graph.edges.length, 'edge')} (${syncCount} sync)`,
    toCountText(graph.chains.length, 'chain'),
    toCountText(graph.cycles.length, 'cycle'),
    `${graph.unresolved.length} unresolved`,
    `${graph.unreached.length} unreached`,
    renderDiagnosticCount(graph.diagnostics),
  ];
  return `Graph: ${parts.join('; ')}`;
}

function renderDiagnosticCount(diagnostics: readonly Diagnostic[]): string {
  const total = toCountText(diagnostics.length, 'diagnostic');
  if (diagnostics.length === 0) return total;
  const bySeverity = (['error', 'warning', 'info'] as const)
    .map((severity) => [severity, diagnostics.filter((d) => d.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => toCountText(count, severity));
  return `${total} (${bySeverity.join(', ')})`;
}

function renderFunctions(graph: Graph): string[] {
  const functions = graph.nodes.filter((node) => node.kind === 'function');
  if (functions.length === 0) return [];
  const edgeTriggers = getEdgeTriggerTexts(graph);
  const rows = functions.map((node) => [
    node.id,
    node.handler ?? '(handler not found)',
    node.timeout === undefined ? 'timeout -' : `timeout ${node.timeout}s`,
    `triggers: ${[...getEventTexts(node), ...(edgeTriggers.get(node.id) ?? [])].join(', ') || 'none'}`,
  ]);
  return [`Functions (${functions.length})`, ...alignColumns(rows, '  ')];
}

/** A function's own events (HTTP routes, S3 notifications, streams). */
function getEventTexts(node: GraphNode): string[] {
  return (node.events ?? []).map((event) => {
    if (event.kind === 'http' && event.details.method !== undefined && event.details.path !== undefined) {
      return `http ${event.details.method} ${event.details.path}`;
    }
    return joinNonEmpty([event.kind, renderDetails(event.details)]);
  });
}

/** The queues, topics, buses and schedules wired to each node by `triggers` edges, in edge order. */
function getEdgeTriggerTexts(graph: Graph): Map<string, string[]> {
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  const byTarget = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.kind !== 'triggers') continue;
    const sourceKind = kinds.get(edge.from);
    const label = (sourceKind && TRIGGER_LABELS[sourceKind]) ?? sourceKind ?? 'trigger';
    const details = edge.details ? ` (${renderDetails(edge.details)})` : '';
    const texts = byTarget.get(edge.to) ?? [];
    texts.push(`${label} ${edge.from}${details}`);
    byTarget.set(edge.to, texts);
  }
  return byTarget;
}

/** Every node that is not a function: queues, topics, buses, state machines, schedules, external targets. */
function renderResources(graph: Graph): string[] {
  const resources = graph.nodes.filter((node) => node.kind !== 'function');
  if (resources.length === 0) return [];
  const rows = resources.map((node) => [
    node.kind,
    node.id,
    node.name ?? '',
    node.location ? toLocationText(node.location) : '',
    describeResource(node),
  ]);
  return [`Resources (${resources.length})`, ...alignColumns(rows, '  ')];
}

function describeResource(node: GraphNode): string {
  const facts: string[] = [];
  if (node.service !== undefined) facts.push(`service ${node.service}`);
  if (node.schedule !== undefined) facts.push(`schedule ${node.schedule}`);
  if (node.deadLetter !== undefined) {
    const after = node.deadLetter.maxReceiveCount === undefined ? '' : ` after ${toCountText(node.deadLetter.maxReceiveCount, 'receive')}`;
    facts.push(`dead letters → ${node.deadLetter.queue}${after}`);
  }
  return facts.join(', ');
}

function renderEdges(graph: Graph): string[] {
  if (graph.edges.length === 0) return [];
  const groups = groupEdgesBySource(graph);
  // One table for all groups, so that locations line up across the whole section.
  const rows = groups.flatMap((group) => group.edges.map(toEdgeRow));
  const aligned = alignColumns(rows, '    ');
  const lines = [`Edges (${graph.edges.length})`];
  let index = 0;
  for (const group of groups) {
    lines.push(`  ${group.source}${group.node && group.node.kind !== 'function' ? ` (${group.node.kind})` : ''}`);
    for (const edge of group.edges) {
      lines.push(aligned[index++] ?? '');
      lines.push(...renderAnnotationLines(edge.annotations, edge.file, '        '));
    }
  }
  return lines;
}

function toEdgeRow(edge: GraphEdge): string[] {
  const details = edge.details ? renderDetails(edge.details) : '';
  // Trigger edges have details and no target: show the details in the target column rather than far right.
  const target =
    edge.target === undefined ? details : `target: ${edge.target}${edge.resolution ? ` (${edge.resolution})` : ''}`;
  const extras: string[] = [];
  if (edge.target !== undefined && details !== '') extras.push(details);
  if (edge.via && edge.via.length > 0) {
    extras.push(`[via ${edge.via.length === 1 ? 'wrapper' : 'wrappers'} ${edge.via.map(toLocationText).join(' → ')}]`);
  }
  if (edge.dynamic) extras.push('(dynamic)');
  if (edge.recursive) extras.push('(recursive)');
  return [`${edge.from} ─${edge.kind}→ ${edge.to}`, toLocationText(edge), target, extras.join('  ')];
}

/** `{attempts: 3, errors: [A, B]}`: JSON without the quotes that only get in the way of reading. */
export function toReadable(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return /^[^\s,:{}[\]"]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(toReadable).join(', ')}]`;
  const entries = toSortedEntries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${key}: ${toReadable(item)}`).join(', ')}}`;
}

function renderDetails(details: Record<string, string | number | boolean>): string {
  return toSortedEntries(details)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

function renderChains(chains: readonly Chain[]): string[] {
  if (chains.length === 0) return [];
  const rows = chains.map((chain) => [
    chain.entry,
    `triggers: ${chain.triggers.join(', ') || 'none'}`,
    `depth ${chain.depth}`,
    toCountText(chain.functions.length, 'function'),
    toCountText(chain.syncInvokes, 'sync invoke'),
    chain.hasCycle ? 'cycle' : '',
  ]);
  const aligned = alignColumns(rows, '  ');
  return [
    `Chains (${chains.length})`,
    ...chains.flatMap((chain, index) => [aligned[index] ?? '', `    functions: ${chain.functions.join(', ')}`]),
  ];
}

function renderCycles(cycles: readonly string[][]): string[] {
  if (cycles.length === 0) return [];
  return [`Cycles (${cycles.length})`, ...cycles.map((cycle) => `  ${[...cycle, cycle[0] ?? ''].join(' → ')}`)];
}

function renderUnresolved(graph: Graph): string[] {
  if (graph.unresolved.length === 0) return [];
  const rows = graph.unresolved.map((item) => [
    toLocationText(item),
    item.from === undefined ? item.kind : `${item.kind} from ${item.from}`,
    `target: ${item.target}`,
    `— ${item.reason}`,
  ]);
  return [`Unresolved targets (${graph.unresolved.length})`, ...alignColumns(rows, '  ')];
}

function renderUnreached(graph: Graph): string[] {
  if (graph.unreached.length === 0) return [];
  const rows = graph.unreached.map((item) => [toLocationText(item), item.kind, `target: ${item.target}`]);
  return [`Unreached calls (${graph.unreached.length})`, ...alignColumns(rows, '  ')];
}

function renderDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  const rows = diagnostics.map((d) => [d.severity, d.code, toLocationText(d) || '-', d.message]);
  const aligned = alignColumns(rows, '  ');
  // Hints sit under the message column.
  const hintIndent = ' '.repeat(2 + getColumnWidths(rows).slice(0, 3).reduce((sum, width) => sum + width + 2, 0));
  return [
    `Diagnostics (${diagnostics.length})`,
    ...diagnostics.flatMap((d, index) => [aligned[index] ?? '', ...(d.hint ? [`${hintIndent}hint: ${d.hint}`] : [])]),
  ];
}

/** Pads every column but the last to its widest cell; drops empty trailing cells and trailing spaces. */
function alignColumns(rows: readonly string[][], indent: string): string[] {
  const widths = getColumnWidths(rows);
  return rows.map((row) => {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)));
    return (indent + cells.join('  ')).trimEnd();
  });
}

/** Entries in byte order of their keys: free-form records carry no meaningful order, and output must not depend on it. */
function toSortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).toSorted(([a], [b]) => compareByteOrder(a, b));
}

function getColumnWidths(rows: readonly string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return widths;
}

function joinNonEmpty(parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}
