import fc from 'fast-check';

/**
 * Random Lambda applications together with their true graph, for the round-trip property test (and the
 * benchmark): `appSpecArbitrary()` draws an AppSpec, `renderApp(spec)` writes it out as source and IaC files and
 * says which nodes and edges an exact analysis must find, down to the file and line of every call.
 *
 * What varies: the IaC format (Serverless, SAM, Terraform, CDK), each handler's module style (CommonJS, ESM, TypeScript),
 * the SDK (v2 or v3), the calls (sync and async invokes, SQS sends, SNS publishes), how each target is named (a
 * literal, or an environment variable set in the IaC), whether the call goes through a wrapper in another module,
 * the pattern around the call (a retry loop with random attempts, delay and backoff; a fan-out over the event's
 * items; a condition on the event), and the queues' and topics' consumers.
 */

export type IacFormat = 'serverless' | 'sam' | 'terraform' | 'cdk';
export type ModuleStyle = 'cjs' | 'esm' | 'ts';
/** v2 (`.promise()`), v3 commands (`client.send(new XCommand())`), v3 aggregated clients (`new Lambda({}).invoke()`). */
export type SdkVersion = 'v2' | 'v3' | 'v3-aggregated';
/**
 * How a handler names a target: `process.env.X`; `const { X } = process.env` first; a config module exporting
 * `process.env.X`; a string literal; a module-level constant; a constant imported from another module.
 */
export type Naming = 'environment' | 'env-destructured' | 'env-config-module' | 'literal' | 'literal-constant' | 'literal-imported';
/** `await call;` on one line, a floating `call.then(...)`, or the call broken over lines as Prettier does. */
export type CallForm = 'await' | 'then' | 'multiline';
export type CallKind = 'invoke-sync' | 'invoke-async' | 'sqs' | 'sns';
export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '===' | '!==';

/**
 * What surrounds the call in the handler: nothing; a retry loop (`for (let attempt = 1; attempt <= N; ...)` with a
 * sleep of `delayMs`, doubled per attempt when `backoff` is 2); a fan-out over `event.items` (`Promise.all` or
 * `Promise.allSettled` of a map); an `if` on `event.amount`.
 */
export type Pattern =
  | { kind: 'plain' }
  | { kind: 'retry'; attempts: number; delayMs: number; backoff: 1 | 2 }
  | { kind: 'fan-out'; combinator: 'all' | 'allSettled' }
  | { kind: 'condition'; operator: ComparisonOperator; value: number };

export interface CallSpec {
  kind: CallKind;
  /** Index into the functions (invokes), queues (sqs) or topics (sns); taken modulo their count. */
  target: number;
  /** How the handler names the target. */
  naming: Naming;
  /** Through a helper in another module that takes the target as a parameter. */
  wrapper: boolean;
  /** Inside a local function of the handler's module (no target parameter: not a wrapper) that the handler calls. */
  inLocalHelper: boolean;
  form: CallForm;
  /** A pattern puts the call in the handler's body (not in a local helper). */
  pattern: Pattern;
}

export interface FunctionSpec {
  style: ModuleStyle;
  /** The SDK clients come from a shared module instead of being made in the handler's module. */
  sharedClients: boolean;
  calls: CallSpec[];
}

export interface AppSpec {
  format: IacFormat;
  sdk: SdkVersion;
  functions: FunctionSpec[];
  /**
   * Calls only go to later functions (invokes, and queues and topics whose consumers all come later), so the
   * chains have no cycles and propose turns them into workflows; otherwise calls go anywhere, the caller itself
   * and loops through queues included.
   */
  acyclic: boolean;
  /** Per queue: the consumer function index, or null for none. */
  queues: (number | null)[];
  /** Per topic: the subscribed function indexes. */
  topics: number[][];
}

/** The annotations an exact analysis must give a code edge (see src/types/annotations.ts); `[]`: none. */
export interface ExpectedAnnotations {
  retries: Record<string, unknown>[];
  fanOuts: Record<string, unknown>[];
  conditions: Record<string, unknown>[];
}

export interface ExpectedGraph {
  nodes: { id: string; kind: 'function' | 'queue' | 'topic' }[];
  /** Code edges, with the file and line of the call (of the wrapper call, for calls through a wrapper). */
  edges: { from: string; to: string; kind: CallKind; file: string; line: number; annotations: ExpectedAnnotations }[];
  /** Queue and topic → function. */
  triggers: { from: string; to: string; kind: 'triggers' }[];
}

export interface GeneratedApp {
  spec: AppSpec;
  /** Path (relative, POSIX) → contents. */
  files: Record<string, string>;
  expected: ExpectedGraph;
}

export interface AppSpecLimits {
  maxFunctions?: number;
  maxCallsPerFunction?: number;
  maxQueues?: number;
  maxTopics?: number;
  formats?: IacFormat[];
}

function patternArbitrary(): fc.Arbitrary<Pattern> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Pattern>({ kind: 'plain' }) },
    fc.record({ kind: fc.constant('retry' as const), attempts: fc.integer({ min: 2, max: 8 }), delayMs: fc.integer({ min: 1, max: 60 }).map((n) => n * 50), backoff: fc.constantFrom<1 | 2>(1, 2) }),
    fc.record({ kind: fc.constant('fan-out' as const), combinator: fc.constantFrom<'all' | 'allSettled'>('all', 'allSettled') }),
    fc.record({ kind: fc.constant('condition' as const), operator: fc.constantFrom<ComparisonOperator>('>', '>=', '<', '<=', '===', '!=='), value: fc.nat({ max: 10_000 }) }),
  );
}

export function appSpecArbitrary(limits: AppSpecLimits = {}): fc.Arbitrary<AppSpec> {
  const maxFunctions = limits.maxFunctions ?? 4;
  const call = fc.record({
    kind: fc.constantFrom<CallKind>('invoke-sync', 'invoke-async', 'sqs', 'sns'),
    target: fc.nat({ max: 7 }),
    naming: fc.constantFrom<Naming>('environment', 'env-destructured', 'env-config-module', 'literal', 'literal-constant', 'literal-imported'),
    wrapper: fc.boolean(),
    inLocalHelper: fc.boolean(),
    form: fc.constantFrom<CallForm>('await', 'then', 'multiline'),
    pattern: patternArbitrary(),
  });
  const fn = fc.record({
    style: fc.constantFrom<ModuleStyle>('cjs', 'esm', 'ts'),
    sharedClients: fc.boolean(),
    calls: fc.array(call, { maxLength: limits.maxCallsPerFunction ?? 3 }),
  });
  return fc.record({
    format: fc.constantFrom<IacFormat>(...(limits.formats ?? ['serverless', 'sam', 'terraform', 'cdk'])),
    sdk: fc.constantFrom<SdkVersion>('v2', 'v3', 'v3-aggregated'),
    functions: fc.array(fn, { minLength: 1, maxLength: maxFunctions }),
    acyclic: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
    queues: fc.array(fc.option(fc.nat({ max: maxFunctions - 1 }), { nil: null }), { maxLength: limits.maxQueues ?? 2 }),
    topics: fc.array(fc.uniqueArray(fc.nat({ max: maxFunctions - 1 }), { maxLength: 2 }), { maxLength: limits.maxTopics ?? 2 }),
  });
}

const SERVICE = 'gen';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

const fnId = (i: number) => `fn${i}`;
const queueId = (i: number) => `q${i}`;
const topicId = (i: number) => `t${i}`;
const envName = (call: ResolvedCall) => `TARGET_${call.targetId.toUpperCase()}`;

/** A call with its target made concrete (indexes wrapped into range; calls to missing queues/topics dropped). */
interface ResolvedCall extends CallSpec {
  targetId: string;
}

/** The deployed name of a function, queue or topic, as the IaC of each format sets it. */
function deployedName(format: IacFormat, id: string): string {
  return format === 'serverless' && id.startsWith('fn') ? `${SERVICE}-dev-${id}` : `${SERVICE}-${id}`;
}

function literalTarget(format: IacFormat, call: ResolvedCall): string {
  const name = deployedName(format, call.targetId);
  if (call.kind === 'sqs') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  if (call.kind === 'sns') return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
  return name;
}

function resolveCalls(spec: AppSpec, index: number): ResolvedCall[] {
  const resolved: ResolvedCall[] = [];
  const later = spec.functions.length - 1 - index;
  for (const call of spec.functions[index].calls) {
    if (call.kind === 'sqs' && spec.queues.length === 0) continue;
    if (call.kind === 'sns' && spec.topics.length === 0) continue;
    if (call.kind === 'sqs') {
      const queue = call.target % spec.queues.length;
      const consumer = spec.queues[queue];
      if (spec.acyclic && consumer !== null && consumer <= index) continue;
      resolved.push({ ...call, targetId: queueId(queue) });
    } else if (call.kind === 'sns') {
      const topic = call.target % spec.topics.length;
      if (spec.acyclic && spec.topics[topic].some((subscriber) => subscriber <= index)) continue;
      resolved.push({ ...call, targetId: topicId(topic) });
    } else if (!spec.acyclic) {
      resolved.push({ ...call, targetId: fnId(call.target % spec.functions.length) });
    } else if (later > 0) {
      resolved.push({ ...call, targetId: fnId(index + 1 + (call.target % later)) });
    }
  }
  return resolved;
}

function handlerFile(index: number, style: ModuleStyle): string {
  return `src/${fnId(index)}.${style === 'cjs' ? 'js' : style === 'esm' ? 'mjs' : 'ts'}`;
}

const WRAPPER_NAMES: Record<CallKind, string> = {
  'invoke-sync': 'invokeNow',
  'invoke-async': 'invokeLater',
  sqs: 'enqueue',
  sns: 'announce',
};

/**
 * The SDK call for a target expression, as lines: one line, or broken over several as Prettier would (the call
 * still starts on the first line, which is where its edge is).
 */
function sdkCall(sdk: SdkVersion, kind: CallKind, target: string, multiline = false): string[] {
  const payload = kind === 'sqs' ? 'MessageBody' : kind === 'sns' ? 'Message' : 'Payload';
  const targetKey = kind === 'sqs' ? 'QueueUrl' : kind === 'sns' ? 'TopicArn' : 'FunctionName';
  const event = kind === 'invoke-async' ? ", InvocationType: 'Event'" : '';
  const params = `{ ${targetKey}: ${target}${event}, ${payload}: JSON.stringify(payload) }`;
  const client = kind === 'sqs' ? 'sqs' : kind === 'sns' ? 'sns' : 'lambda';
  if (sdk === 'v3') {
    const command = kind === 'sqs' ? 'SendMessageCommand' : kind === 'sns' ? 'PublishCommand' : 'InvokeCommand';
    return multiline ? [`${client}.send(`, `  new ${command}(${params}),`, ')'] : [`${client}.send(new ${command}(${params}))`];
  }
  const method = kind === 'sqs' ? 'sendMessage' : kind === 'sns' ? 'publish' : 'invoke';
  if (sdk === 'v3-aggregated') return multiline ? [`${client}.${method}(`, `  ${params},`, ')'] : [`${client}.${method}(${params})`];
  return multiline ? [client, `  .${method}(${params})`, '  .promise()'] : [`${client}.${method}(${params}).promise()`];
}

/** Import lines and client construction for the SDK, in a module style. */
function sdkPrelude(sdk: SdkVersion, style: ModuleStyle, exported = false): string[] {
  const esm = style !== 'cjs';
  const declare = exported && esm ? 'export const' : 'const';
  const clients: [string, string, string][] =
    sdk === 'v2'
      ? [['lambda', 'AWS.Lambda', ''], ['sqs', 'AWS.SQS', ''], ['sns', 'AWS.SNS', '']]
      : sdk === 'v3'
        ? [['lambda', 'LambdaClient', '{}'], ['sqs', 'SQSClient', '{}'], ['sns', 'SNSClient', '{}']]
        : [['lambda', 'Lambda', '{}'], ['sqs', 'SQS', '{}'], ['sns', 'SNS', '{}']];
  const imports: string[] = [];
  if (sdk === 'v2') imports.push(esm ? "import AWS from 'aws-sdk';" : "const AWS = require('aws-sdk');");
  else {
    const commands = sdk === 'v3' ? [['InvokeCommand'], ['SendMessageCommand'], ['PublishCommand']] : [[], [], []];
    const modules = ['@aws-sdk/client-lambda', '@aws-sdk/client-sqs', '@aws-sdk/client-sns'];
    modules.forEach((module, i) => {
      const names = [clients[i][1], ...commands[i]].join(', ');
      imports.push(esm ? `import { ${names} } from '${module}';` : `const { ${names} } = require('${module}');`);
    });
  }
  const lines = [...imports, ...clients.map(([name, cls, args]) => `${declare} ${name} = new ${cls}(${args});`)];
  if (exported && !esm) lines.push('module.exports = { lambda, sqs, sns };');
  return lines;
}

/** Only the v3 command classes, for a module whose clients come from the shared clients module. */
function commandImports(sdk: SdkVersion, style: ModuleStyle): string[] {
  if (sdk !== 'v3') return [];
  const esm = style !== 'cjs';
  return [
    ['@aws-sdk/client-lambda', 'InvokeCommand'],
    ['@aws-sdk/client-sqs', 'SendMessageCommand'],
    ['@aws-sdk/client-sns', 'PublishCommand'],
  ].map(([module, name]) => (esm ? `import { ${name} } from '${module}';` : `const { ${name} } = require('${module}');`));
}

/** The import of `names` from a module of the app, in a module style (`from` without extension). */
function importLine(style: ModuleStyle, names: readonly string[], from: string): string {
  const specifier = `${from}${style === 'esm' ? '.mjs' : ''}`;
  return style === 'cjs' ? `const { ${names.join(', ')} } = require('${specifier}');` : `import { ${names.join(', ')} } from '${specifier}';`;
}

/** A module's file name in a style: `src/lib/clients` → `src/lib/clients-esm.mjs`. */
function styledFile(stem: string, style: ModuleStyle): string {
  return `${stem}-${style}.${style === 'cjs' ? 'js' : style === 'esm' ? 'mjs' : 'ts'}`;
}

/** The helpers the handlers of one style call (a helper nobody calls would rightly be reported as unreached). */
function renderWrapperModule(sdk: SdkVersion, style: ModuleStyle, kinds: ReadonlySet<CallKind>): string {
  const typed = style === 'ts' ? ': string' : '';
  const payloadType = style === 'ts' ? ': unknown' : '';
  const lines = [...sdkPrelude(sdk, style), ''];
  for (const kind of (Object.keys(WRAPPER_NAMES) as CallKind[]).filter((k) => kinds.has(k))) {
    const head = `async function ${WRAPPER_NAMES[kind]}(target${typed}, payload${payloadType})`;
    lines.push(`${style === 'cjs' ? '' : 'export '}${head} {`, `  return ${sdkCall(sdk, kind, 'target').join('')};`, '}', '');
  }
  if (style === 'cjs') lines.push(`module.exports = { ${[...kinds].map((kind) => WRAPPER_NAMES[kind]).sort().join(', ')} };`, '');
  return lines.join('\n');
}

/** `export const X = value;` lines (or `exports.X = value;`) for a config or names module. */
function renderConstantsModule(style: ModuleStyle, values: ReadonlyMap<string, string>): string {
  const lines = [...values].map(([name, value]) => (style === 'cjs' ? `exports.${name} = ${value};` : `export const ${name} = ${value};`));
  return `${lines.join('\n')}\n`;
}

/** What the modules shared by the handlers of one style must hold. */
interface SharedModules {
  wrappers: Map<ModuleStyle, Set<CallKind>>;
  clients: Set<ModuleStyle>;
  /** style → variable → `process.env.X` */
  config: Map<ModuleStyle, Map<string, string>>;
  /** style → constant → quoted literal */
  names: Map<ModuleStyle, Map<string, string>>;
}

function addTo<K, V>(map: Map<K, Map<string, V>>, key: K, name: string, value: V): void {
  if (!map.has(key)) map.set(key, new Map());
  map.get(key)?.set(name, value);
}

function annotationsOf(partial: Partial<ExpectedAnnotations> = {}): ExpectedAnnotations {
  return { retries: [], fanOuts: [], conditions: [], ...partial };
}

function renderHandler(spec: AppSpec, index: number, calls: ResolvedCall[], edges: ExpectedGraph['edges'], shared: SharedModules): string {
  const fn = spec.functions[index];
  const file = handlerFile(index, fn.style);
  const esm = fn.style !== 'cjs';
  const lines: string[] = [];
  if (fn.sharedClients) {
    shared.clients.add(fn.style);
    lines.push(...commandImports(spec.sdk, fn.style), importLine(fn.style, ['lambda', 'sqs', 'sns'], `./lib/clients-${fn.style}`));
  } else lines.push(...sdkPrelude(spec.sdk, fn.style));
  const wrappers = [...new Set(calls.filter((call) => call.wrapper).map((call) => WRAPPER_NAMES[call.kind]))].sort();
  if (wrappers.length > 0) lines.push(importLine(fn.style, wrappers, `./lib/aws-helpers-${fn.style}`));
  const configNames = new Set<string>();
  const importedNames = new Set<string>();
  const constants = new Map<string, string>();
  const destructured = new Set<string>();
  /** The expression the call uses for its target; records what the modules must declare. */
  const targetExpression = (call: ResolvedCall): string => {
    const literal = `'${literalTarget(spec.format, call)}'`;
    const suffix = `${call.targetId.toUpperCase()}_${call.kind === 'invoke-async' ? 'INVOKE_SYNC' : call.kind.replace('-', '_').toUpperCase()}`;
    switch (call.naming) {
      case 'environment':
        return `process.env.${envName(call)}`;
      case 'env-destructured':
        destructured.add(envName(call));
        return envName(call);
      case 'env-config-module':
        configNames.add(envName(call));
        addTo(shared.config, fn.style, envName(call), `process.env.${envName(call)}`);
        return `config.${envName(call)}`;
      case 'literal':
        return literal;
      case 'literal-constant':
        constants.set(`LOCAL_${suffix}`, literal);
        return `LOCAL_${suffix}`;
      case 'literal-imported':
        importedNames.add(`SHARED_${suffix}`);
        addTo(shared.names, fn.style, `SHARED_${suffix}`, literal);
        return `SHARED_${suffix}`;
    }
  };
  const targets = calls.map(targetExpression);
  if (configNames.size > 0) {
    lines.push(fn.style === 'cjs' ? `const config = require('./lib/config-cjs');` : `import * as config from './lib/config-${fn.style}${fn.style === 'esm' ? '.mjs' : ''}';`);
  }
  if (importedNames.size > 0) lines.push(importLine(fn.style, [...importedNames].sort(), `./lib/names-${fn.style}`));
  lines.push('');
  for (const [name, value] of [...constants].sort()) lines.push(`const ${name} = ${value};`);
  const payloadType = fn.style === 'ts' ? ': { id: string }' : '';
  /** The call as an expression, over one line or several. */
  const callExpression = (call: ResolvedCall, target: string): string[] =>
    call.wrapper
      ? call.form === 'multiline'
        ? [`${WRAPPER_NAMES[call.kind]}(`, `  ${target},`, '  payload,', ')']
        : [`${WRAPPER_NAMES[call.kind]}(${target}, payload)`]
      : sdkCall(spec.sdk, call.kind, target, call.form === 'multiline');
  /** Writes one call statement at the current indentation; returns the line it starts on. */
  const writeCall = (call: ResolvedCall, target: string, indent: string): number => {
    const start = lines.length + 1;
    const statement = callExpression(call, target);
    if (call.form === 'then') statement[statement.length - 1] += '.then((result) => console.log(result))';
    else statement[0] = `await ${statement[0]}`;
    statement[statement.length - 1] += ';';
    lines.push(...statement.map((line) => `${indent}${line}`));
    return start;
  };
  /** Writes the call in the handler's body inside its pattern; returns the line of the call and its annotations. */
  const writePattern = (call: ResolvedCall, target: string): { line: number; annotations: ExpectedAnnotations } => {
    const { pattern } = call;
    switch (pattern.kind) {
      case 'plain':
        return { line: writeCall(call, target, '  '), annotations: annotationsOf() };
      case 'retry': {
        const loop = lines.length + 1;
        const text = `for (let attempt = 1; attempt <= ${pattern.attempts}; attempt++)`;
        lines.push(`  ${text} {`, '    try {');
        // A retry waits for the call: a floating `.then()` is awaited here.
        const line = writeCall({ ...call, form: call.form === 'then' ? 'await' : call.form }, target, '      ');
        const delay = pattern.backoff === 2 ? `${pattern.delayMs} * 2 ** (attempt - 1)` : String(pattern.delayMs);
        lines.push('      break;', '    } catch (error) {', `      if (attempt === ${pattern.attempts}) throw error;`, `      await sleep(${delay});`, '    }', '  }');
        const delaysMs = Array.from({ length: pattern.attempts - 1 }, (_, i) => pattern.delayMs * pattern.backoff ** i);
        const retry = { kind: 'loop', file, line: loop, text, attempts: pattern.attempts, unbounded: false, firstDelayMs: pattern.delayMs, backoffRate: pattern.backoff, delaysMs, exhausted: 'throw' };
        return { line, annotations: annotationsOf({ retries: [retry] }) };
      }
      case 'fan-out': {
        const fanOut = lines.length + 1;
        lines.push(`  await Promise.${pattern.combinator}(`, '    event.items.map((payload) =>');
        const line = lines.length + 1;
        lines.push(...callExpression(call, target).map((text) => `      ${text}`), '    ),', '  );');
        const annotation = { kind: 'map', combinator: pattern.combinator, file, line: fanOut, collection: 'event.items', collectionPath: '$.items', element: 'payload', toleratesFailures: pattern.combinator === 'allSettled' };
        return { line, annotations: annotationsOf({ fanOuts: [annotation] }) };
      }
      case 'condition': {
        const test = lines.length + 1;
        const text = `event.amount ${pattern.operator} ${pattern.value}`;
        lines.push(`  if (${text}) {`);
        const line = writeCall(call, target, '    ');
        lines.push('  }');
        const operator = pattern.operator === '===' ? '==' : pattern.operator === '!==' ? '!=' : pattern.operator;
        const condition = { form: 'if', branch: 'then', source: 'event', file, line: test, text, comparisons: [{ operator, path: '$.amount', value: pattern.value }] };
        return { line, annotations: annotationsOf({ conditions: [condition] }) };
      }
    }
  };
  /** A call goes into a local helper only when it asked to, needs no handler variable, and has no pattern. */
  const inHelper = (call: ResolvedCall) => call.inLocalHelper && call.naming !== 'env-destructured' && call.pattern.kind === 'plain';
  if (calls.some((call) => call.pattern.kind === 'retry')) {
    lines.push(fn.style === 'ts' ? 'const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));' : 'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));', '');
  }
  // Calls inside local helpers: one helper per call, above the handler.
  calls.forEach((call, k) => {
    if (!inHelper(call)) return;
    lines.push(`async function step${k}(payload${payloadType}) {`);
    const line = writeCall(call, targets[k], '  ');
    lines.push('}', '');
    edges.push({ from: fnId(index), to: call.targetId, kind: call.kind, file, line, annotations: annotationsOf() });
  });
  const eventType = fn.style === 'ts' ? ': { id?: string; amount: number; items: { id: string }[] }' : '';
  lines.push(esm ? `export const handler = async (event${eventType}) => {` : 'exports.handler = async (event) => {');
  lines.push("  const payload = { id: event.id ?? 'x' };");
  if (destructured.size > 0) lines.push(`  const { ${[...destructured].sort().join(', ')} } = process.env;`);
  calls.forEach((call, k) => {
    if (inHelper(call)) {
      lines.push(`  await step${k}(payload);`);
      return;
    }
    const { line, annotations } = writePattern(call, targets[k]);
    edges.push({ from: fnId(index), to: call.targetId, kind: call.kind, file, line, annotations });
  });
  lines.push('  return { ok: true };', '};', '');
  return lines.join('\n');
}

/** The environment variables a function needs: one per target named through the environment. */
function getEnvironment(calls: readonly ResolvedCall[]): ResolvedCall[] {
  const byName = new Map<string, ResolvedCall>();
  for (const call of calls) if (call.naming.startsWith('env')) byName.set(envName(call), call);
  return [...byName.values()].sort((a, b) => envName(a).localeCompare(envName(b)));
}

function renderServerless(spec: AppSpec, calls: ResolvedCall[][]): string {
  const lines = [`service: ${SERVICE}`, '', 'provider:', '  name: aws', '  runtime: nodejs20.x', `  region: ${REGION}`, "  stage: ${opt:stage, 'dev'}", '', 'functions:'];
  spec.functions.forEach((fn, i) => {
    lines.push(`  ${fnId(i)}:`, `    handler: ${handlerFile(i, fn.style).replace(/\.[a-z]+$/, '')}.handler`);
    const environment = getEnvironment(calls[i]);
    if (environment.length > 0) {
      lines.push('    environment:');
      for (const call of environment) {
        const value =
          call.kind === 'sqs' || call.kind === 'sns' ? `!Ref ${call.targetId}` : `\${self:service}-\${sls:stage}-${call.targetId}`;
        lines.push(`      ${envName(call)}: ${value}`);
      }
    }
    const events: string[] = [];
    spec.queues.forEach((consumer, q) => {
      if (consumer === i) events.push('      - sqs:', `          arn: !GetAtt ${queueId(q)}.Arn`);
    });
    spec.topics.forEach((subscribers, t) => {
      if (subscribers.includes(i)) events.push('      - sns:', `          arn: !Ref ${topicId(t)}`, `          topicName: ${deployedName('serverless', topicId(t))}`);
    });
    if (events.length > 0) lines.push('    events:', ...events);
  });
  if (spec.queues.length + spec.topics.length > 0) {
    lines.push('', 'resources:', '  Resources:');
    spec.queues.forEach((_, q) => lines.push(`    ${queueId(q)}:`, '      Type: AWS::SQS::Queue', '      Properties:', `        QueueName: ${deployedName('serverless', queueId(q))}`));
    spec.topics.forEach((_, t) => lines.push(`    ${topicId(t)}:`, '      Type: AWS::SNS::Topic', '      Properties:', `        TopicName: ${deployedName('serverless', topicId(t))}`));
  }
  return `${lines.join('\n')}\n`;
}

function renderSam(spec: AppSpec, calls: ResolvedCall[][]): string {
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Transform: AWS::Serverless-2016-10-31', '', 'Globals:', '  Function:', '    Runtime: nodejs20.x', '    CodeUri: src/', '', 'Resources:'];
  spec.functions.forEach((fn, i) => {
    lines.push(
      `  ${fnId(i)}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      `      FunctionName: ${deployedName('sam', fnId(i))}`,
      `      Handler: ${handlerFile(i, fn.style).replace(/^src\//, '').replace(/\.[a-z]+$/, '')}.handler`,
    );
    const environment = getEnvironment(calls[i]);
    if (environment.length > 0) {
      lines.push('      Environment:', '        Variables:');
      for (const call of environment) lines.push(`          ${envName(call)}: !Ref ${call.targetId}`);
    }
    const events: string[] = [];
    spec.queues.forEach((consumer, q) => {
      if (consumer === i) events.push(`        From${queueId(q)}:`, '          Type: SQS', '          Properties:', `            Queue: !GetAtt ${queueId(q)}.Arn`);
    });
    spec.topics.forEach((subscribers, t) => {
      if (subscribers.includes(i)) events.push(`        From${topicId(t)}:`, '          Type: SNS', '          Properties:', `            Topic: !Ref ${topicId(t)}`);
    });
    if (events.length > 0) lines.push('      Events:', ...events);
  });
  spec.queues.forEach((_, q) => lines.push(`  ${queueId(q)}:`, '    Type: AWS::SQS::Queue', '    Properties:', `      QueueName: ${deployedName('sam', queueId(q))}`));
  spec.topics.forEach((_, t) => lines.push(`  ${topicId(t)}:`, '    Type: AWS::SNS::Topic', '    Properties:', `      TopicName: ${deployedName('sam', topicId(t))}`));
  return `${lines.join('\n')}\n`;
}

function renderTerraform(spec: AppSpec, calls: ResolvedCall[][]): string {
  const blocks: string[] = [];
  spec.functions.forEach((fn, i) => {
    const lines = [
      `resource "aws_lambda_function" "${fnId(i)}" {`,
      `  function_name = "${deployedName('terraform', fnId(i))}"`,
      '  role          = "arn:aws:iam::123456789012:role/gen"',
      `  handler       = "${handlerFile(i, fn.style).replace(/\.[a-z]+$/, '')}.handler"`,
      '  runtime       = "nodejs20.x"',
      '  filename      = "build/app.zip"',
    ];
    const environment = getEnvironment(calls[i]);
    if (environment.length > 0) {
      lines.push('', '  environment {', '    variables = {');
      for (const call of environment) {
        const attribute = call.kind === 'sqs' ? 'url' : call.kind === 'sns' ? 'arn' : 'function_name';
        const type = call.kind === 'sqs' ? 'aws_sqs_queue' : call.kind === 'sns' ? 'aws_sns_topic' : 'aws_lambda_function';
        lines.push(`      ${envName(call)} = ${type}.${call.targetId}.${attribute}`);
      }
      lines.push('    }', '  }');
    }
    lines.push('}');
    blocks.push(lines.join('\n'));
  });
  spec.queues.forEach((consumer, q) => {
    blocks.push(`resource "aws_sqs_queue" "${queueId(q)}" {\n  name = "${deployedName('terraform', queueId(q))}"\n}`);
    if (consumer !== null) {
      blocks.push(
        `resource "aws_lambda_event_source_mapping" "${queueId(q)}_to_${fnId(consumer)}" {\n  event_source_arn = aws_sqs_queue.${queueId(q)}.arn\n  function_name    = aws_lambda_function.${fnId(consumer)}.arn\n}`,
      );
    }
  });
  spec.topics.forEach((subscribers, t) => {
    blocks.push(`resource "aws_sns_topic" "${topicId(t)}" {\n  name = "${deployedName('terraform', topicId(t))}"\n}`);
    for (const subscriber of subscribers) {
      blocks.push(
        `resource "aws_sns_topic_subscription" "${topicId(t)}_to_${fnId(subscriber)}" {\n  topic_arn = aws_sns_topic.${topicId(t)}.arn\n  protocol  = "lambda"\n  endpoint  = aws_lambda_function.${fnId(subscriber)}.arn\n}`,
      );
    }
  });
  return `${blocks.join('\n\n')}\n`;
}

/** Consumers and subscribers wrapped into the function range (a drawn spec may name more functions than it has). */
function normalizeSpec(spec: AppSpec): AppSpec {
  const n = spec.functions.length;
  return {
    ...spec,
    queues: spec.queues.map((consumer) => (consumer === null ? null : consumer % n)),
    topics: spec.topics.map((subscribers) => [...new Set(subscribers.map((s) => s % n))]),
  };
}

/** A CDK app (read statically by the CDK analyzer, never synthesized): constructs first, then wiring. */
function renderCdk(spec: AppSpec, calls: ResolvedCall[][]): string {
  const lines = [
    "import { App, Stack } from 'aws-cdk-lib';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    "import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';",
    "import * as sns from 'aws-cdk-lib/aws-sns';",
    "import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';",
    "import * as sqs from 'aws-cdk-lib/aws-sqs';",
    '',
    'const app = new App();',
    "const stack = new Stack(app, 'Gen');",
  ];
  spec.queues.forEach((_, q) => lines.push(`const ${queueId(q)} = new sqs.Queue(stack, '${queueId(q)}', { queueName: '${deployedName('cdk', queueId(q))}' });`));
  spec.topics.forEach((_, t) => lines.push(`const ${topicId(t)} = new sns.Topic(stack, '${topicId(t)}', { topicName: '${deployedName('cdk', topicId(t))}' });`));
  spec.functions.forEach((fn, i) => {
    lines.push(
      `const ${fnId(i)} = new lambda.Function(stack, '${fnId(i)}', {`,
      `  functionName: '${deployedName('cdk', fnId(i))}',`,
      '  runtime: lambda.Runtime.NODEJS_20_X,',
      "  code: lambda.Code.fromAsset('src'),",
      `  handler: '${handlerFile(i, fn.style).replace(/^src\//, '').replace(/\.[a-z]+$/, '')}.handler',`,
      '});',
    );
  });
  spec.functions.forEach((_, i) => {
    for (const call of getEnvironment(calls[i])) {
      const attribute = call.kind === 'sqs' ? 'queueUrl' : call.kind === 'sns' ? 'topicArn' : 'functionName';
      lines.push(`${fnId(i)}.addEnvironment('${envName(call)}', ${call.targetId}.${attribute});`);
    }
  });
  spec.queues.forEach((consumer, q) => {
    if (consumer !== null) lines.push(`${fnId(consumer)}.addEventSource(new sources.SqsEventSource(${queueId(q)}));`);
  });
  spec.topics.forEach((subscribers, t) => {
    for (const subscriber of subscribers) lines.push(`${topicId(t)}.addSubscription(new subs.LambdaSubscription(${fnId(subscriber)}));`);
  });
  return `${lines.join('\n')}\n`;
}

export function renderApp(drawn: AppSpec): GeneratedApp {
  const spec = normalizeSpec(drawn);
  const files: Record<string, string> = {};
  const expected: ExpectedGraph = { nodes: [], edges: [], triggers: [] };
  const calls = spec.functions.map((_, i) => resolveCalls(spec, i));
  const shared: SharedModules = { wrappers: new Map(), clients: new Set(), config: new Map(), names: new Map() };
  spec.functions.forEach((fn, i) => {
    files[handlerFile(i, fn.style)] = renderHandler(spec, i, calls[i], expected.edges, shared);
    for (const call of calls[i]) if (call.wrapper) shared.wrappers.set(fn.style, (shared.wrappers.get(fn.style) ?? new Set()).add(call.kind));
    expected.nodes.push({ id: fnId(i), kind: 'function' });
  });
  for (const [style, kinds] of shared.wrappers) files[styledFile('src/lib/aws-helpers', style)] = renderWrapperModule(spec.sdk, style, kinds);
  for (const style of shared.clients) files[styledFile('src/lib/clients', style)] = `${sdkPrelude(spec.sdk, style, true).join('\n')}\n`;
  for (const [style, values] of shared.config) files[styledFile('src/lib/config', style)] = renderConstantsModule(style, values);
  for (const [style, values] of shared.names) files[styledFile('src/lib/names', style)] = renderConstantsModule(style, values);
  spec.queues.forEach((consumer, q) => {
    expected.nodes.push({ id: queueId(q), kind: 'queue' });
    if (consumer !== null) expected.triggers.push({ from: queueId(q), to: fnId(consumer), kind: 'triggers' });
  });
  spec.topics.forEach((subscribers, t) => {
    expected.nodes.push({ id: topicId(t), kind: 'topic' });
    for (const subscriber of subscribers) expected.triggers.push({ from: topicId(t), to: fnId(subscriber), kind: 'triggers' });
  });
  if (spec.format === 'serverless') files['serverless.yml'] = renderServerless(spec, calls);
  else if (spec.format === 'sam') files['template.yaml'] = renderSam(spec, calls);
  else if (spec.format === 'terraform') files['main.tf'] = renderTerraform(spec, calls);
  else {
    files['cdk.json'] = `${JSON.stringify({ app: 'npx ts-node --prefer-ts-exts infra/app.ts' }, null, 2)}\n`;
    files['infra/app.ts'] = renderCdk(spec, calls);
  }
  // Each style is its own package type, as a real project's would be.
  files['package.json'] = `${JSON.stringify({ name: SERVICE, private: true }, null, 2)}\n`;
  return { spec, files, expected };
}
