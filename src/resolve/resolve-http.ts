import type { ApiDef, Inventory } from '../types/inventory.js';
import type { BoundPart, BoundPattern } from './bind-environment.js';
import { WILD, canMatch, showPattern, toNamedToken } from './glob.js';

/** A route of an API served by a function: an `http` trigger with its API's id. */
interface Route {
  to: string;
  method: string;
  path: string;
}

export type HttpMatch =
  /** The functions serving the method and path, with the route each one serves. */
  | { ok: true; targets: { to: string; method: string; path: string }[] }
  /** A URL outside the repository, or a route the API does not have: an external node. */
  | { ok: true; external: string }
  | { ok: false; reason: string };

/**
 * APIs and their routes from the Inventory, for linking a URL the code calls to the function serving it. The URL
 * must contain a reference to an API of the IaC (an environment variable set to `!Sub https://${Api}...`, CDK
 * `api.url`, Terraform `aws_apigatewayv2_api.x.api_endpoint`) or to a function's URL; the rest is its path,
 * possibly after the host and a stage name.
 */
export class RouteIndex {
  private readonly apis = new Map<string, ApiDef>();
  private readonly routes = new Map<string, Route[]>();
  private readonly functions = new Set<string>();

  constructor(inventory: Inventory) {
    for (const api of inventory.apis) this.apis.set(api.id, api);
    for (const fn of inventory.functions) this.functions.add(fn.id);
    for (const trigger of inventory.triggers) {
      const { apiId, method, path } = trigger.details;
      if (trigger.kind !== 'http' || typeof apiId !== 'string' || typeof path !== 'string') continue;
      const list = this.routes.get(apiId) ?? [];
      list.push({ to: trigger.to, method: typeof method === 'string' ? method.toUpperCase() : 'ANY', path });
      this.routes.set(apiId, list);
    }
  }

  /** The function(s) a request with `method` (undefined: decided at run time) to the bound URL reaches. */
  match(pattern: BoundPattern, method: string | undefined): HttpMatch {
    const parts = pattern.parts;
    const at = parts.findIndex((part) => part.t === 'ref' && (this.apis.has(part.target) || this.routes.has(part.target) || (part.attribute === 'url' && this.functions.has(part.target))));
    if (at < 0) return this.matchExternal(parts);
    const ref = parts[at] as BoundPart & { t: 'ref' };
    // A function URL (`fn.addFunctionUrl().url`): every request goes to that function.
    if (!this.apis.has(ref.target) && !this.routes.has(ref.target)) return { ok: true, targets: [{ to: ref.target, method: method ?? 'ANY', path: '/' }] };
    const path = toPath(toText(parts.slice(at + 1)), ref.attribute === 'url');
    const routes = this.routes.get(ref.target) ?? [];
    const found = findRoutes(routes, path, method) ?? (hasSegments(path) ? findRoutes(routes, dropFirstSegment(path), method) : undefined) ?? findDefault(routes, method);
    if (found) return { ok: true, targets: found.map((route) => ({ to: route.to, method: method ?? route.method, path: route.path })) };
    if (![...path].some((char) => char !== WILD && char !== '/')) {
      const wild = parts.slice(at + 1).find((part) => part.t === 'wild');
      return { ok: false, reason: `the path on API ${ref.target} depends on ${wild && wild.t === 'wild' ? wild.why : 'a value only known at run time'}` };
    }
    return { ok: true, external: `${method ?? 'ANY'} ${ref.target}${showPattern(path)}` };
  }

  /** A URL with a literal host (`https://api.stripe.com/v1/charges`): an external endpoint; else unresolved. */
  private matchExternal(parts: readonly BoundPart[]): HttpMatch {
    const text = toText(parts);
    const host = /^https?:\/\/([^/]+)/.exec(text)?.[1].split(WILD)[0];
    if (host && /[a-z0-9]\.[a-z]/i.test(host)) return { ok: true, external: showPattern(text.replace(/^https?:\/\//, '').replace(/[?#].*$/, '')) };
    const wild = parts.find((part) => part.t === 'wild');
    const refs = parts.filter((part): part is BoundPart & { t: 'ref' } => part.t === 'ref');
    if (refs.length > 0) return { ok: false, reason: `it refers to ${refs[0].target}, which is not an API or function URL declared in the IaC` };
    return { ok: false, reason: `the URL depends on ${wild && wild.t === 'wild' ? wild.why : 'a value only known at run time'}` };
  }
}

/** Parts as text: unknown parts as WILD, named unknowns as their token. */
function toText(parts: readonly BoundPart[]): string {
  return parts.map((part) => (part.t === 'lit' ? part.v : part.t === 'named' ? toNamedToken(part.text) : WILD)).join('');
}

/**
 * The path of what follows the API reference: after the host when the reference is the API's id
 * (`${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/orders`), as is when it is its URL (`${api.url}orders`);
 * without query, fragment, repeated or trailing slashes.
 */
function toPath(rest: string, afterUrl: boolean): string {
  let path = rest;
  if (!afterUrl && !path.startsWith('/') && !path.startsWith(WILD)) {
    const slash = path.indexOf('/');
    path = slash < 0 ? '/' : path.slice(slash);
  }
  path = `/${path.replace(/[?#].*$/, '')}`.replace(/\/{2,}/g, '/');
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

function hasSegments(path: string): boolean {
  return path.split('/').filter(Boolean).length > 1;
}

function dropFirstSegment(path: string): string {
  return `/${path.split('/').filter(Boolean).slice(1).join('/')}`;
}

/** The routes serving the path with the best match (literal segments beat `{param}`, which beats `{proxy+}`). */
function findRoutes(routes: readonly Route[], path: string, method: string | undefined): Route[] | undefined {
  let best: Route[] = [];
  let bestScore = -1;
  for (const route of routes) {
    if (method !== undefined && route.method !== 'ANY' && route.method !== '*' && route.method !== method) continue;
    const score = scorePath(route.path, path);
    if (score < 0) continue;
    if (score > bestScore) {
      best = [route];
      bestScore = score;
    } else if (score === bestScore) best.push(route);
  }
  return best.length > 0 ? dedupe(best) : undefined;
}

/** `$default` (HTTP APIs) or `*` (serverless `httpApi: '*'`): what no other route takes. */
function findDefault(routes: readonly Route[], method: string | undefined): Route[] | undefined {
  const found = routes.filter((route) => (route.path === '$default' || route.path === '*') && (method === undefined || route.method === 'ANY' || route.method === '*' || route.method === method));
  return found.length > 0 ? dedupe(found) : undefined;
}

/** How well a route path matches a request path: -1 when it does not; higher is more specific. */
function scorePath(routePath: string, path: string): number {
  if (routePath === '$default' || routePath === '*') return -1;
  const want = routePath.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  let score = 0;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (/^\{[^}]+\+\}$/.test(segment)) return have.length > i ? score : -1;
    const actual = have[i];
    if (actual === undefined) return -1;
    if (/^\{[^}]+\}$/.test(segment)) score += 2;
    else if (actual === segment) score += 4;
    else if (actual.includes(WILD) && canMatch(actual, segment)) score += 1;
    else return -1;
  }
  return have.length === want.length ? score + 1 : -1;
}

function dedupe(routes: Route[]): Route[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.to}|${route.method}|${route.path}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
