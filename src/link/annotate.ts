import type { ResultData } from '../../analyzers/code/result-use.js';
import type { CodeLocation, EdgeAnnotations } from '../types/annotations.js';
import type { GraphEdge } from '../types/graph.js';
import type { FunctionDef } from '../types/inventory.js';
import type { Expansion } from '../resolve/resolve-calls.js';
import type { CallSite, PassedAs } from './callers.js';
import type { SdkCallDetector } from './detect-sdk-calls.js';
import { fnKey, type Evaluator } from './evaluate.js';
import { readCatchClause } from './annotate/catch-clause.js';
import { ChainBuilder, type EdgeChain } from './annotate/chain.js';
import { linkCompensations, toCompensationFacts, type CompensationFacts, type CompensationInput } from './annotate/compensation.js';
import { readConditions } from './annotate/conditions.js';
import { findFanOuts, toFanOutAnnotations } from './annotate/fan-outs.js';
import { readPayload } from './annotate/payload.js';
import { readResult } from './annotate/result.js';
import { readRetries } from './annotate/retries.js';
import type { OriginContext, ResultPosition } from './annotate/trace-origin.js';
import { ValueReader } from './annotate/values.js';
import type { ReadTracker } from './read-tracker.js';

/** A code edge, the deployed function it belongs to, and how its SDK call was reached (site, wrappers). */
export interface AnnotationSource {
  edge: GraphEdge;
  lambda: FunctionDef;
  expansion: Expansion;
}

export interface AnnotateOptions {
  summaries: ReadTracker;
  evaluator: Evaluator;
  getCallers: (key: string) => CallSite[];
  /** The calls each function (`file#id`) is handed to as an argument. */
  getPassedAs: (key: string) => PassedAs[];
  /** To read the SDK request again with the values known along the call path (a helper's arguments). */
  detector: SdkCallDetector;
  /** Which deployed functions reach a function (`file#id`) or module. */
  getOwners: (key: string) => readonly string[];
}

/**
 * Annotates code edges with what surrounds their calls (`EdgeAnnotations`): the pattern analyzers' contexts
 * (`analyzers/code/`) around every call from the handler down to the SDK call, read with the values known along
 * that path (constants across files, a helper's arguments). Works on summaries only. Edges are annotated in
 * batches (one per file of the project); compensation, which compares the edges of one function with each other,
 * is linked at the end from each edge's `CompensationFacts`.
 */
export class EdgeAnnotator {
  private readonly builder: ChainBuilder;
  private readonly values: ValueReader;
  private readonly results: ResultIndex;

  constructor(private readonly options: AnnotateOptions) {
    this.builder = new ChainBuilder(options.summaries, options.evaluator, options.getCallers, options.getPassedAs, options.getOwners);
    this.values = new ValueReader(options.evaluator);
    this.results = new ResultIndex(options.summaries);
  }

  /** Sets each edge's annotations (all but compensation); returns each edge's compensation facts, in order. */
  annotate(sources: readonly AnnotationSource[]): CompensationFacts[] {
    // Edges of one expansion and one function share what surrounds them (a dynamic target gives several edges).
    const done = new Map<string, { annotations: EdgeAnnotations; input: Omit<CompensationInput, 'edge'> }>();
    const expansionIds = new Map<Expansion, number>();
    return sources.map(({ edge, lambda, expansion }) => {
      let id = expansionIds.get(expansion);
      if (id === undefined) expansionIds.set(expansion, (id = expansionIds.size));
      const key = `${id}\0${lambda.id}`;
      let prepared = done.get(key);
      if (!prepared) {
        prepared = annotate(lambda, expansion, this.builder, this.values, this.results, this.options);
        done.set(key, prepared);
      }
      edge.annotations = { ...prepared.annotations };
      return toCompensationFacts({ edge, ...prepared.input });
    });
  }
}

/** Adds the compensation annotations: the edges of each deployed function compared with each other. */
export function addCompensations(edges: readonly GraphEdge[], facts: readonly CompensationFacts[]): void {
  const byFunction = new Map<string, number[]>();
  edges.forEach((edge, i) => {
    const list = byFunction.get(edge.from);
    if (list) list.push(i);
    else byFunction.set(edge.from, [i]);
  });
  for (const indexes of byFunction.values()) {
    for (const [at, compensation] of linkCompensations(indexes.map((i) => facts[i]))) {
      const edge = edges[indexes[at]];
      edge.annotations = { ...edge.annotations, compensation };
    }
  }
}

function annotate(
  lambda: FunctionDef,
  expansion: Expansion,
  builder: ChainBuilder,
  values: ValueReader,
  results: ResultIndex,
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

/**
 * Variables holding an awaited call's result, by `file#scope#name`: the position of that call. Worked out per file
 * when first asked (the key's file is read through the tracker, so the unit asking depends on it).
 */
class ResultIndex {
  private readonly byFile = new Map<string, Map<string, ResultPosition>>();

  constructor(private readonly summaries: ReadTracker) {}

  get(key: string): ResultPosition | undefined {
    const hash = key.lastIndexOf('#');
    const file = key.slice(0, key.lastIndexOf('#', hash - 1));
    const summary = this.summaries.get(file);
    let index = this.byFile.get(file);
    if (!index) {
      index = new Map();
      for (const record of summary?.contexts ?? []) {
        if (record.kind !== 'result') continue;
        const data = record.data as unknown as ResultData;
        for (const [name, scope] of data.bound ?? []) index.set(`${file}#${scope}#${name}`, { file, line: data.callLine, column: data.callColumn });
      }
      this.byFile.set(file, index);
    }
    return index.get(key);
  }
}
