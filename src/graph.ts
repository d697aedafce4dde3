import type { Diagnostic } from './types/diagnostics.js';
import {
  GRAPH_SCHEMA_VERSION,
  type AwsService,
  type Chain,
  type EdgeKind,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from './types/graph.js';
import type { IacValue, Inventory, TriggerDef } from './types/inventory.js';
import { DEFAULT_BUS_ID, TargetIndex } from './resolve/match-target.js';
import type { BoundPart } from './resolve/bind-environment.js';
import type { ResolvedCalls } from './resolve/resolve-calls.js';

/** Trigger kinds that come from a node of the graph (a queue, topic, bus); the rest are events on the function. */
const SOURCE_SERVICE: Partial<Record<TriggerDef['kind'], AwsService>> = { sqs: 'sqs', sns: 'sns', eventbridge: 'eventbridge' };

/** Assemble the Graph: inventory nodes, trigger and dead-letter edges, code edges, chains and cycles. */
export function buildGraph(inventory: Inventory, calls: ResolvedCalls, diagnostics: readonly Diagnostic[]): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const targets = new TargetIndex(inventory);
  const addNode = (node: GraphNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };

  for (const fn of inventory.functions) {
    addNode(
      dropEmpty({
        id: fn.id,
        kind: 'function',
        name: fn.name ? showValue(fn.name) : undefined,
        format: fn.format,
        location: fn.location,
        handler: fn.handler ? (fn.handler.file ? `${fn.handler.file}:${fn.handler.export}` : fn.handler.raw) : undefined,
        runtime: fn.runtime,
        timeout: fn.timeout,
        memorySize: fn.memorySize,
      }),
    );
  }
  for (const q of inventory.queues) addNode(dropEmpty({ id: q.id, kind: 'queue', name: q.name && showValue(q.name), format: q.format, location: q.location }));
  for (const t of inventory.topics) addNode(dropEmpty({ id: t.id, kind: 'topic', name: t.name && showValue(t.name), format: t.format, location: t.location }));
  for (const b of inventory.buses) addNode(dropEmpty({ id: b.id, kind: 'bus', name: b.name && showValue(b.name), format: b.format, location: b.location }));
  for (const m of inventory.stateMachines) {
    addNode(dropEmpty({ id: m.id, kind: 'state-machine', name: m.name && showValue(m.name), format: m.format, location: m.location }));
  }

  // A reference from IaC (`arn: !GetAtt Queue.Arn`, a topic ARN literal) to the node it names.
  const toNodeId = (value: IacValue | undefined, service: AwsService): string => {
    if (!value) return ensureDefaultBus();
    const result = targets.match({ parts: toBoundParts(value), envNames: [] }, service, '');
    // A rule on the default bus named as `default` needs the bus node as much as one that names no bus.
    if (result.ok && 'targets' in result) return result.targets[0] === DEFAULT_BUS_ID ? ensureDefaultBus() : result.targets[0];
    const name = result.ok && 'external' in result ? result.external : showValue(value);
    const id = `external:${service}:${name}`;
    addNode({ id, kind: 'external', name, service });
    return id;
  };
  const ensureDefaultBus = () => {
    addNode({ id: DEFAULT_BUS_ID, kind: 'bus', name: 'default' });
    return DEFAULT_BUS_ID;
  };

  for (const q of inventory.queues) {
    if (!q.deadLetter) continue;
    const dlq = toNodeId(q.deadLetter.target, 'sqs');
    const node = nodes.get(q.id)!;
    node.deadLetter = dropEmpty({ queue: dlq, maxReceiveCount: q.deadLetter.maxReceiveCount });
    const where = q.deadLetter.location ?? q.location;
    edges.push({ from: q.id, to: dlq, kind: 'dead-letter', file: where.file, line: where.line, ...(q.deadLetter.maxReceiveCount ? { details: { maxReceiveCount: q.deadLetter.maxReceiveCount } } : {}) });
  }

  const scheduleCount = new Map<string, number>();
  for (const trigger of inventory.triggers) {
    const details = Object.keys(trigger.details).length ? { details: trigger.details } : {};
    const where = { file: trigger.location.file, line: trigger.location.line };
    const service = SOURCE_SERVICE[trigger.kind];
    if (service) {
      const from = toNodeId(trigger.from, service);
      edges.push({ from, to: trigger.to, kind: 'triggers', ...where, ...details });
    } else if (trigger.kind === 'schedule') {
      // The rule's logical id when the IaC analyzer knows it (`ExpireEventsRuleSchedule1`), else one made from the function.
      const n = (scheduleCount.get(trigger.to) ?? 0) + 1;
      scheduleCount.set(trigger.to, n);
      const rule = trigger.details.rule;
      const id = typeof rule === 'string' && rule ? rule : n === 1 ? `${trigger.to}-schedule` : `${trigger.to}-schedule-${n}`;
      const expression = trigger.details.schedule;
      addNode(dropEmpty({ id, kind: 'schedule', schedule: expression === undefined ? undefined : String(expression), location: trigger.location }));
      edges.push({ from: id, to: trigger.to, kind: 'triggers', ...where, ...details });
    } else {
      const fn = nodes.get(trigger.to);
      if (fn) (fn.events ??= []).push({ kind: trigger.kind, details: trigger.details, location: trigger.location });
    }
  }

  for (const external of calls.externals) addNode(external);
  for (const edge of calls.edges) {
    if (edge.to === DEFAULT_BUS_ID) ensureDefaultBus();
    edges.push(edge);
  }

  const sortedNodes = [...nodes.values()].sort((a, b) => compare(a.id, b.id));
  const sortedEdges = dedupeEdges(edges).sort(compareEdges);
  const cycles = findCycles(sortedNodes, sortedEdges);
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: sortedNodes,
    edges: sortedEdges,
    chains: findChains(sortedNodes, sortedEdges, cycles),
    cycles,
    unresolved: dedupeBy(calls.unresolved, (u) => `${u.from}|${u.file}|${u.line}|${u.reason}`).sort(
      (a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.from ?? '', b.from ?? '') || compare(a.reason, b.reason),
    ),
    unreached: dedupeBy(calls.unreached, (u) => `${u.file}|${u.line}|${u.kind}`).sort((a, b) => compare(a.file, b.file) || a.line - b.line),
    diagnostics: [...diagnostics].sort(
      (a, b) => compare(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compare(a.code, b.code) || compare(a.message, b.message),
    ),
  };
}

/** An IaC value as the name a reader sees: literal text, `*` for what is not known. */
export function showValue(value: IacValue): string {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'join':
      return value.parts.map(showValue).join('');
    case 'ref':
      return `*`;
    case 'unknown':
      return '*';
  }
}

function toBoundParts(value: IacValue): BoundPart[] {
  switch (value.kind) {
    case 'literal':
      return [{ t: 'lit', v: value.value }];
    case 'ref':
      return [{ t: 'ref', target: value.target, attribute: value.attribute }];
    case 'join':
      return value.parts.flatMap(toBoundParts);
    case 'unknown':
      return [{ t: 'named', text: value.text }];
  }
}

function dropEmpty<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEdges(a: GraphEdge, b: GraphEdge): number {
  return (
    compare(a.from, b.from) ||
    compare(a.to, b.to) ||
    compare(a.kind, b.kind) ||
    compare(a.file, b.file) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0)
  );
}

function dedupeEdges(edges: GraphEdge[]): GraphEdge[] {
  return dedupeBy(edges, (e) => `${e.from}|${e.to}|${e.kind}|${e.file}|${e.line}|${e.column ?? 0}`);
}

function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Edges along which work flows (a dead-letter redrive is a failure path, not a step). */
function isFlow(kind: EdgeKind): boolean {
  return kind !== 'dead-letter';
}

function getSuccessors(edges: readonly GraphEdge[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const edge of edges) {
    if (!isFlow(edge.kind)) continue;
    const list = out.get(edge.from) ?? [];
    if (!list.includes(edge.to)) list.push(edge.to);
    out.set(edge.from, list);
  }
  return out;
}

/** Strongly connected components (Tarjan, iterative), in the order they complete. */
function getComponents(ids: readonly string[], successors: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = successors.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const to = succ[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

function findCycles(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string[][] {
  const successors = getSuccessors(edges);
  const cycles = getComponents(
    nodes.map((n) => n.id),
    successors,
  )
    .filter((c) => c.length > 1 || (successors.get(c[0]) ?? []).includes(c[0]))
    .map((c) => [...c].sort(compare));
  return cycles.sort((a, b) => compare(a.join('\0'), b.join('\0')));
}

/**
 * Chains start at entry functions: functions no other function's work reaches (directly or through a queue,
 * topic or bus). In a cycle that nothing feeds, the function with a trigger (or the first by id) is the entry.
 */
function findChains(nodes: readonly GraphNode[], edges: readonly GraphEdge[], cycles: string[][]): Chain[] {
  const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
  const successors = getSuccessors(edges);
  const ids = nodes.map((n) => n.id);
  const components = getComponents(ids, successors);
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((id) => componentOf.set(id, i)));
  // Tarjan completes components in reverse topological order: walk them backwards to propagate "a function reaches this".
  const fedByFunction = components.map(() => false);
  const hasFunction = components.map((c) => c.some((id) => kindOf.get(id) === 'function'));
  const reachedByFunction = [...hasFunction];
  for (let i = components.length - 1; i >= 0; i--) {
    if (!reachedByFunction[i]) continue;
    for (const id of components[i]) {
      for (const to of successors.get(id) ?? []) {
        const j = componentOf.get(to)!;
        if (j === i) continue;
        fedByFunction[j] = true;
        reachedByFunction[j] = true;
      }
    }
  }
  const triggerKinds = getTriggerKinds(nodes, edges, kindOf);
  const inCycle = new Set(cycles.flat());
  // Synchronous invokes by caller, counted once: scanning every edge for every chain grew with chains × edges.
  const syncInvokesFrom = new Map<string, number>();
  for (const edge of edges) if (edge.kind === 'invoke-sync') syncInvokesFrom.set(edge.from, (syncInvokesFrom.get(edge.from) ?? 0) + 1);
  const chains: Chain[] = [];
  components.forEach((component, i) => {
    if (fedByFunction[i] || !hasFunction[i]) return;
    const functions = component.filter((id) => kindOf.get(id) === 'function').sort(compare);
    const triggered = functions.filter((id) => (triggerKinds.get(id)?.length ?? 0) > 0);
    for (const entry of triggered.length ? triggered : [functions[0]]) {
      const chain = buildChain(entry, successors, kindOf, syncInvokesFrom, triggerKinds, inCycle);
      if (chain.nodes.length > 1) chains.push(chain);
    }
  });
  return chains.sort((a, b) => compare(a.entry, b.entry));
}

function getTriggerKinds(nodes: readonly GraphNode[], edges: readonly GraphEdge[], kindOf: Map<string, string>): Map<string, string[]> {
  const kinds = new Map<string, Set<string>>();
  const add = (id: string, kind: string) => {
    const set = kinds.get(id) ?? new Set();
    set.add(kind);
    kinds.set(id, set);
  };
  for (const node of nodes) for (const event of node.events ?? []) add(node.id, event.kind);
  for (const edge of edges) {
    if (edge.kind !== 'triggers') continue;
    const from = kindOf.get(edge.from);
    add(edge.to, from === 'queue' ? 'sqs' : from === 'topic' ? 'sns' : from === 'bus' ? 'eventbridge' : from === 'schedule' ? 'schedule' : 'other');
  }
  return new Map([...kinds].map(([id, set]) => [id, [...set].sort(compare)]));
}

function buildChain(
  entry: string,
  successors: Map<string, string[]>,
  kindOf: Map<string, string>,
  syncInvokesFrom: Map<string, number>,
  triggerKinds: Map<string, string[]>,
  inCycle: Set<string>,
): Chain {
  const order: string[] = [entry];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const to of [...(successors.get(order[i]) ?? [])].sort(compare)) {
      if (!seen.has(to)) {
        seen.add(to);
        order.push(to);
      }
    }
  }
  const functions = order.filter((id) => kindOf.get(id) === 'function');
  let syncInvokes = 0;
  for (const id of order) syncInvokes += syncInvokesFrom.get(id) ?? 0;
  return {
    entry,
    triggers: triggerKinds.get(entry) ?? ['none'],
    nodes: order,
    functions,
    depth: getDepth(entry, successors, kindOf),
    syncInvokes,
    hasCycle: order.some((id) => inCycle.has(id)),
  };
}

/** Longest path from the entry counted in function hops, each node visited once per path (bounded work). */
function getDepth(entry: string, successors: Map<string, string[]>, kindOf: Map<string, string>): number {
  let best = 0;
  let budget = 20_000;
  const onPath = new Set<string>();
  const visit = (id: string, hops: number) => {
    if (budget-- <= 0 || onPath.size > 1000) return;
    best = Math.max(best, hops);
    onPath.add(id);
    for (const to of successors.get(id) ?? []) {
      if (!onPath.has(to)) visit(to, hops + (kindOf.get(to) === 'function' ? 1 : 0));
    }
    onPath.delete(id);
  };
  visit(entry, 0);
  return best;
}
