import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Generates a TypeScript monorepo of Serverless services for the benchmark: mostly ordinary business code (about
 * 86 lines a file, like the monorepo the performance issue measured) with, in each service, handlers that invoke each
 * other through a shared workspace wrapper, an SQS hop and an SNS topic with two subscribers. Returns the graph edges
 * the analysis must find, so the benchmark can check that nothing is lost for speed.
 */

export interface GeneratedEdge {
  from: string;
  to: string;
  kind: string;
  file: string;
  line: number;
}

export interface GeneratedNode {
  id: string;
  kind: 'function' | 'queue' | 'topic';
}

export interface GeneratedRepo {
  files: number;
  /** Source (code) files among them: what the parse floor and the analysis parse. */
  codeFiles: number;
  lines: number;
  nodes: GeneratedNode[];
  edges: GeneratedEdge[];
  /** A handler file that a one-file change can touch without changing the graph. */
  editableFile: string;
}

/** Small deterministic PRNG (mulberry32). */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES_PER_SERVICE = 100;
const HANDLERS_PER_SERVICE = 8;
const NOUNS = ['order', 'invoice', 'customer', 'shipment', 'payment', 'product', 'account', 'ledger', 'review', 'coupon'];

export interface GenerateOptions {
  seed?: number;
  /** Files per service (at least 12); smaller services give tiny trees for tests. */
  filesPerService?: number;
}

export function generateMonorepo(root: string, totalFiles: number, options: GenerateOptions = {}): GeneratedRepo {
  const random = createRandom(options.seed ?? 42);
  const filesPerService = Math.max(12, options.filesPerService ?? FILES_PER_SERVICE);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let files = 0;
  let codeFiles = 0;
  let lines = 0;
  const nodes: GeneratedNode[] = [];
  const edges: GeneratedEdge[] = [];
  const write = (relative: string, text: string) => {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    files++;
    if (relative.endsWith('.ts')) codeFiles++;
    lines += text.split('\n').length;
  };

  write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*', 'services/*'] }, null, 2));
  write(
    'packages/shared/package.json',
    JSON.stringify({ name: '@bench/shared', version: '1.0.0', main: 'dist/index.js', types: 'dist/index.d.ts' }, null, 2),
  );
  write('packages/shared/src/index.ts', "export * from './invoke';\nexport * from './clients';\n");
  write(
    'packages/shared/src/clients.ts',
    [
      "import { LambdaClient } from '@aws-sdk/client-lambda';",
      "import { SQSClient } from '@aws-sdk/client-sqs';",
      "import { SNSClient } from '@aws-sdk/client-sns';",
      '',
      'export const lambda = new LambdaClient({});',
      'export const sqs = new SQSClient({});',
      'export const sns = new SNSClient({});',
      '',
    ].join('\n'),
  );
  write(
    'packages/shared/src/invoke.ts',
    [
      "import { InvokeCommand } from '@aws-sdk/client-lambda';",
      "import { lambda } from './clients';",
      '',
      'export async function invokeFunction<T>(functionName: string, payload: unknown): Promise<T> {',
      '  const response = await lambda.send(',
      '    new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }),',
      '  );',
      "  return JSON.parse(Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8')) as T;",
      '}',
      '',
      'export async function invokeAsync(functionName: string, payload: unknown): Promise<void> {',
      "  await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));",
      '}',
      '',
    ].join('\n'),
  );

  const services = Math.max(1, Math.round((totalFiles - files) / filesPerService));
  for (let s = 0; s < services; s++) {
    const service = `svc${String(s).padStart(4, '0')}`;
    const dir = `services/${service}`;
    const libCount = filesPerService - HANDLERS_PER_SERVICE - 1;
    const libs = Array.from({ length: libCount }, (_, i) => `${pick(NOUNS)}-${i}`);
    for (let i = 0; i < libCount; i++) write(`${dir}/src/lib/${libs[i]}.ts`, renderLibrary(libs, i, random));

    // Handler h0 is the entry (http); h(i) invokes h(i+1) sync or async; h5 sends to the queue consumed by h6;
    // h6 publishes to the topic that h7 and h4 subscribe to.
    const handlers = Array.from({ length: HANDLERS_PER_SERVICE }, (_, i) => `h${i}`);
    for (let i = 0; i < HANDLERS_PER_SERVICE; i++) {
      const file = `${dir}/src/handlers/${handlers[i]}.ts`;
      const { text, calls } = renderHandler(i, libs, random);
      write(file, text);
      for (const call of calls) {
        const to = call.kind === 'sqs' ? 'WorkQueue' : call.kind === 'sns' ? 'EventsTopic' : handlers[call.target!];
        edges.push({ from: `${service}/${handlers[i]}`, to: `${service}/${to}`, kind: call.kind, file, line: call.line });
      }
    }
    // Ids carry the service: every service.yml names its functions h0..h7 (see the Graph's id rules in the README).
    for (const name of handlers) nodes.push({ id: `${service}/${name}`, kind: 'function' });
    nodes.push({ id: `${service}/WorkQueue`, kind: 'queue' }, { id: `${service}/EventsTopic`, kind: 'topic' });
    const serverless = renderServerless(service, handlers);
    write(`${dir}/serverless.yml`, serverless.text);
    for (const trigger of serverless.triggers) {
      edges.push({ from: `${service}/${trigger.from}`, to: `${service}/${trigger.to}`, kind: 'triggers', file: `${dir}/serverless.yml`, line: trigger.line });
    }
  }
  return { files, codeFiles, lines, nodes, edges, editableFile: 'services/svc0000/src/handlers/h1.ts' };
}

interface HandlerCall {
  kind: 'invoke-sync' | 'invoke-async' | 'sqs' | 'sns';
  target?: number;
  line: number;
}

function renderHandler(index: number, libs: string[], random: () => number): { text: string; calls: HandlerCall[] } {
  const out: string[] = [];
  const calls: HandlerCall[] = [];
  const imported = [libs[Math.floor(random() * libs.length)], libs[Math.floor(random() * libs.length)]];
  out.push("import { invokeFunction, invokeAsync, sqs, sns } from '@bench/shared';");
  out.push("import { SendMessageCommand } from '@aws-sdk/client-sqs';");
  out.push("import { PublishCommand } from '@aws-sdk/client-sns';");
  imported.forEach((lib, i) => out.push(`import { summarize as summarize${i} } from '../lib/${lib}';`));
  out.push('');
  out.push('interface Input {');
  out.push('  id: string;');
  out.push('  items: { sku: string; quantity: number }[];');
  out.push('}');
  out.push('');
  out.push('export const handler = async (event: Input) => {');
  out.push('  const started = Date.now();');
  out.push('  const totals = [summarize0(event.items.length), summarize1(event.id.length)];');
  out.push("  console.log('handling', event.id, totals);");
  const next = index + 1;
  if (index < 4 && next < 8) {
    const sync = random() < 0.6;
    calls.push({ kind: sync ? 'invoke-sync' : 'invoke-async', target: next, line: out.length + 1 });
    out.push(
      sync
        ? `  const result = await invokeFunction<{ ok: boolean }>(process.env.NEXT_FUNCTION!, { id: event.id, items: event.items });`
        : `  await invokeAsync(process.env.NEXT_FUNCTION!, { id: event.id });`,
    );
    if (sync) out.push("  if (!result.ok) throw new Error('downstream failed');");
  }
  if (index === 5) {
    calls.push({ kind: 'sqs', line: out.length + 1 });
    out.push('  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.WORK_QUEUE_URL, MessageBody: JSON.stringify(event) }));');
  }
  if (index === 6) {
    calls.push({ kind: 'sns', line: out.length + 1 });
    out.push("  await sns.send(new PublishCommand({ TopicArn: process.env.EVENTS_TOPIC_ARN, Message: JSON.stringify({ id: event.id, type: 'done' }) }));");
  }
  out.push('  return { id: event.id, elapsed: Date.now() - started, totals };');
  out.push('};');
  out.push('');
  return { text: out.join('\n'), calls };
}

function renderLibrary(libs: string[], index: number, random: () => number): string {
  const noun = libs[index].replace(/-\d+$/, '');
  const Type = noun[0].toUpperCase() + noun.slice(1);
  const dependency = index > 0 ? libs[Math.floor(random() * index)] : undefined;
  const out: string[] = [];
  if (dependency) out.push(`import { summarize as summarizeDependency } from './${dependency}';`);
  out.push('');
  out.push(`export interface ${Type}Record {`);
  out.push('  id: string;');
  out.push('  createdAt: string;');
  out.push('  amountCents: number;');
  out.push("  status: 'pending' | 'active' | 'closed';");
  out.push('  tags: string[];');
  out.push('}');
  out.push('');
  out.push(`export class ${Type}Repository {`);
  out.push(`  private readonly items = new Map<string, ${Type}Record>();`);
  out.push('');
  out.push(`  add(record: ${Type}Record): void {`);
  out.push('    if (this.items.has(record.id)) {');
  out.push(`      throw new Error(\`${noun} \${record.id} already exists\`);`);
  out.push('    }');
  out.push('    this.items.set(record.id, { ...record, tags: [...record.tags] });');
  out.push('  }');
  out.push('');
  out.push(`  find(id: string): ${Type}Record | undefined {`);
  out.push('    return this.items.get(id);');
  out.push('  }');
  out.push('');
  out.push(`  list(filter: Partial<Pick<${Type}Record, 'status'>> = {}): ${Type}Record[] {`);
  out.push('    const result = [];');
  out.push('    for (const item of this.items.values()) {');
  out.push('      if (filter.status && item.status !== filter.status) continue;');
  out.push('      result.push(item);');
  out.push('    }');
  out.push('    return result.sort((a, b) => a.createdAt.localeCompare(b.createdAt));');
  out.push('  }');
  out.push('');
  out.push('  total(): number {');
  out.push('    let sum = 0;');
  out.push('    for (const item of this.items.values()) sum += item.amountCents;');
  out.push('    return sum;');
  out.push('  }');
  out.push('}');
  out.push('');
  out.push(`export function summarize(count: number): string {`);
  out.push(`  const base = ${dependency ? 'summarizeDependency(count - 1)' : "''"};`);
  out.push('  switch (true) {');
  out.push('    case count <= 0:');
  out.push(`      return base + 'no ${noun}s';`);
  out.push('    case count === 1:');
  out.push(`      return base + 'one ${noun}';`);
  out.push('    default:');
  out.push(`      return base + \`\${count} ${noun}s\`;`);
  out.push('  }');
  out.push('}');
  out.push('');
  out.push(`export function parse${Type}(raw: unknown): ${Type}Record {`);
  out.push("  if (typeof raw !== 'object' || raw === null) {");
  out.push(`    throw new TypeError('${noun}: expected an object');`);
  out.push('  }');
  out.push('  const value = raw as Record<string, unknown>;');
  out.push("  const tags = Array.isArray(value.tags) ? value.tags.filter((t): t is string => typeof t === 'string') : [];");
  out.push('  return {');
  out.push('    id: String(value.id ?? crypto.randomUUID()),');
  out.push('    createdAt: String(value.createdAt ?? new Date().toISOString()),');
  out.push('    amountCents: Math.round(Number(value.amountCents ?? 0)),');
  out.push("    status: value.status === 'active' || value.status === 'closed' ? value.status : 'pending',");
  out.push('    tags,');
  out.push('  };');
  out.push('}');
  out.push('');
  out.push(`export async function with${Type}Retry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {`);
  out.push('  let lastError: unknown;');
  out.push('  for (let attempt = 1; attempt <= attempts; attempt++) {');
  out.push('    try {');
  out.push('      return await work();');
  out.push('    } catch (error) {');
  out.push('      lastError = error;');
  out.push('      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));');
  out.push('    }');
  out.push('  }');
  out.push('  throw lastError;');
  out.push('}');
  out.push('');
  out.push(`export const ${noun}Defaults = {`);
  out.push('  pageSize: 25,');
  out.push('  maxPageSize: 100,');
  out.push("  currency: 'EUR',");
  out.push("  region: process.env.AWS_REGION ?? 'eu-west-1',");
  out.push('} as const;');
  out.push('');
  return out.join('\n');
}

function renderServerless(service: string, handlers: string[]): { text: string; triggers: { from: string; to: string; line: number }[] } {
  const out: string[] = [];
  const triggers: { from: string; to: string; line: number }[] = [];
  out.push(`service: ${service}`);
  out.push('provider:');
  out.push('  name: aws');
  out.push('  runtime: nodejs22.x');
  out.push("  stage: ${opt:stage, 'dev'}");
  out.push('functions:');
  handlers.forEach((name, i) => {
    out.push(`  ${name}:`);
    out.push(`    handler: src/handlers/${name}.handler`);
    out.push('    environment:');
    if (i < 4) out.push(`      NEXT_FUNCTION: \${self:service}-\${sls:stage}-${handlers[i + 1]}`);
    if (i === 5) out.push('      WORK_QUEUE_URL: !Ref WorkQueue');
    if (i === 6) out.push('      EVENTS_TOPIC_ARN: !Ref EventsTopic');
    out.push('      LOG_LEVEL: info');
    if (i === 0) out.push('    events:', '      - httpApi: POST /start');
    if (i === 6) {
      out.push('    events:');
      triggers.push({ from: 'WorkQueue', to: name, line: out.length + 1 });
      out.push('      - sqs:', '          arn: !GetAtt WorkQueue.Arn');
    }
    if (i === 7 || i === 4) {
      out.push('    events:');
      triggers.push({ from: 'EventsTopic', to: name, line: out.length + 1 });
      out.push('      - sns:', '          arn: !Ref EventsTopic', '          topicName: events');
    }
  });
  out.push('resources:');
  out.push('  Resources:');
  out.push('    WorkQueue:');
  out.push('      Type: AWS::SQS::Queue');
  out.push('    EventsTopic:');
  out.push('      Type: AWS::SNS::Topic');
  out.push('');
  return { text: out.join('\n'), triggers };
}
