import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/**
 * Blocks every way out of the process while handlers run: a connection (TCP, TLS, HTTP, fetch) or a DNS lookup
 * throws, and is reported through `onAttempt`. The simulation answers AWS calls itself; this catches what it does
 * not know (another SDK's client, an HTTP call of the handler) so that nothing ever reaches AWS or anything else.
 * Returns the undo.
 */
export function installNetworkGuard(onAttempt: (what: string) => void): () => void {
  const restores: (() => void)[] = [];
  const block = (what: string): never => {
    onAttempt(what);
    throw Object.assign(new Error(`lambda2sfn simulate: network access is blocked (${what})`), { code: 'ENETUNREACH', name: 'NetworkBlocked' });
  };
  const replace = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]) => {
    const original = target[key];
    target[key] = value;
    restores.push(() => {
      target[key] = original;
    });
  };
  const connect = ((...args: unknown[]) => block(`connect ${describe(args)}`)) as never;
  replace(net.Socket.prototype, 'connect', connect);
  replace(net, 'connect', connect);
  replace(net, 'createConnection', connect);
  replace(tls, 'connect', connect);
  for (const module of [http, https]) {
    replace(module, 'request', ((...args: unknown[]) => block(`request ${describe(args)}`)) as never);
    replace(module, 'get', ((...args: unknown[]) => block(`request ${describe(args)}`)) as never);
  }
  replace(dns, 'lookup', ((...args: unknown[]) => block(`DNS lookup ${describe(args)}`)) as never);
  replace(dns.promises, 'lookup', ((...args: unknown[]) => block(`DNS lookup ${describe(args)}`)) as never);
  if (typeof globalThis.fetch === 'function') {
    replace(globalThis, 'fetch', (async (...args: unknown[]) => block(`fetch ${describe(args)}`)) as never);
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

/** What a blocked call tried to reach, for the notice. */
function describe(args: unknown[]): string {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first instanceof URL) return first.href;
  if (first && typeof first === 'object') {
    const options = first as { host?: string; hostname?: string; port?: number; path?: string };
    return `${options.hostname ?? options.host ?? 'localhost'}${options.port ? `:${options.port}` : ''}${options.path ?? ''}`;
  }
  return String(first);
}
