import path from 'node:path';
import { Node, Project, ts, type Type } from 'ts-morph';
import type { Analysis } from '../pipeline.js';
import type { GraphEdge, GraphNode } from '../types/graph.js';
import type { WorkflowPlan } from '../types/plan.js';
import { toEventBridgeEvent, toSnsEvent, toSqsEvent } from './aws/event-shapes.js';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from './resources.js';
import { SIMULATED_NOW } from './runtime/registry.js';

export interface SampleInput {
  name: string;
  source: string;
  input: unknown;
}

/**
 * An event for the workflow's entry function when none is given: the envelope of its trigger (an HTTP API or REST
 * request, an SQS batch, an SNS notification, an EventBridge or scheduled event, an S3 notification) around a body
 * with the fields the handler reads. Those come from the type the handler gives to the JSON it parses
 * (`JSON.parse(raw) as PlaceOrderBody`), else from the fields its calls take from the event (the payload
 * annotations). Values are made up from the field names (`email`, `currency`, `quantity`...).
 */
export function buildSampleInput(workflow: WorkflowPlan, analysis: Analysis): SampleInput {
  const entry = analysis.graph.nodes.find((node) => node.id === workflow.chain.entry);
  const body = (entry ? readBodyFromTypes(analysis.root, entry) : undefined) ?? readBodyFromAnnotations(analysis.graph.edges.filter((edge) => edge.from === workflow.chain.entry)) ?? {};
  const trigger = entry ? getTrigger(entry, analysis.graph.edges) : undefined;
  return { name: `sample event${trigger ? ` (${trigger.label})` : ''}`, source: 'generated', input: trigger ? trigger.wrap(body) : body };
}

interface Trigger {
  label: string;
  wrap: (body: unknown) => unknown;
}

function getTrigger(entry: GraphNode, edges: readonly GraphEdge[]): Trigger | undefined {
  const http = entry.events?.find((event) => event.kind === 'http');
  if (http) {
    const method = String(http.details.method ?? 'POST').replace('*', 'POST').toUpperCase();
    const route = String(http.details.path ?? '/').replace(/\{(\w+)\+?\}/g, 'sample-$1');
    const v2 = http.details.api === 'http';
    return { label: `${v2 ? 'HTTP API' : 'REST API'} ${method} ${route}`, wrap: (body) => (v2 ? toHttpApiEvent(method, route, body) : toRestApiEvent(method, route, body)) };
  }
  const s3 = entry.events?.find((event) => event.kind === 's3');
  if (s3) return { label: 'S3 notification', wrap: () => toS3Event(String(s3.details.bucket ?? 'sample-bucket')) };
  const trigger = edges.find((edge) => edge.kind === 'triggers' && edge.to === entry.id);
  if (!trigger) return undefined;
  const source = trigger.from;
  if (trigger.details?.schedule !== undefined || source.includes('Schedule')) {
    return { label: 'schedule', wrap: () => toEventBridgeEvent({ id: 'sample-event', source: 'aws.events', detailType: 'Scheduled Event', detail: {}, resources: [`arn:aws:events:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:rule/${source}`] }) };
  }
  if (trigger.details?.batchSize !== undefined || /queue/i.test(source)) {
    return { label: `SQS message from ${source}`, wrap: (body) => toSqsEvent({ messageId: 'sample-message', body: JSON.stringify(body), attributes: {}, receiveCount: 1 }, `arn:aws:sqs:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:${source}`) };
  }
  if (/topic/i.test(source)) {
    return { label: `SNS notification from ${source}`, wrap: (body) => toSnsEvent({ messageId: 'sample-notification', topicArn: `arn:aws:sns:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:${source}`, message: JSON.stringify(body), attributes: {} }, `arn:aws:sns:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:${source}:sample`) };
  }
  return { label: `event from ${source}`, wrap: (body) => toEventBridgeEvent({ id: 'sample-event', source: 'sample.source', detailType: 'Sample', detail: body, resources: [] }) };
}

function toHttpApiEvent(method: string, route: string, body: unknown): unknown {
  const text = JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: route,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
    requestContext: {
      accountId: SIMULATED_ACCOUNT,
      apiId: 'simulated',
      domainName: 'simulated.execute-api.us-east-1.amazonaws.com',
      http: { method, path: route, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'lambda2sfn-simulate' },
      requestId: 'sample-request',
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: new Date(SIMULATED_NOW).toUTCString(),
      timeEpoch: SIMULATED_NOW,
    },
    body: text,
    isBase64Encoded: false,
  };
}

function toRestApiEvent(method: string, route: string, body: unknown): unknown {
  return {
    resource: route,
    path: route,
    httpMethod: method,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: { 'Content-Type': ['application/json'] },
    queryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { accountId: SIMULATED_ACCOUNT, httpMethod: method, path: route, requestId: 'sample-request', stage: 'dev', requestTimeEpoch: SIMULATED_NOW },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

function toS3Event(bucket: string): unknown {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: SIMULATED_REGION,
        eventTime: new Date(SIMULATED_NOW).toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: { s3SchemaVersion: '1.0', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: 'sample/object.json', size: 128, eTag: 'sample' } },
      },
    ],
  };
}

/** The body's fields from the type of the first `JSON.parse(...)` the entry's handler file types (`as T`, `: T =`). */
function readBodyFromTypes(root: string, entry: GraphNode): unknown {
  if (!entry.handler) return undefined;
  const file = path.join(root, entry.handler.slice(0, entry.handler.lastIndexOf(':')));
  try {
    const project = new Project({ compilerOptions: { allowJs: true, strict: true, skipLibCheck: true, noEmit: true, target: ts.ScriptTarget.ES2022 }, skipAddingFilesFromTsConfig: true });
    const source = project.addSourceFileAtPath(file);
    project.resolveSourceFileDependencies();
    for (const call of source.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
      if (call.getExpression().getText() !== 'JSON.parse') continue;
      const parent = call.getParent();
      const typed = Node.isAsExpression(parent) ? parent.getTypeNode() : Node.isVariableDeclaration(parent) ? parent.getTypeNode() : undefined;
      if (!typed) continue;
      return sampleFromType(typed.getType(), '', 0);
    }
  } catch {
    // Not readable as TypeScript/JavaScript: fall back on the annotations.
  }
  return undefined;
}

function sampleFromType(type: Type, name: string, depth: number): unknown {
  if (depth > 6) return null;
  if (type.isUnion()) {
    const members = type.getUnionTypes().filter((member) => !member.isUndefined() && !member.isNull());
    const literal = members.find((member) => member.isStringLiteral() || member.isNumberLiteral());
    if (literal) return literal.getLiteralValue();
    if (members.length > 0) return sampleFromType(members[0]!, name, depth);
  }
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.getLiteralValue();
  if (type.isBooleanLiteral()) return type.getText() === 'true';
  if (type.isString()) return sampleString(name);
  if (type.isNumber()) return sampleNumber(name);
  if (type.isBoolean()) return true;
  if (type.isArray()) {
    const element = type.getArrayElementTypeOrThrow();
    const singular = name.replace(/ies$/, 'y').replace(/s$/, '');
    return [sampleFromType(element, singular, depth + 1), sampleFromType(element, `${singular}2`, depth + 1)];
  }
  if (type.isObject()) {
    const value: Record<string, unknown> = {};
    for (const property of type.getProperties()) {
      const declaration = property.getValueDeclaration() ?? property.getDeclarations()[0];
      if (!declaration) continue;
      value[property.getName()] = sampleFromType(property.getTypeAtLocation(declaration), property.getName(), depth + 1);
    }
    return value;
  }
  return null;
}

/** The fields a handler's calls take from its event (`order.customerId` → `customerId`), and the items a fan-out maps. */
function readBodyFromAnnotations(edges: readonly GraphEdge[]): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  for (const edge of edges) {
    for (const field of edge.annotations?.payload?.fields ?? []) {
      if (field.source !== 'event') continue;
      const key = /^[\w$]+\.([\w$]+)/.exec(field.from)?.[1] ?? field.key;
      if (!(key in body)) body[key] = sampleString(key);
    }
    for (const fanOut of edge.annotations?.fanOuts ?? []) {
      const collection = /^[\w$]+\.([\w$]+)$/.exec(fanOut.collection ?? '')?.[1];
      if (!collection) continue;
      const item = Object.fromEntries((fanOut.elementFields ?? []).filter(Boolean).map((field) => [field, sampleString(field)]));
      body[collection] = [item, { ...item }];
    }
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

function sampleString(name: string): string | number {
  const lower = name.toLowerCase();
  if (/(quantity|count|amount|price|total|number|qty|age|size)$/.test(lower)) return sampleNumber(name);
  if (lower.includes('email')) return 'customer@example.com';
  if (lower === 'currency') return 'EUR';
  if (lower.endsWith('token')) return 'tok_sample';
  if (lower.endsWith('id')) return `${name.replace(/Id$/i, '') || 'id'}-0001`;
  if (lower.includes('date') || lower.endsWith('at') || lower === 'time') return new Date(SIMULATED_NOW).toISOString();
  if (lower.includes('url')) return 'https://example.com/sample';
  if (lower.includes('sku')) return name.endsWith('2') ? 'SKU-0002' : 'SKU-0001';
  return `sample-${name || 'value'}`;
}

function sampleNumber(name: string): number {
  const lower = name.toLowerCase();
  if (/price|amount|total|cost/.test(lower)) return 10;
  return 1;
}
