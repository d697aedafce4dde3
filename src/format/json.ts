import type { Diagnostic, SourceLocation } from '../types/diagnostics.js';
import type { Chain, Graph, GraphEdge, GraphNode, SdkCallInfo, UnreachedCall, UnresolvedTarget } from '../types/graph.js';
import type { RenderOptions } from './graph-facts.js';
import { compareByteOrder } from '../util/byte-order.js';

/**
 * The Graph as pretty-printed JSON (2 spaces, trailing newline). Keys follow the order of the Graph type
 * (and of `schema/graph.schema.json`) whatever order the producer set them in; free-form records (`details`,
 * `annotations`) get their keys sorted. So two deep-equal graphs always give the same bytes. Keys unknown to
 * the type are kept, sorted, after the known ones. `options` are accepted for a uniform renderer signature.
 */
export function renderJson(graph: Graph, _options: RenderOptions = {}): string {
  return `${JSON.stringify(orderGraph(graph), null, 2)}\n`;
}

type Ordered = Record<string, unknown>;

function orderGraph(graph: Graph): Ordered {
  return withUnknownKeys(graph, {
    schemaVersion: graph.schemaVersion,
    nodes: graph.nodes.map(orderNode),
    edges: graph.edges.map(orderEdge),
    chains: graph.chains.map(orderChain),
    cycles: graph.cycles,
    unresolved: graph.unresolved.map(orderUnresolved),
    unreached: graph.unreached.map(orderUnreached),
    diagnostics: graph.diagnostics.map(orderDiagnostic),
  });
}

function orderNode(node: GraphNode): Ordered {
  return withUnknownKeys(node, {
    id: node.id,
    kind: node.kind,
    name: node.name,
    service: node.service,
    format: node.format,
    location: node.location && orderLocation(node.location),
    handler: node.handler,
    runtime: node.runtime,
    timeout: node.timeout,
    memorySize: node.memorySize,
    events: node.events?.map((event) =>
      withUnknownKeys(event, { kind: event.kind, details: sortKeys(event.details), location: orderLocation(event.location) }),
    ),
    deadLetter:
      node.deadLetter &&
      withUnknownKeys(node.deadLetter, { queue: node.deadLetter.queue, maxReceiveCount: node.deadLetter.maxReceiveCount }),
    schedule: node.schedule,
  });
}

function orderEdge(edge: GraphEdge): Ordered {
  return withUnknownKeys(edge, {
    from: edge.from,
    to: edge.to,
    kind: edge.kind,
    file: edge.file,
    line: edge.line,
    column: edge.column,
    target: edge.target,
    sdk: edge.sdk && orderSdk(edge.sdk),
    resolution: edge.resolution,
    via: edge.via?.map(orderLocation),
    dynamic: edge.dynamic,
    recursive: edge.recursive,
    details: edge.details && sortKeys(edge.details),
    annotations: edge.annotations && sortKeys(edge.annotations),
  });
}

function orderChain(chain: Chain): Ordered {
  return withUnknownKeys(chain, {
    entry: chain.entry,
    triggers: chain.triggers,
    nodes: chain.nodes,
    functions: chain.functions,
    depth: chain.depth,
    syncInvokes: chain.syncInvokes,
    hasCycle: chain.hasCycle,
  });
}

function orderUnresolved(item: UnresolvedTarget): Ordered {
  return withUnknownKeys(item, {
    from: item.from,
    kind: item.kind,
    file: item.file,
    line: item.line,
    target: item.target,
    reason: item.reason,
    sdk: item.sdk && orderSdk(item.sdk),
  });
}

function orderUnreached(item: UnreachedCall): Ordered {
  return withUnknownKeys(item, {
    file: item.file,
    line: item.line,
    kind: item.kind,
    target: item.target,
    sdk: item.sdk && orderSdk(item.sdk),
  });
}

function orderDiagnostic(diagnostic: Diagnostic): Ordered {
  return withUnknownKeys(diagnostic, {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column,
    hint: diagnostic.hint,
  });
}

function orderLocation(location: SourceLocation): Ordered {
  return withUnknownKeys(location, { file: location.file, line: location.line, column: location.column });
}

function orderSdk(sdk: SdkCallInfo): Ordered {
  return withUnknownKeys(sdk, { service: sdk.service, operation: sdk.operation, sdkVersion: sdk.sdkVersion });
}

/** Appends, in sorted order, the keys of `original` that `ordered` does not list, so that nothing is lost. */
function withUnknownKeys(original: object, ordered: Ordered): Ordered {
  const unknown = Object.keys(original)
    .filter((key) => !Object.hasOwn(ordered, key))
    .toSorted(compareByteOrder);
  for (const key of unknown) ordered[key] = sortKeys((original as Ordered)[key]);
  return ordered;
}

/** A deep copy with object keys in byte order, for free-form values whose key order carries no meaning. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: Ordered = {};
  for (const key of Object.keys(value).toSorted(compareByteOrder)) sorted[key] = sortKeys((value as Ordered)[key]);
  return sorted as T;
}
