import type { SummaryLookup } from '../read-tracker.js';
import type { FanOutData } from '../../../analyzers/code/fan-out.js';
import type { ResultData } from '../../../analyzers/code/result-use.js';
import type { CodeLocation, ResultAnnotation } from '../../types/annotations.js';
import type { ContextRecord } from '../../types/summary.js';
import { fnKey } from '../evaluate.js';
import type { EdgeChain } from './chain.js';
import type { ResultPosition } from './trace-origin.js';

export interface ResultFlow {
  annotation: ResultAnnotation;
  /** Every position the result passes through: the call, a `Promise.all` it is mapped in, the helper calls returning it. */
  positions: ResultPosition[];
}

const MAX_STEPS = 12;

/**
 * Follows an edge's result from its call to where it lands: returned by a callback into the `Promise.all` that maps
 * it, returned by a helper to the helper's caller (`returnedThrough`), and finally assigned (with the reads of
 * the variable afterwards), returned by the handler, dropped, or passed on.
 */
export function readResult(chain: EdgeChain, entries: ReadonlySet<string>, summaries: SummaryLookup): ResultFlow {
  let index = chain.siteIndex;
  let call = chain.calls[index];
  let position: ResultPosition = { file: call.file, line: call.call.line, column: call.call.column };
  let isCall = true;
  let contexts = getContexts(call.file, call.call.contexts, summaries);
  const positions: ResultPosition[] = [position];
  const returnedThrough: CodeLocation[] = [];
  // The source text of the current position, for an annotation that ends there.
  let text = call.call.text;
  // In a parallel list (`const [a, b] = await Promise.all([x(), y()])`) the call's result is one element of the list's;
  // with `Promise.race` / `Promise.any` it is the list's result itself (whichever call settles first).
  let element: string | undefined;
  let inList = false;
  const done = (annotation: Omit<ResultAnnotation, 'returnedThrough'>): ResultFlow => ({
    annotation: returnedThrough.length ? { ...annotation, returnedThrough } : annotation,
    positions,
  });
  for (let step = 0; step < MAX_STEPS; step++) {
    const record = contexts.find((r) => {
      if (r.kind !== 'result') return false;
      const data = r.data as unknown as ResultData;
      if (data.callLine === position.line && data.callColumn === position.column) return true;
      return (data.otherCalls ?? []).some(([line, column]) => line === position.line && column === position.column);
    });
    const data = record?.data as unknown as ResultData | undefined;
    const list = !record && isCall && !inList ? findList(contexts, position) : undefined;
    if (list) {
      inList = true;
      if (!list.single) element = `[${list.branch}]`;
      position = list.position;
      text = list.text;
      positions.push(position);
      isCall = false;
      continue;
    }
    if (!record || !data) {
      const used = isCall ? Boolean(call.call.resultUsed) : true;
      return done({ fields: [], file: position.file, line: position.line, readLines: [], text, use: used ? 'other' : 'discarded', used });
    }
    if (data.text !== undefined) text = data.text;
    if (data.use === 'assigned' || data.use === 'then') {
      const { readLines, fields } = summarizeReads(element === undefined ? data.reads : selectElement(data.reads, element));
      return done({
        fields,
        file: position.file,
        line: record.line,
        readLines,
        text,
        use: data.use === 'assigned' ? 'assigned' : 'other',
        used: readLines.length > 0,
        ...(data.variable !== undefined ? { variable: data.variable } : {}),
      });
    }
    if (data.use === 'discarded') {
      return done({ fields: [], file: position.file, line: position.line, readLines: [], text, use: 'discarded', used: false });
    }
    // Returned from function `fn`: by the handler, into the Promise.all mapping it, or to the caller of a helper.
    const fn = fnKey(position.file, data.fn);
    if (entries.has(fn)) return done({ fields: [], file: position.file, line: record.line, readLines: [], text, use: 'returned', used: true });
    const fanOut = contexts.find((r) => r.kind === 'fan-out' && (r.data as unknown as FanOutData).elementFn === data.fn);
    if (fanOut) {
      position = { file: position.file, line: fanOut.line, column: (fanOut.data as unknown as FanOutData).column };
      text = (fanOut.data as unknown as FanOutData).text;
      positions.push(position);
      isCall = false;
      continue;
    }
    const caller = chain.calls.findIndex((c, i) => i < index && c.role === 'path' && c.into === fn);
    if (caller < 0) return done({ fields: [], file: position.file, line: record.line, readLines: [], text, use: 'other', used: true });
    // What a `.finally` callback returns is dropped: the chain settles with the value before it.
    const callee = chain.calls[caller].call.callee;
    if (chain.calls[caller].callback && callee.k === 'get' && callee.prop === 'finally') {
      return done({ fields: [], file: position.file, line: record.line, readLines: [], text, use: 'discarded', used: false });
    }
    index = caller;
    call = chain.calls[caller];
    position = { file: call.file, line: call.call.line, column: call.call.column };
    text = call.call.text;
    positions.push(position);
    returnedThrough.push({ file: call.file, line: call.call.line });
    contexts = getContexts(call.file, call.call.contexts, summaries);
    isCall = true;
  }
  return done({ fields: [], file: position.file, line: position.line, readLines: [], text, use: 'other', used: true });
}

/**
 * The parallel list the call is an element of (the call starts where one of its elements starts), which one, and
 * whether the list settles to a single result (`race`, `any`) rather than one per element.
 */
function findList(contexts: readonly ContextRecord[], position: ResultPosition): { branch: number; single: boolean; text: string; position: ResultPosition } | undefined {
  const fanOut = contexts.find((r) => r.kind === 'fan-out');
  const data = fanOut?.data as unknown as FanOutData | undefined;
  if (!fanOut || data?.kind !== 'parallel') return undefined;
  const branch = (data.branchStarts ?? []).findIndex(([line, column]) => line === position.line && column === position.column);
  const single = data.combinator === 'race' || data.combinator === 'any';
  return branch < 0 ? undefined : { branch, single, text: data.text, position: { file: position.file, line: fanOut.line, column: data.column } };
}

/** The reads of one element of a list result: `[1]` and `[1].total` of `const [a, b] = ...` become `` and `total`. */
function selectElement(reads: readonly [number, string][], element: string): [number, string][] {
  const out: [number, string][] = [];
  for (const [line, path] of reads) {
    if (path === element) out.push([line, '']);
    else if (path.startsWith(`${element}.`)) out.push([line, path.slice(element.length + 1)]);
  }
  return out;
}

function getContexts(file: string, indexes: readonly number[] | undefined, summaries: SummaryLookup): ContextRecord[] {
  const summary = summaries.get(file);
  if (!summary || !indexes) return [];
  // Innermost first: the closest record wins.
  return indexes.map((i) => summary.contexts[i]).filter(Boolean).reverse();
}

/** Lines read (sorted, once each) and fields read (first appearance order; `Payload` left out when `Payload.status` is there). */
function summarizeReads(reads: readonly [number, string][]): { readLines: number[]; fields: string[] } {
  const lines = [...new Set(reads.map(([line]) => line))].sort((a, b) => a - b);
  const paths = [...new Set(reads.map(([, path]) => path).filter((path) => path !== ''))];
  const fields = paths.filter((path) => !paths.some((other) => other !== path && (other.startsWith(`${path}.`) || other.startsWith(`${path}[`))));
  return { readLines: lines, fields };
}
