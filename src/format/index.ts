import type { Graph } from '../types/graph.js';
import { renderDot } from './dot.js';
import type { RenderOptions } from './graph-facts.js';
import { renderJson } from './json.js';
import { renderMermaid } from './mermaid.js';
import { renderText } from './text.js';

export type { RenderOptions } from './graph-facts.js';

/** Every output format of `analyze --format`: pure functions from a Graph to the text to print or write. */
export const FORMATS = {
  text: renderText,
  json: renderJson,
  mermaid: renderMermaid,
  dot: renderDot,
} as const satisfies Record<string, (graph: Graph, options?: RenderOptions) => string>;

export type GraphFormat = keyof typeof FORMATS;

export function isGraphFormat(name: string): name is GraphFormat {
  return Object.hasOwn(FORMATS, name);
}

export function renderGraph(graph: Graph, format: GraphFormat, options: RenderOptions = {}): string {
  return FORMATS[format](graph, options);
}
