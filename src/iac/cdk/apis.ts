import type { Node } from 'ts-morph';
import type { ApiRecord } from './app-model.js';
import { toHttpMethod } from './cdk-enums.js';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { getBoolean, getShortName, getText, UNDEF, type CdkConstruct, type Value } from './values.js';

/**
 * API Gateway APIs and their routes, as `http` triggers of the functions behind them:
 * - REST (`apigateway.RestApi`, `LambdaRestApi`): `api.root.addResource('orders').addMethod('POST', new LambdaIntegration(fn))`,
 *   `resourceForPath`, `addProxy`, a `defaultIntegration` inherited by child resources;
 * - HTTP (`apigatewayv2.HttpApi`): `api.addRoutes({ path, methods, integration: new HttpLambdaIntegration(id, fn) })`
 *   and a `defaultIntegration` (the `$default` route).
 * `api.url` / `api.apiEndpoint` are references to the API, so that code given the URL can be linked to its routes.
 */

type ApiResource = Value & { t: 'apiResource' };

/** The stage the CDK deploys a REST API to unless `deployOptions.stageName` says otherwise. */
const DEFAULT_REST_STAGE = 'prod';

export function createRestApi(ctx: LibraryContext, cls: string, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('restApi', cls, scope ?? UNDEF, id ?? UNDEF, node);
  c.props = props;
  const stage = getText(readProp(readProp(props, 'deployOptions'), 'stageName')) ?? DEFAULT_REST_STAGE;
  const record: ApiRecord = { c, kind: 'rest', stages: [stage] };
  const name = readProp(props, 'restApiName');
  if (name) record.name = name;
  ctx.model.apis.push(record);
  // LambdaRestApi: every path goes to `handler` unless `proxy: false` (then routes are added by hand).
  const handler = readProp(props, 'handler');
  const integration = readProp(props, 'defaultIntegration') ?? (handler ? { t: 'inst' as const, name: 'aws_apigateway.LambdaIntegration', args: [handler], node } : undefined);
  if (integration) c.fields.set('%defaultIntegration', integration);
  if (getShortName(cls) === 'LambdaRestApi' && readProp(props, 'proxy')?.t !== 'bool') {
    addRoute(ctx, c, 'ANY', '/', integration, node);
    addRoute(ctx, c, 'ANY', '/{proxy+}', integration, node);
  }
  return { t: 'construct', c };
}

export function createHttpApi(ctx: LibraryContext, cls: string, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('httpApi', cls, scope ?? UNDEF, id ?? UNDEF, node);
  c.props = props;
  const record: ApiRecord = { c, kind: 'http' };
  const name = readProp(props, 'apiName');
  if (name) record.name = name;
  ctx.model.apis.push(record);
  const integration = readProp(props, 'defaultIntegration');
  if (integration) addRoute(ctx, c, 'ANY', '$default', integration, node);
  return { t: 'construct', c };
}

/** Properties of an API construct: its root resource (REST) and its URL. */
export function getApiProperty(c: CdkConstruct, name: string): Value | undefined {
  if (c.kind === 'restApi' && name === 'root') return { t: 'apiResource', api: c, path: '/', integration: c.fields.get('%defaultIntegration') };
  if (name === 'url' || name === 'apiEndpoint') return getAttributeValue(c, 'url', `${c.id}.${name}`);
  if (name === 'restApiId' || name === 'apiId' || name === 'httpApiId') return getAttributeValue(c, 'id', `${c.id}.${name}`);
  return undefined;
}

/** Methods of an API construct: `addRoutes` (HTTP), `urlForPath` (REST). */
export function callApiMethod(ctx: LibraryContext, c: CdkConstruct, name: string, args: Value[], node: Node): Value | undefined {
  if (c.kind === 'httpApi' && name === 'addRoutes') {
    const options = args[0];
    const path = getText(readProp(options, 'path'));
    const methods = readProp(options, 'methods');
    const list = methods?.t === 'arr' ? methods.items.map(toHttpMethod) : ['ANY'];
    if (path === undefined) ctx.report('cdk-unresolved', 'info', `a route of ${c.id} has a path not known statically`, node);
    else for (const method of list) addRoute(ctx, c, method ?? 'ANY', path, readProp(options, 'integration'), node);
    return { t: 'arr', items: [] };
  }
  if (c.kind === 'restApi' && name === 'urlForPath') {
    const url = getAttributeValue(c, 'url', `${c.id}.url`);
    const path = getText(args[0]) ?? '/';
    return url.t === 'str' ? { t: 'str', parts: [...url.parts, { k: 'lit', v: path }] } : url;
  }
  return undefined;
}

/** Methods of a REST API resource: `addResource`, `resourceForPath`, `addMethod`, `addProxy`. */
export function callResourceMethod(ctx: LibraryContext, resource: ApiResource, name: string, args: Value[], node: Node): Value | undefined {
  switch (name) {
    case 'addResource':
    case 'resourceForPath': {
      const part = getText(args[0]);
      if (part === undefined) {
        ctx.report('cdk-unresolved', 'info', `a resource of ${resource.api.id} has a path not known statically`, node);
        return { t: 'unknown', text: node.getText() };
      }
      const integration = readProp(args[1], 'defaultIntegration') ?? resource.integration;
      return { t: 'apiResource', api: resource.api, path: joinPath(resource.path, part), ...(integration ? { integration } : {}) };
    }
    case 'addProxy': {
      const options = args[0];
      const integration = readProp(options, 'defaultIntegration') ?? resource.integration;
      const proxy: ApiResource = { t: 'apiResource', api: resource.api, path: joinPath(resource.path, '{proxy+}'), ...(integration ? { integration } : {}) };
      if (getBoolean(readProp(options, 'anyMethod')) ?? true) addRoute(ctx, resource.api, 'ANY', proxy.path, integration, node);
      return proxy;
    }
    case 'addMethod': {
      const method = toHttpMethod(args[0]) ?? 'ANY';
      addRoute(ctx, resource.api, method, resource.path, args[1] ?? resource.integration, node);
      return { t: 'unknown', text: node.getText() };
    }
    default:
      return undefined;
  }
}

/** A route to a function: an `http` trigger of the function (other integrations reach nothing of ours). */
function addRoute(ctx: LibraryContext, api: CdkConstruct, method: string, path: string, integration: Value | undefined, node: Node): void {
  const fn = getIntegratedFunction(integration);
  if (!fn) {
    if (integration === undefined) ctx.report('cdk-unresolved', 'info', `the route ${method} ${path} of ${api.id} has no integration the analyzer knows`, node);
    return;
  }
  if (!ctx.model.isEntity(fn)) return;
  ctx.model.triggers.push({
    kind: 'http',
    to: fn,
    api,
    details: { method, path, api: api.kind === 'restApi' ? 'rest' : 'http' },
    location: ctx.toLocation(node),
  });
}

/** `new LambdaIntegration(fn)` (REST) or `new HttpLambdaIntegration('Id', fn)` (HTTP). */
function getIntegratedFunction(integration: Value | undefined): CdkConstruct | undefined {
  if (integration?.t !== 'inst') return undefined;
  const short = getShortName(integration.name);
  const fn = short === 'LambdaIntegration' ? integration.args[0] : short === 'HttpLambdaIntegration' ? integration.args[1] : undefined;
  return fn?.t === 'construct' && fn.c.kind === 'function' ? fn.c : undefined;
}

function joinPath(base: string, part: string): string {
  const clean = part.replace(/^\/+|\/+$/g, '');
  if (clean === '') return base;
  return base === '/' ? `/${clean}` : `${base}/${clean}`;
}
