import type { ApiDef, TriggerDef } from '../../types/inventory.js';
import { dropUndefined } from '../cfn-template.js';
import type { EntityInfo } from './entity-ids.js';
import { evaluateRaw } from './evaluate.js';
import type { InventoryBuilder } from './inventory-builder.js';
import type { ResourceInstance } from './module-instance.js';
import { toText, type TfValue } from './values.js';

function getArguments(instance: ResourceInstance): (name: string) => TfValue | undefined {
  const { body } = instance.config;
  return (name) => (body[name] === undefined ? undefined : evaluateRaw(body[name], instance.scope));
}

/** `aws_apigatewayv2_api` / `aws_api_gateway_rest_api`: an API whose routes are `http` triggers with its id as `apiId`. */
export function readApi(instance: ResourceInstance, entity: EntityInfo, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const kind = instance.config.type === 'aws_api_gateway_rest_api' ? 'rest' : 'http';
  builder.inventory.apis.push(
    dropUndefined({
      id: entity.id,
      kind,
      name: builder.toIacValue(value('name')),
      location: builder.locate(instance.config),
      format: 'terraform' as const,
      scope: entity.scope,
    }) satisfies ApiDef,
  );
}

/** The id of the API a route, integration or stage belongs to (`api_id = aws_apigatewayv2_api.x.id`). */
function getApiId(value: TfValue | undefined, builder: InventoryBuilder): string | undefined {
  return builder.resolveEntity(value, ['api'])?.id;
}

/**
 * `aws_apigatewayv2_route` → its `target` integration (`integrations/${aws_apigatewayv2_integration.x.id}`) → the
 * function of the integration's `integration_uri`: an `http` trigger with the route's method and path
 * (`route_key = "POST /orders"`; `$default`, or a WebSocket route such as `$connect`, as the path with method ANY).
 */
export function readHttpApiRoute(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const integration = builder.getReferencedInstance(value('target'), 'aws_apigatewayv2_integration');
  if (!integration) return;
  const fn = builder.resolveEntity(getArguments(integration)('integration_uri'), ['function']);
  if (!fn) return;
  const routeKey = toText(value('route_key'));
  const [method, path] = splitRouteKey(routeKey);
  const details: TriggerDef['details'] = { api: 'http' };
  if (method !== undefined) details.method = method;
  if (path !== undefined) details.path = path;
  const apiId = getApiId(value('api_id'), builder);
  if (apiId !== undefined) details.apiId = apiId;
  builder.addTrigger({ kind: 'http', to: fn.id, details, location: builder.locate(instance.config), format: 'terraform' });
}

/** `aws_apigatewayv2_api` with `target` (quick create): every request to the API goes to the function. */
export function readHttpApiQuickCreate(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const fn = builder.resolveEntity(value('target'), ['function']);
  if (!fn) return;
  const [method, path] = splitRouteKey(toText(value('route_key')) ?? '$default');
  const apiId = builder.getEntity(instance.address)?.id;
  builder.addTrigger({
    kind: 'http',
    to: fn.id,
    details: { api: 'http', method: method ?? 'ANY', path: path ?? '$default', ...(apiId === undefined ? {} : { apiId }) },
    location: builder.locate(instance.config),
    format: 'terraform',
  });
}

/**
 * `aws_api_gateway_integration` (REST API) whose `uri` is a function's invoke ARN: an `http` trigger with the
 * integration's `http_method` and the path built from its `aws_api_gateway_resource` chain (`path_part`s up to the
 * API's root resource).
 */
export function readRestApiIntegration(instance: ResourceInstance, builder: InventoryBuilder): void {
  const value = getArguments(instance);
  const fn = builder.resolveEntity(value('uri'), ['function']);
  if (!fn) return;
  const details: TriggerDef['details'] = { api: 'rest' };
  const method = toText(value('http_method'));
  if (method !== undefined) details.method = method.toUpperCase();
  const path = getResourcePath(value('resource_id'), builder, 0);
  if (path !== undefined) details.path = path;
  const apiId = getApiId(value('rest_api_id'), builder);
  if (apiId !== undefined) details.apiId = apiId;
  builder.addTrigger({ kind: 'http', to: fn.id, details, location: builder.locate(instance.config), format: 'terraform' });
}

/** `/orders/{id}` from `aws_api_gateway_resource` parents; the API's `root_resource_id` is `/`. */
function getResourcePath(resourceId: TfValue | undefined, builder: InventoryBuilder, depth: number): string | undefined {
  if (depth > 32) return undefined;
  if (builder.getReferencedInstance(resourceId, 'aws_api_gateway_rest_api')) return '/';
  const resource = builder.getReferencedInstance(resourceId, 'aws_api_gateway_resource');
  if (!resource) return undefined;
  const value = getArguments(resource);
  const part = toText(value('path_part'));
  const parent = getResourcePath(value('parent_id'), builder, depth + 1);
  if (part === undefined || parent === undefined) return undefined;
  return parent === '/' ? `/${part}` : `${parent}/${part}`;
}

/** `"POST /orders"` → `['POST', '/orders']`; `$default` / `$connect` → `['ANY', '$default']`. */
function splitRouteKey(routeKey: string | undefined): [string | undefined, string | undefined] {
  if (routeKey === undefined) return [undefined, undefined];
  const trimmed = routeKey.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return ['ANY', trimmed];
  return [trimmed.slice(0, space).toUpperCase(), trimmed.slice(space).trim()];
}
