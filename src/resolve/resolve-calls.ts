import type { SdkDetector } from '../types/analyzers.js';
import type { Diagnostic, SourceLocation } from '../types/diagnostics.js';
import type { GraphEdge, GraphNode, Resolution, UnreachedCall, UnresolvedTarget } from '../types/graph.js';
import type { FunctionDef, Inventory, ParameterDef } from '../types/inventory.js';
import type { FileSummary } from '../types/summary.js';
import { CallIndex, IndexedCallSite, readFileCalls, type CallSite, type FileCalls } from '../link/callers.js';
import { HttpCallDetector, type HttpCallMatch } from '../link/detect-http-calls.js';
import { SdkCallDetector, type SdkCallMatch } from '../link/detect-sdk-calls.js';
import { Evaluator, fnKey, type Binding, type Env, type Val } from '../link/evaluate.js';
import type { ModuleResolver } from '../link/module-resolver.js';
import { ReachIndex, computeReach } from '../link/reach.js';
import { concatAll, toStringPatterns, type ParamRef, type StringPattern } from '../link/string-pattern.js';
import type { HttpClientDetector } from '../types/analyzers.js';
import { bindEnvironment, type BoundPattern } from './bind-environment.js';
import { TargetIndex } from './match-target.js';
import { RouteIndex } from './resolve-http.js';
import { EdgeAnnotator, addCompensations, type AnnotationSource } from '../link/annotate.js';
import type { CompensationFacts } from '../link/annotate/compensation.js';
import { ReadTracker } from '../link/read-tracker.js';
import { ReusePlan, StateRecorder, type IncrementalInput, type Part, type ResolutionState, type ResolutionStats, type StoredSite, type UnitOutput } from './incremental.js';

export interface ResolvedCalls {
  edges: GraphEdge[];
  externals: GraphNode[];
  unresolved: UnresolvedTarget[];
  unreached: UnreachedCall[];
  /** Wrapper call paths that were not all followed (see MAX_EXPANSIONS). */
  diagnostics: Diagnostic[];
  /** With `incremental`: the state to store for the next run, and how many units this run did again. */
  state?: ResolutionState;
  stats?: ResolutionStats;
}

/** An SDK call or an HTTP call found in the code. */
type CallMatch = SdkCallMatch | HttpCallMatch;

/** A call matched, a wrapper followed, a function bound: the context each file's calls are resolved in. */
interface ResolveContext {
  tracker: ReadTracker;
  detector: CallDetector;
  evaluator: Evaluator;
  callIndex: CallIndex;
  getOwners: (key: string) => readonly string[];
  functionsById: Map<string, FunctionDef>;
  targets: TargetIndex;
  routes: RouteIndex;
  parameters: readonly ParameterDef[];
  annotator: EdgeAnnotator;
  stats: ResolutionStats;
}

/** One way an SDK or HTTP call is reached: the call site that fixes its target (the call itself, or a wrapper's caller). */
export interface Expansion {
  site: CallSite;
  match: CallMatch;
  /** Wrapper calls between the site and the SDK call, then the SDK call itself. */
  via: SourceLocation[];
  /** The target as written at the site: the argument a wrapper's caller passes. */
  targetText: string;
  /** The SDK call itself, and the wrappers between it and the site (innermost first). */
  sdkSite: CallSite;
  chain: ChainLink[];
}

/**
 * Call paths followed through wrappers for one SDK call, in all. A shared helper in a monorepo has thousands of
 * callers, each a call site of its own, so the bound is on the total (paths multiply with each wrapper level); a
 * call that reaches it gets a diagnostic instead of silently losing edges.
 */
const MAX_EXPANSIONS = 10_000;
const MAX_WRAPPER_DEPTH = 4;

/**
 * The resolve stage: find SDK calls in the summaries, follow wrapper parameters to their callers, attribute each
 * call to the functions whose handlers reach it, and bind each target to an inventory entity, an external node,
 * or an explicit unresolved entry with the reason. With `incremental`, the units an earlier run stored are used
 * again where no changed file can affect them (see incremental.ts); the result is the same either way.
 */
export function resolveCalls(
  summaries: ReadonlyMap<string, FileSummary>,
  resolver: ModuleResolver,
  inventory: Inventory,
  detectors: readonly SdkDetector[],
  httpClients: readonly HttpClientDetector[] = [],
  incremental?: IncrementalInput,
): ResolvedCalls {
  const tracker = new ReadTracker(summaries, resolver.probed);
  const evaluator = new Evaluator(tracker, resolver);
  const sdkDetector = new SdkCallDetector(detectors, evaluator);
  const detector = new CallDetector(sdkDetector, new HttpCallDetector(httpClients, evaluator));
  const files = [...summaries.keys()];
  const plan = incremental && ReusePlan.make(files, incremental);
  const recorder = incremental && new StateRecorder(files, incremental);
  const stats: ResolutionStats = { reaches: 0, fileCalls: 0, units: 0, sites: 0, incremental: Boolean(plan) };

  const owners = getOwnersIndex(tracker, inventory, evaluator, plan, recorder, stats);
  const fileCalls = files.map((file, i): [string, FileCalls] => {
    const stored = plan?.previous.perFile[i];
    if (plan && stored && !plan.isChanged(i) && plan.isValid(stored.callsDeps)) {
      recorder?.state.perFile.push({ calls: stored.calls, callsDeps: stored.callsDeps, unitDeps: { files: [] } });
      return [file, stored.calls];
    }
    stats.fileCalls++;
    const { value, deps } = tracker.track(() => readFileCalls(file, tracker.get(file)!, evaluator));
    plan?.noteCallsChange(i, value);
    recorder?.state.perFile.push({ calls: value, callsDeps: recorder.toStored(deps), unitDeps: { files: [] } });
    return [file, value];
  });
  const callIndex = new CallIndex(fileCalls, summaries, tracker);
  const getOwners = (key: string) => {
    tracker.noteKey(`o:${key}`);
    return owners.get(key) ?? [];
  };
  const getCallers = (key: string) => callIndex.getCallers(key);
  const context: ResolveContext = {
    tracker,
    detector,
    evaluator,
    callIndex,
    getOwners,
    functionsById: new Map(inventory.functions.map((fn) => [fn.id, fn])),
    targets: new TargetIndex(inventory),
    routes: new RouteIndex(inventory),
    parameters: inventory.parameters,
    annotator: new EdgeAnnotator({ summaries: tracker, evaluator, getCallers, getPassedAs: (key) => callIndex.getPassedAs(key), getOwners, detector: sdkDetector }),
    stats,
  };

  const out: ResolvedCalls = { edges: [], externals: [], unresolved: [], unreached: [], diagnostics: [] };
  const facts: CompensationFacts[] = [];
  files.forEach((file, i) => {
    const stored = plan?.previous.perFile[i];
    let unit: UnitOutput | undefined;
    if (plan && stored && !plan.isChanged(i) && plan.isValid(stored.unitDeps)) {
      unit = stored.unit;
      // Calls and unit both reused: the stored entry itself, so the cache writes back the line it read (no stringify).
      if (recorder && recorder.state.perFile[i].calls === stored.calls) recorder.state.perFile[i] = stored;
      else if (recorder) Object.assign(recorder.state.perFile[i], { unitDeps: stored.unitDeps }, unit ? { unit } : {}, stored.sites ? { sites: stored.sites } : {});
    } else {
      stats.units++;
      const reuse: SiteReuse = { plan, recorder, previous: stored?.sites, made: {} };
      const made = tracker.track(() => resolveFile(file, context, reuse));
      unit = made.value;
      const sites = Object.keys(reuse.made).length > 0 ? { sites: reuse.made } : {};
      // Kept as JSON now: compensation, added below, is linked again on every run.
      if (recorder) Object.assign(recorder.state.perFile[i], { unitDeps: recorder.toStored(made.deps) }, unit ? { unit: JSON.parse(JSON.stringify(unit)) as UnitOutput } : {}, sites);
    }
    if (!unit) return;
    // Copies: adding compensation replaces an edge's annotations, which must not change what is stored.
    out.edges.push(...unit.edges.map((edge) => ({ ...edge })));
    out.externals.push(...unit.externals);
    out.unresolved.push(...unit.unresolved);
    out.unreached.push(...unit.unreached);
    out.diagnostics.push(...unit.diagnostics);
    facts.push(...unit.facts);
  });
  // Compensation compares the edges of one function with each other: linked from every edge's facts, each run.
  addCompensations(out.edges, facts);
  if (recorder) {
    // What the reused units looked for is still looked for: the earlier run's targets stay (the same list, so that
    // the cache writes back the line it read, when this run looked for nothing new).
    const before = plan?.probed ?? new Set<string>();
    const added = [...resolver.probed].filter((target) => !before.has(target));
    recorder.state.probed = plan && added.length === 0 ? plan.previous.probed : [...before, ...added];
    Object.assign(out, { state: recorder.state, stats });
  }
  return out;
}

/** What this run reuses and records of a file's caller-site units (see `resolveFile`). */
interface SiteReuse {
  plan?: ReusePlan;
  recorder?: StateRecorder;
  /** The earlier run's units of this file, by key. */
  previous?: Record<string, StoredSite>;
  /** This run's, by key. */
  made: Record<string, StoredSite>;
}

/**
 * A file's calls: expanded through wrappers, resolved for each function reaching them, annotated. The expansions
 * under each caller of a wrapper (a shared `invoke` helper has thousands) are a unit of their own: when the
 * file is resolved again (one caller changed), the others' results are used as stored.
 */
function resolveFile(file: string, context: ResolveContext, reuse: SiteReuse): UnitOutput | undefined {
  const { detector, evaluator } = context;
  const summary = context.tracker.get(file)!;
  const out: UnitOutput = { edges: [], externals: [], unresolved: [], unreached: [], diagnostics: [], facts: [] };
  const getCallers = (key: string) => context.callIndex.getCallers(key);
  summary.calls.forEach((call, callIndex) => {
    const seen = new Map<string, number>();
    const expandContext: ExpandContext = {
      detector,
      evaluator,
      getCallers,
      budget: MAX_EXPANSIONS,
      exhausted: false,
      onSite: (link, match, run) => {
        const { param, site } = link;
        // Callers come from the call index: named by file and index, so a reused one's summary is not read.
        const at = site instanceof IndexedCallSite ? `${site.index}` : `${site.call.line}:${site.call.column}`;
        const id = `${callIndex}|${match ? matchKey(match) : ''}|${param.file}#${param.fn}:${param.index}|${link.carries}|${site.file}:${at}`;
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        return resolveSite(`${id}|${n}`, file, link, run, expandContext, context, reuse);
      },
    };
    for (const item of expand({ file, call }, [], expandContext, 0)) {
      if ('part' in item) addPart(out, item.part);
      else addPart(out, resolveExpansion(item, context));
    }
    if (expandContext.exhausted) out.diagnostics.push(toTooManyPaths(file, call.line, call.column));
  });
  const empty = out.edges.length + out.externals.length + out.unresolved.length + out.unreached.length + out.diagnostics.length === 0;
  return empty ? undefined : out;
}

/** The expansions under one caller site of a wrapper, resolved: used as stored when nothing they read changed. */
function resolveSite(key: string, file: string, link: ChainLink, run: () => Expansion[], expandContext: ExpandContext, context: ResolveContext, reuse: SiteReuse): { kept: number; part: Part } {
  const { plan, recorder, previous, made } = reuse;
  const stored = previous && Object.hasOwn(previous, key) ? previous[key] : undefined;
  // Reused only when the budget left allows all it used then: the same paths are followed.
  if (plan && stored && expandContext.budget >= stored.used && plan.isValid(stored.deps)) {
    context.tracker.note(plan.toDeps(stored.deps));
    expandContext.budget -= stored.used;
    made[key] = stored;
    return { kept: stored.kept, part: stored.part };
  }
  context.stats.sites++;
  const budget = expandContext.budget;
  const exhausted = expandContext.exhausted;
  const done = context.tracker.track(() => {
    // The call and the site's arguments are read from their files' summaries.
    context.tracker.get(file);
    context.tracker.get(link.site.file);
    const part = emptyPart();
    const expansions = run();
    for (const expansion of expansions) addPart(part, resolveExpansion(expansion, context));
    return { kept: expansions.length, part };
  });
  if (recorder && expandContext.exhausted === exhausted) {
    made[key] = { part: JSON.parse(JSON.stringify(done.value.part)) as Part, kept: done.value.kept, used: budget - expandContext.budget, deps: recorder.toStored(done.deps) };
  }
  return done.value;
}

/** One expansion: unreached, or bound for each function reaching its site, and annotated. */
function resolveExpansion(expansion: Expansion, context: ResolveContext): Part {
  const part = emptyPart();
  const out: ResolvedCalls = { edges: part.edges, externals: part.externals, unresolved: part.unresolved, unreached: part.unreached, diagnostics: [] };
  const { site, match } = expansion;
  const lambdas = context.getOwners(site.call.fn === -1 ? `${site.file}` : fnKey(site.file, site.call.fn));
  if (lambdas.length === 0) {
    out.unreached.push({ file: site.file, line: site.call.line, kind: match.kind, target: expansion.targetText, ...('sdk' in match ? { sdk: match.sdk } : {}) });
    return part;
  }
  const annotated: AnnotationSource[] = [];
  for (const lambdaId of lambdas) {
    const fn = context.functionsById.get(lambdaId)!;
    const before = out.edges.length;
    if ('sdk' in match) resolveForFunction({ ...expansion, match }, fn, context, context.evaluator, out);
    else resolveHttpForFunction({ ...expansion, match }, fn, context, context.evaluator, out);
    for (const edge of out.edges.slice(before)) annotated.push({ edge, lambda: fn, expansion });
  }
  // What surrounds each call: retries, fan-outs, conditions, payload and use of the result.
  part.facts = context.annotator.annotate(annotated);
  return part;
}

const emptyPart = (): Part => ({ edges: [], externals: [], unresolved: [], unreached: [], facts: [] });

function addPart(to: Part, part: Part): void {
  to.edges.push(...part.edges);
  to.externals.push(...part.externals);
  to.unresolved.push(...part.unresolved);
  to.unreached.push(...part.unreached);
  to.facts.push(...part.facts);
}

/** What tells matches apart for `isSameCall`. */
function matchKey(match: CallMatch): string {
  return 'sdk' in match ? `${match.detector}.${match.sdk.operation}` : `http.${match.client}`;
}

/** Which deployed functions reach each function (`file#id`) or module (`file`) of the project. */
function getOwnersIndex(
  tracker: ReadTracker,
  inventory: Inventory,
  evaluator: Evaluator,
  plan: ReusePlan | undefined,
  recorder: StateRecorder | undefined,
  stats: ResolutionStats,
): Map<string, string[]> {
  const index = new ReachIndex(tracker, evaluator);
  const owners = new Map<string, string[]>();
  const add = (key: string, id: string) => {
    const list = owners.get(key);
    if (!list) owners.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  const functions = [...inventory.functions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  functions.forEach((fn, i) => {
    const handler = fn.handler;
    const stored = plan?.previous.reaches[i];
    let reach: { fns: Iterable<string>; modules: Iterable<string> };
    if (plan && stored && plan.isValid(stored.deps)) {
      reach = stored;
      recorder?.state.reaches.push(stored);
    } else {
      stats.reaches++;
      const made = tracker.track(() => (handler?.file && tracker.has(handler.file) ? computeReach(handler.file, handler.export, index) : { fns: new Set<string>(), modules: new Set<string>() }));
      reach = made.value;
      if (stored) plan?.noteReachChange(stored, reach);
      recorder?.state.reaches.push({ fns: [...made.value.fns], modules: [...made.value.modules], deps: recorder.toStored(made.deps) });
    }
    for (const key of reach.fns) add(key, fn.id);
    for (const module of reach.modules) add(module, fn.id);
  });
  return owners;
}

/** SDK and HTTP calls, detected together so that wrappers of either are followed the same way. */
class CallDetector {
  constructor(
    private readonly sdk: SdkCallDetector,
    private readonly http: HttpCallDetector,
  ) {}

  detect(call: CallSite['call'], env: Env): CallMatch[] {
    return [...this.sdk.detect(call, env), ...this.http.detect(call, env)];
  }

  getCommandParam(call: CallSite['call'], env: Env): ReturnType<SdkCallDetector['getCommandParam']> {
    return this.sdk.getCommandParam(call, env);
  }
}

/** The values a call's target is made of: the SDK target, or the parts of an HTTP URL. */
function getTargetVals(match: CallMatch): Val[] {
  if ('sdk' in match) return match.target ? [match.target] : [];
  return match.url;
}

/** Whether two matches are the same call (the same operation, or the same client: a wrapper's callers may fix the method). */
function isSameCall(a: CallMatch, b: CallMatch): boolean {
  if ('sdk' in a && 'sdk' in b) return a.detector === b.detector && a.sdk.operation === b.sdk.operation;
  if (!('sdk' in a) && !('sdk' in b)) return a.client === b.client;
  return false;
}

interface ExpandContext {
  detector: CallDetector;
  evaluator: Evaluator;
  getCallers: (key: string) => CallSite[];
  /** Caller sites still to follow for this SDK call; `exhausted` once one was skipped. */
  budget: number;
  exhausted: boolean;
  /**
   * Each caller site of the SDK call's own function (depth 0), as a unit of its own: given the link and a function
   * that expands it (the kept expansions), returns how many were kept and their result.
   */
  onSite?: (link: ChainLink, match: CallMatch | undefined, run: () => Expansion[]) => { kept: number; part: Part };
}

function toTooManyPaths(file: string, line: number, column: number): Diagnostic {
  return {
    code: 'too-many-wrapper-paths',
    severity: 'warning',
    message: `this call is reached through wrappers from more than ${MAX_EXPANSIONS} call sites; the ones after that were not followed`,
    file,
    line,
    column,
    hint: 'edges from the call sites that were not followed are missing from the graph',
  };
}

/** A wrapper function whose parameter carries the target (`param: 'target'`) or the whole command (`'command'`). */
export interface ChainLink {
  param: ParamRef;
  site: CallSite;
  carries: 'target' | 'command';
}

/**
 * The SDK calls a call record makes, each placed where its target is decided: when the target (or the request
 * or command holding it) is a parameter of the function around the call, every caller of that function is a call
 * site of its own, with the arguments it passes.
 */
function expand(sdkSite: CallSite, chain: ChainLink[], context: ExpandContext, depth: number): (Expansion | { part: Part })[] {
  const { detector, evaluator, getCallers } = context;
  const env: Env = chain.length ? buildEnv(sdkSite.file, chain) : { file: sdkSite.file, bindings: null };
  const matches = detector.detect(sdkSite.call, env);
  const out: (Expansion | { part: Part })[] = [];
  const followCallers = (param: ParamRef, carries: ChainLink['carries'], match: CallMatch | undefined, keep: (e: Expansion) => boolean): number => {
    let kept = 0;
    for (const site of getCallers(fnKey(param.file, param.fn))) {
      if (context.budget <= 0) {
        context.exhausted = true;
        return kept;
      }
      const link: ChainLink = { param, site, carries };
      const run = () => {
        context.budget--;
        return expand(sdkSite, [...chain, link], context, depth + 1).filter((e): e is Expansion => !('part' in e) && keep(e));
      };
      if (depth === 0 && context.onSite) {
        const done = context.onSite(link, match, run);
        kept += done.kept;
        out.push({ part: done.part });
      } else {
        const found = run();
        kept += found.length;
        out.push(...found);
      }
    }
    return kept;
  };
  if (matches.length === 0) {
    const command = depth < MAX_WRAPPER_DEPTH ? detector.getCommandParam(sdkSite.call, env) : undefined;
    if (command) followCallers({ file: command.env.file, fn: command.s.fn, index: command.s.index }, 'command', undefined, () => true);
    return out;
  }
  for (const match of matches) {
    const vals = depth < MAX_WRAPPER_DEPTH ? getTargetVals(match) : [];
    const param = vals.map((val) => findParam(toStringPatterns(val, evaluator))).find((found) => found !== undefined);
    const kept = param ? followCallers(param, 'target', match, (e) => isSameCall(e.match, match)) : 0;
    if (kept === 0) out.push(toExpansion(sdkSite, match, chain));
  }
  return out;
}

function toExpansion(sdkSite: CallSite, match: CallMatch, chain: ChainLink[]): Expansion {
  const last = chain[chain.length - 1];
  const site = last ? last.site : sdkSite;
  const via = chain.length ? [...chain.slice(0, -1).reverse().map((link) => toLocation(link.site)), toLocation(sdkSite)] : [];
  const targetText = last?.carries === 'target' ? (site.call.argText[last.param.index] ?? match.targetText) : match.targetText;
  return { site, match, via, targetText, sdkSite, chain };
}

function findParam(patterns: StringPattern[]): ParamRef | undefined {
  for (const pattern of patterns) {
    for (const part of pattern.parts) {
      if (part.t === 'wild' && part.param) return part.param;
      // `readParameter(name)`: a wrapper whose callers name the SSM parameter.
      if (part.t === 'ssm') {
        const inner = findParam([part.name]);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** The environment of the SDK call when each wrapper in the chain was called from the given site. */
function buildEnv(file: string, chain: ChainLink[]): Env {
  let outer: Env = { file: chain[chain.length - 1].site.file, bindings: null };
  for (let i = chain.length - 1; i >= 0; i--) {
    const binding: Binding = { fnKey: fnKey(chain[i].param.file, chain[i].param.fn), args: chain[i].site.call.args, argEnv: outer, next: null };
    outer = { file: i > 0 ? chain[i - 1].site.file : file, bindings: binding };
  }
  return outer;
}

function toLocation(site: CallSite): SourceLocation {
  return { file: site.file, line: site.call.line, column: site.call.column };
}

/**
 * An HTTP call of function `fn`: its URL bound to the function's environment, then to the function serving the
 * route of an API of the IaC (an `http` edge), to an external endpoint, or left unresolved with the reason.
 */
function resolveHttpForFunction(
  expansion: Expansion & { match: HttpCallMatch },
  fn: FunctionDef,
  { routes, parameters }: { routes: RouteIndex; parameters: readonly ParameterDef[] },
  evaluator: Evaluator,
  out: ResolvedCalls,
): void {
  const { site, match, via } = expansion;
  const base = { from: fn.id, kind: 'http' as const, file: site.file, line: site.call.line, column: site.call.column, target: expansion.targetText };
  const unresolved = (reason: string) => out.unresolved.push({ from: fn.id, kind: 'http', file: site.file, line: site.call.line, target: base.target, reason });
  if (match.url.length === 0) {
    unresolved('the call has no URL');
    return;
  }
  const patterns = concatAll(match.url.map((val) => toStringPatterns(val, evaluator)));
  const details = (method: string | undefined, path?: string) => ({ client: match.client, ...(method ? { method } : {}), ...(path ? { path } : {}) });
  forEachBound(patterns, fn, parameters, unresolved, (pattern, bound) => {
    const result = routes.match(bound, match.method);
    if (!result.ok) {
      const param = pattern.parts.find((part) => part.t === 'wild' && part.param);
      unresolved(param && param.t === 'wild' ? `the URL is ${param.why}, and no call passing it was found` : result.reason);
      return false;
    }
    const resolution = getResolution(bound, pattern, expansion.targetText);
    if ('external' in result) {
      const id = `external:http:${result.external}`;
      out.externals.push({ id, kind: 'external', name: result.external });
      out.edges.push(withOptional({ ...base, to: id, resolution, details: details(match.method) }, via, false, false));
      return true;
    }
    for (const target of result.targets) {
      out.edges.push(withOptional({ ...base, to: target.to, resolution, details: details(target.method, target.path) }, via, false, target.to === fn.id));
    }
    return true;
  });
}

function resolveForFunction(
  expansion: Expansion & { match: SdkCallMatch },
  fn: FunctionDef,
  { targets, parameters }: { targets: TargetIndex; parameters: readonly ParameterDef[] },
  evaluator: Evaluator,
  out: ResolvedCalls,
): void {
  const { site, match, via } = expansion;
  const base = {
    from: fn.id,
    kind: match.kind,
    file: site.file,
    line: site.call.line,
    column: site.call.column,
    target: expansion.targetText,
    sdk: match.sdk,
  };
  const unresolved = (reason: string) =>
    out.unresolved.push({ from: fn.id, kind: match.kind, file: site.file, line: site.call.line, target: base.target, reason, sdk: match.sdk });

  const patterns: StringPattern[] = match.target
    ? toStringPatterns(match.target, evaluator)
    : match.defaultTarget
      ? [{ parts: [{ t: 'lit', v: match.defaultTarget }] }]
      : [];
  if (patterns.length === 0) {
    unresolved('the request has no target');
    return;
  }
  forEachBound(patterns, fn, parameters, unresolved, (pattern, bound) => {
    const param = pattern.parts.find((part) => part.t === 'wild' && part.param);
    const result = targets.match(bound, match.sdk.service, fn.id);
    if (!result.ok) {
      unresolved(param && param.t === 'wild' ? `the target is ${param.why}, and no call passing it was found` : result.reason);
      return false;
    }
    const resolution = getResolution(bound, pattern, expansion.targetText);
    if ('external' in result) {
      const id = `external:${match.sdk.service}:${result.external}`;
      out.externals.push({ id, kind: 'external', name: result.external, service: match.sdk.service });
      out.edges.push(withOptional({ ...base, to: id, resolution }, via, false, false));
      return true;
    }
    for (const to of result.targets) {
      out.edges.push(withOptional({ ...base, to, resolution: result.dynamic ? 'pattern' : resolution }, via, result.dynamic, to === fn.id && match.sdk.service === 'lambda'));
    }
    return true;
  });
}

/**
 * Each pattern a target may be, bound to function `fn`'s environment and handed to `resolve` (true: it resolved).
 * An unset variable with a default (`process.env.X ?? 'name'`) is not a problem when another alternative resolves;
 * when none does, each unset variable is reported.
 */
function forEachBound(
  patterns: readonly StringPattern[],
  fn: FunctionDef,
  parameters: readonly ParameterDef[],
  unresolved: (reason: string) => void,
  resolve: (pattern: StringPattern, bound: BoundPattern) => boolean,
): void {
  const missing: string[] = [];
  let resolvedAny = false;
  for (const pattern of patterns) {
    const bound = bindEnvironment(pattern, fn, parameters);
    if ('missing' in bound) missing.push(bound.missing);
    else if (resolve(pattern, bound)) resolvedAny = true;
  }
  if (resolvedAny) return;
  for (const name of new Set(missing)) unresolved(`process.env.${name} is not set for function ${fn.id} (${fn.location.file}:${fn.location.line})`);
}

/** How the target was bound: an SSM parameter, the environment, the function's own name, or a literal written at the call or in a constant. */
function getResolution(bound: BoundPattern, pattern: StringPattern, text: string): Resolution {
  if (bound.parameters) return 'parameter';
  if (bound.envNames.length > 0) return 'environment';
  if (pattern.parts.some((part) => part.t === 'self')) return 'self';
  return /^(['"`]).*\1$/.test(text) && !text.includes('${') ? 'literal' : 'constant';
}

function withOptional(edge: GraphEdge, via: SourceLocation[], dynamic: boolean, recursive: boolean): GraphEdge {
  if (via.length) edge.via = via;
  if (dynamic) edge.dynamic = true;
  if (recursive) edge.recursive = true;
  return edge;
}
