import type { FanOutData } from '../../../analyzers/code/fan-out.js';
import type { FanOutAnnotation } from '../../types/annotations.js';
import type { Sym } from '../../types/summary.js';
import type { Env } from '../evaluate.js';
import type { ChainContext, EdgeChain } from './chain.js';
import { traceOrigin, type ElementMarker, type OriginContext } from './trace-origin.js';
import { toJsonPath, type ValueReader } from './values.js';

/** A fan-out around the call, with the records that refine it (its branch, a limit inside it, the batches around it). */
interface FanOutFound {
  entry: ChainContext;
  data: FanOutData;
  marker?: ElementMarker;
}

/** The fan-outs an edge's call is part of, outermost first, and the elements they hand to it. */
export function findFanOuts(chain: EdgeChain): FanOutFound[] {
  const out: FanOutFound[] = [];
  const entries = chain.contexts.filter((entry) => entry.record.kind === 'fan-out');
  entries.forEach((entry, i) => {
    const data = entry.record.data as unknown as FanOutData;
    if (data.pending || data.kind === 'limit' || data.kind === 'batch') return;
    if (data.kind === 'sequential-map' && !data.awaits) {
      // `for (const x of xs) promises.push(send(x))`: the pushes inside are the fan-out (a map), not the loop.
      const inner = entries.slice(i + 1).some((e) => (e.record.data as unknown as FanOutData).kind === 'map');
      if (inner) return;
    }
    const marker: ElementMarker | undefined =
      data.elementFn !== undefined ? { file: entry.file, fn: data.elementFn } : data.elementScope !== undefined ? { file: entry.file, scope: data.elementScope } : undefined;
    out.push({ entry, data, ...(marker ? { marker } : {}) });
  });
  // A loop over batches whose body maps each batch is batching of that map; alone, it is a sequential map of batches.
  for (const entry of entries) {
    const data = entry.record.data as unknown as FanOutData;
    if (data.kind !== 'batch') continue;
    const inner = out.find((f) => chain.contexts.indexOf(f.entry) > chain.contexts.indexOf(entry));
    if (!inner) {
      const marker = data.elementScope !== undefined ? { file: entry.file, scope: data.elementScope } : undefined;
      out.push({ entry, data: { ...data, kind: 'sequential-map', combinator: data.combinator ?? 'for-of', toleratesFailures: false }, ...(marker ? { marker } : {}) });
    }
  }
  return out.sort((a, b) => chain.contexts.indexOf(a.entry) - chain.contexts.indexOf(b.entry));
}

export function toFanOutAnnotations(found: readonly FanOutFound[], chain: EdgeChain, values: ValueReader, origins: OriginContext): FanOutAnnotation[] {
  const entries = chain.contexts.filter((entry) => entry.record.kind === 'fan-out');
  return found.map(({ entry, data, marker }) => {
    const env = chain.calls[entry.at].env;
    const position = chain.contexts.indexOf(entry);
    const inner = entries.filter((e) => chain.contexts.indexOf(e) > position);
    const outer = entries.filter((e) => chain.contexts.indexOf(e) < position);
    const annotation: FanOutAnnotation = {
      combinator: data.combinator ?? 'all',
      file: entry.file,
      kind: data.kind as FanOutAnnotation['kind'],
      line: entry.record.line,
      text: data.text,
      toleratesFailures: Boolean(data.toleratesFailures),
    };
    if (data.kind === 'parallel') {
      annotation.branches = data.branches ?? [];
      const inside = chain.calls[entry.at].call;
      const branch = getBranch(data, inside.line, inside.column);
      if (branch !== undefined) annotation.branch = branch;
    } else {
      // A map inside a loop over batches (`for (const batch of chunk(items, 10))`) maps the whole collection in batches.
      const batch = [...outer].reverse().find((e) => (e.record.data as unknown as FanOutData).kind === 'batch');
      const batchData = batch?.record.data as unknown as FanOutData | undefined;
      const collectionSym = batchData ? batchData.collectionSym : data.collectionSym;
      const collectionEnv = batch ? chain.calls[batch.at].env : env;
      if (batchData) {
        annotation.collection = batchData.collection;
        annotation.batchSize = readCount(batchData.size, collectionEnv, values);
      } else if (data.collection !== undefined) {
        annotation.collection = data.collection;
      }
      if (data.kind === 'sequential-map' && data.size) annotation.batchSize = readCount(data.size, env, values);
      const path = collectionSym ? getEventPath(collectionSym, collectionEnv, origins) : undefined;
      if (path) annotation.collectionPath = path;
      if (data.element !== undefined) annotation.element = data.element;
      if (marker) annotation.elementFields = readElementFields(chain, getCallInside(chain, entry.at, entry.file, data, origins.evaluator), marker, origins);
    }
    if (data.kind !== 'sequential-map') {
      const limit = inner.find((e) => (e.record.data as unknown as FanOutData).kind === 'limit');
      const limitData = (limit?.record.data as unknown as FanOutData | undefined) ?? (data.concurrency ? data : undefined);
      if (limitData?.concurrency) {
        annotation.maxConcurrency = readCount(limitData.concurrency, limit ? chain.calls[limit.at].env : env, values);
        if (limitData.limitText) annotation.limitText = limitData.limitText;
      }
    }
    return annotation;
  });
}

/** Which element of a parallel list a position is in: the last one starting at or before it. */
export function getBranch(data: FanOutData, line: number, column: number): number | undefined {
  let found: number | undefined;
  (data.branchStarts ?? []).forEach(([startLine, startColumn], i) => {
    if (startLine < line || (startLine === line && startColumn <= column)) found = i;
  });
  return found;
}

/**
 * The call of the chain the element is handed to: the last one (up to the edge's site) still written inside the
 * fan-out's callback, so neither `items.map(...)` handing the callback over, nor a call inside a helper it calls.
 */
function getCallInside(chain: EdgeChain, at: number, file: string, data: FanOutData, evaluator: OriginContext['evaluator']): number {
  if (data.elementFn === undefined) return at;
  const functions = evaluator.getSummary(file)?.functions ?? [];
  let found = at;
  for (let i = at; i <= chain.siteIndex; i++) {
    const call = chain.calls[i];
    if (call.file !== file) continue;
    for (let fn = call.call.fn; fn >= 0; fn = functions[fn]?.parent ?? -1) {
      if (fn !== data.elementFn) continue;
      found = i;
      break;
    }
  }
  return found;
}

function readCount(sym: Sym | undefined, env: Env, values: ValueReader): number | null {
  if (!sym) return null;
  const value = values.number(sym, env);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function getEventPath(sym: Sym, env: Env, origins: OriginContext): string | undefined {
  const origin = traceOrigin(sym, env, origins);
  return origin.source === 'event' && origin.path && !origin.computed ? toJsonPath(origin.path) : undefined;
}

/**
 * The fields of the element that feed the call: read from the arguments of the first call of the chain inside the
 * fan-out (`invokeFunction(name, { sku: item.sku, quantity: item.quantity })` gives `sku`, `quantity`).
 */
function readElementFields(chain: EdgeChain, at: number, marker: ElementMarker, origins: OriginContext): string[] {
  const call = chain.calls[at];
  const context: OriginContext = { ...origins, elements: [marker] };
  const fields: string[] = [];
  const visit = (sym: Sym, depth: number) => {
    if (depth > 4 || fields.length > 16) return;
    if (sym.k === 'obj') {
      for (const prop of sym.props) visit(prop.value, depth + 1);
      for (const spread of sym.spreads ?? []) visit(spread, depth + 1);
      return;
    }
    if (sym.k === 'arr') {
      for (const item of sym.items) visit(item, depth + 1);
      return;
    }
    if (sym.k === 'call' || sym.k === 'new') {
      // `JSON.stringify({ customerId: customer.id })`, `new SendMessageCommand({...})`: the fields read inside.
      for (const arg of sym.args) visit(arg, depth + 1);
      if (sym.callee.k === 'get') visit(sym.callee.obj, depth + 1);
      return;
    }
    const origin = traceOrigin(sym, call.env, context);
    if (origin.source !== 'element') return;
    const field = origin.path ? origin.path.join('.') : '';
    if (!fields.includes(field)) fields.push(field);
  };
  for (const arg of call.call.args) visit(resolveLocal(arg, call.env, origins), 0);
  return fields;
}

/** A variable holding an object literal, read through its binding (`const request = { ... }; send(request)`). */
function resolveLocal(sym: Sym, env: Env, origins: OriginContext): Sym {
  if (sym.k !== 'ref') return sym;
  const summary = origins.evaluator.getSummary(env.file);
  if (!summary) return sym;
  for (let s = sym.scope; s >= 0 && s < summary.scopes.length; s = summary.scopes[s].parent) {
    const value = summary.scopes[s].bindings[sym.name];
    if (value !== undefined) return value.k === 'obj' || value.k === 'arr' ? value : sym;
  }
  return sym;
}
