import type { EdgeAnnotations } from './annotations.js';
import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { IacFormat, TriggerKind } from './inventory.js';

/**
 * The Graph is a public contract: `schema/graph.schema.json` describes it and the README documents it.
 * Change it only on purpose, bump `schemaVersion` when a change is not backwards compatible.
 */
export const GRAPH_SCHEMA_VERSION = 1;

export type NodeKind = 'function' | 'queue' | 'topic' | 'bus' | 'state-machine' | 'schedule' | 'external';

export type AwsService = 'lambda' | 'sqs' | 'sns' | 'eventbridge' | 'sfn';

export interface GraphNode {
  /** The IaC logical id (unique in the graph; prefixed with its service or stack when two IaC files use the same id). */
  id: string;
  kind: NodeKind;
  /** The deployed name, when known (`*` stands for a part we could not evaluate). */
  name?: string;
  /** For `external` nodes: the service the target belongs to. */
  service?: AwsService;
  format?: IacFormat;
  /** Where the resource is declared. */
  location?: SourceLocation;
  /** Functions: `file:export` of the handler, when found. */
  handler?: string;
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  /** Functions: events that start it without a node of their own (HTTP routes, S3 notifications, streams). */
  events?: { kind: TriggerKind; details: Record<string, string | number | boolean>; location: SourceLocation }[];
  /** Queues: the redrive policy. */
  deadLetter?: { queue: string; maxReceiveCount?: number };
  /** Schedules: the expression. */
  schedule?: string;
}

export type EdgeKind =
  | 'invoke-sync'
  | 'invoke-async'
  | 'sqs'
  | 'sns'
  | 'eventbridge'
  | 'sfn-start'
  | 'http'
  /** A queue, topic, bus or schedule starting a function (or an SNS topic filling a queue). */
  | 'triggers'
  /** A queue's redrive to its dead-letter queue. */
  | 'dead-letter';

/** How a code target was bound to its node (`parameter`: through an SSM parameter the IaC writes, read at run time). */
export type Resolution = 'literal' | 'constant' | 'environment' | 'pattern' | 'self' | 'iac' | 'parameter';

export interface SdkCallInfo {
  service: AwsService;
  /** The SDK v2 method name (`invoke`, `sendMessage`, ...), the same for v3 commands. */
  operation: string;
  sdkVersion: 'v2' | 'v3' | 'unknown';
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The call site (relative to the analysed folder) — for `triggers`, where the IaC declares the event. */
  file: string;
  line: number;
  column?: number;
  /** The target expression as written at the call site. */
  target?: string;
  sdk?: SdkCallInfo;
  resolution?: Resolution;
  /** When the call goes through wrapper functions: the SDK call inside each wrapper, outermost first. */
  via?: SourceLocation[];
  /** The target was matched from a partly dynamic name (`'app-dev-' + name`): one edge per possible target. */
  dynamic?: boolean;
  /** A function invoking itself. */
  recursive?: boolean;
  /** Trigger details (batch size, schedule, filter...). */
  details?: Record<string, string | number | boolean>;
  /** Code edges: what surrounds the call (retries, fan-outs, compensation, conditions, payload, use of the result). */
  annotations?: EdgeAnnotations;
}

/** An entry point and everything it reaches. */
export interface Chain {
  /** The entry function. */
  entry: string;
  /** What starts it: trigger kinds (`http`, `schedule`, ...) or `none` when nothing in the IaC does. */
  triggers: string[];
  /** Nodes reached, in breadth-first order, the entry first. */
  nodes: string[];
  /** Functions reached (entry included). */
  functions: string[];
  /** Longest path in function hops, not counting cycles. */
  depth: number;
  /** Number of synchronous invokes inside the chain. */
  syncInvokes: number;
  hasCycle: boolean;
}

export interface UnresolvedTarget {
  /** The function the call belongs to, when known. */
  from?: string;
  kind: EdgeKind;
  file: string;
  line: number;
  target: string;
  reason: string;
  sdk?: SdkCallInfo;
}

/** An SDK call that no handler reaches through imports: reported, not turned into an edge. */
export interface UnreachedCall {
  file: string;
  line: number;
  kind: EdgeKind;
  target: string;
  sdk?: SdkCallInfo;
}

export interface Graph {
  schemaVersion: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  chains: Chain[];
  /** Each cycle as the list of node ids on it. */
  cycles: string[][];
  unresolved: UnresolvedTarget[];
  unreached: UnreachedCall[];
  diagnostics: Diagnostic[];
}
