import type { HttpCallShape, HttpClientDetector } from '../../src/types/analyzers.js';

/** `client.get(url, config)`, `client.post(url, data, config)`: the shapes axios and got share for each verb. */
function verbs(configArg: (method: string) => number): HttpCallShape[] {
  return ['get', 'delete', 'head', 'options', 'post', 'put', 'patch'].map((member) => ({
    member,
    method: member.toUpperCase(),
    url: [{ arg: 0 }, { arg: configArg(member), prop: 'url' }],
  }));
}

const withBody = (member: string) => (['post', 'put', 'patch'].includes(member) ? 2 : 1);

/** `fetch(url, { method })`: the global, and the packages that provide it. */
export const fetchClient: HttpClientDetector = {
  id: 'fetch',
  description: 'fetch (global, node-fetch, undici, cross-fetch): fetch(url, { method })',
  sources: [
    { global: 'fetch' },
    { global: 'globalThis.fetch' },
    { module: 'node-fetch', export: 'default' },
    { module: 'cross-fetch', export: 'default' },
    { module: 'undici', export: 'fetch' },
  ],
  calls: [{ member: '', url: [{ arg: 0 }, { arg: 0, prop: 'url' }], methodFrom: [{ arg: 1, prop: 'method' }, { arg: 0, prop: 'method' }], defaultMethod: 'GET' }],
};

/** axios: `axios(config)`, `axios(url, config)`, `axios.post(url, data)`, `axios.request(config)`, instances from `axios.create({ baseURL })`. */
export const axiosClient: HttpClientDetector = {
  id: 'axios',
  description: 'axios: axios(url | config), axios.get/post/put/patch/delete(url), axios.request(config), axios.create({ baseURL }) instances',
  sources: [{ module: 'axios', export: 'default' }],
  calls: [
    { member: '', url: [{ arg: 0 }, { arg: 0, prop: 'url' }], methodFrom: [{ arg: 0, prop: 'method' }, { arg: 1, prop: 'method' }], defaultMethod: 'GET' },
    { member: 'request', url: [{ arg: 0, prop: 'url' }], methodFrom: [{ arg: 0, prop: 'method' }], defaultMethod: 'GET' },
    ...verbs(withBody),
  ],
  instances: [{ member: 'create', baseUrl: 'baseURL' }],
};

/** got: `got(url, { method })`, `got.post(url, options)`, instances from `got.extend({ prefixUrl })`. */
export const gotClient: HttpClientDetector = {
  id: 'got',
  description: 'got: got(url, { method }), got.get/post/put/patch/delete(url, options), got.extend({ prefixUrl }) instances',
  sources: [{ module: 'got', export: 'default' }],
  calls: [
    { member: '', url: [{ arg: 0 }, { arg: 0, prop: 'url' }], methodFrom: [{ arg: 1, prop: 'method' }, { arg: 0, prop: 'method' }], defaultMethod: 'GET' },
    ...verbs(() => 1),
  ],
  instances: [{ member: 'extend', baseUrl: 'prefixUrl' }],
};

/** Node's `https.request(url | options)` and `https.get(...)` (and `http`). */
export const nodeHttpClient: HttpClientDetector = {
  id: 'node:https',
  description: 'node:https and node:http: request(url, options) and get(url), or an options object with hostname and path',
  sources: [
    { module: 'https', export: '*' },
    { module: 'https', export: 'default' },
    { module: 'http', export: '*' },
    { module: 'http', export: 'default' },
  ],
  calls: [
    { member: 'request', url: [{ arg: 0 }, { arg: 0, prop: 'hostname', path: 'path' }, { arg: 0, prop: 'host', path: 'path' }], methodFrom: [{ arg: 1, prop: 'method' }, { arg: 0, prop: 'method' }], defaultMethod: 'GET' },
    { member: 'get', method: 'GET', url: [{ arg: 0 }, { arg: 0, prop: 'hostname', path: 'path' }, { arg: 0, prop: 'host', path: 'path' }] },
  ],
};
