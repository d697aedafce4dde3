import type { ResultData } from '../../analyzers/code/result-use.js';
import type { CodeLocation, EdgeAnnotations } from '../types/annotations.js';
import type { GraphEdge } from '../types/graph.js';
import type { FunctionDef } from '../types/inventory.js';
import type { FileSummary } from '../types/summary.js';
import type { Expansion } from '../resolve/resolve-calls.js';
import type { CallSite } from './callers.js';
import type { SdkCallDetector } from './detect-sdk-calls.js';
import { fnKey, type Evaluator } from './evaluate.js';
import { readCatchClause } from './annotate/catch-clause.js';
import { ChainBuilder, type EdgeChain } from './annotate/chain.js';
import { readCompensations, type CompensationInput } from './annotate/compensation.js';
import { readConditions } from './annotate/conditions.js';
import { findFanOuts, toFanOutAnnotations } from './annotate/fan-outs.js';
import { readPayload } from './annotate/payload.js';
import { readResult } from './annotate/result.js';
import { readRetries } from './annotate/retries.js';
import type { OriginContext, ResultPosition } from './annotate/trace-origin.js';
import { ValueReader } from './annotate/values.js';

/** A code edge, the deployed function it belongs to, and how its SDK call was reached (site, wrappers). */
export interface AnnotationSource {
  edge: GraphEdge;
  lambda: FunctionDef;
  expansion: Expansion;
}

export interface AnnotateOptions {
  summaries: ReadonlyMap<string, FileSummary>;
  evaluator: Evaluator;
  getCallers: (key: string) => CallSite[];
  /** To read the SDK request again with the values known along the call path (a helper's arguments). */
  detector: SdkCallDetector;
  /** Which deployed functions reach each function (`file#id`) or module. */
  owners: ReadonlyMap<string, readonly string[]>;
}

/**
 * Annotates code edges with what surrounds their calls (`EdgeAnnotations`): the pattern analyzers' contexts
 * (`analyzers/code/`) around every call from the handler down to the SDK call, read with the values known along
 * that path (constants across files, a helper's arguments). Works on summaries only.
 */
export function annotateEdges(sources: readonly AnnotationSource[], options: AnnotateOptions): void {
  const { summaries, evaluator } = options;
  const builder = new ChainBuilder(summaries, evaluator, options.getCallers, options.owners);
  const values = new ValueReader(evaluator);
  const results = indexResults(summaries);
  // Edges of one expansion and one function share what surrounds them (a dynamic target gives several edges).
  const done = new Map<string, { annotations: EdgeAnnotations; input: Omit<CompensationInput, 'edge'> }>();
  const byFunction = new Map<string, CompensationInput[]>();
  const expansionIds = new Map<Expansion, number>();
  for (const { edge, lambda, expansion } of sources) {
    let id = expansionIds.get(expansion);
    if (id === undefined) expansionIds.set(expansion, (id = expansionIds.size));
    const key = `${id}\0${lambda.id}`;
    let prepared = done.get(key);
    if (!prepared) {
      prepared = annotate(lambda, expansion, builder, values, results, options);
      done.set(key, prepared);
    }
    edge.annotations = { ...prepared.annotations };
    const list = byFunction.get(lambda.id) ?? [];
    list.push({ edge, ...prepared.input });
    byFunction.set(lambda.id, list);
  }
  for (const inputs of byFunction.values()) {
    for (const [edge, compensation] of readCompensations(inputs)) edge.annotations = { ...edge.annotations, compensation };
  }
}

function annotate(
  lambda: FunctionDef,
  expansion: Expansion,
  builder: ChainBuilder,
  values: ValueReader,
  results: ReadonlyMap<string, ResultPosition>,
  options: AnnotateOptions,
): { annotations: EdgeAnnotations; input: Omit<CompensationInput, 'edge'> } {
  const { summaries, evaluator } = options;
  const chain = buildChain(lambda, expansion, builder);
  const entries = builder.getEntries(lambda);
  const fanOuts = findFanOuts(chain);
  const origins: OriginContext = {
    evaluator,
    entries,
    elements: fanOuts.flatMap((f) => (f.marker ? [f.marker] : [])),
    results,
  };
  const annotations: EdgeAnnotations = {};
  const callPath = getCallPath(chain);
  if (callPath.length) annotations.callPath = callPath;
  const caughtBy = readCatchClause(chain, entries, summaries);
  if (caughtBy) annotations.caughtBy = caughtBy;
  const retries = readRetries(chain, { summaries, evaluator, values });
  if (retries.length) annotations.retries = retries;
  const fanOutAnnotations = toFanOutAnnotations(fanOuts, chain, values, origins);
  if (fanOutAnnotations.length) annotations.fanOuts = fanOutAnnotations;
  const conditions = readConditions(chain, values, origins);
  if (conditions.length) annotations.conditions = conditions.map((c) => c.annotation);
  const sdkCall = chain.calls[chain.calls.length - 1];
  const { match } = expansion;
  // HTTP calls carry their body in fetch/axios options, which the payload reader does not read (yet).
  if ('sdk' in match) {
    const request = options.detector.detect(sdkCall.call, sdkCall.env).find((m) => m.detector === match.detector && m.sdk.operation === match.sdk.operation);
    const payload = readPayload(chain, request ?? match, origins);
    if (payload) annotations.payload = payload;
  }
  const result = readResult(chain, entries, summaries);
  annotations.result = result.annotation;
  return { annotations, input: { chain, resultPositions: result.positions, conditions, origins } };
}

function buildChain(lambda: FunctionDef, expansion: Expansion, builder: ChainBuilder): EdgeChain {
  const links = expansion.chain;
  // Wrappers from the outermost (called at the site) in: each binds its parameters to the arguments it was given.
  const wrappers = [...links].reverse().map((link) => ({ key: fnKey(link.param.file, link.param.fn), args: link.site.call.args }));
  const via = [...links].reverse().slice(1).map((link) => link.site);
  return builder.build(lambda, expansion.site, via, { site: expansion.sdkSite, wrappers });
}

/** The calls from the handler to the function the edge's call is in, outermost first (callbacks written in place left out). */
function getCallPath(chain: EdgeChain): CodeLocation[] {
  return chain.calls
    .slice(0, chain.siteIndex)
    .filter((call) => call.role === 'path' && !call.callback?.nested)
    .map((call) => ({ file: call.file, line: call.call.line }));
}

/** Variables holding an awaited call's result, by `file#scope#name`: the position of that call. */
function indexResults(summaries: ReadonlyMap<string, FileSummary>): Map<string, ResultPosition> {
  const index = new Map<string, ResultPosition>();
  for (const [file, summary] of summaries) {
    for (const record of summary.contexts) {
      if (record.kind !== 'result') continue;
      const data = record.data as unknown as ResultData;
      for (const [name, scope] of data.bound ?? []) index.set(`${file}#${scope}#${name}`, { file, line: data.callLine, column: data.callColumn });
    }
  }
  return index;
}
