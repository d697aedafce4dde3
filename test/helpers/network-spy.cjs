'use strict';
/**
 * Loaded with `node --require` into the CLI under test (simulate): records every network connection, DNS lookup,
 * HTTP request and fetch as JSON lines in $L2S_NET_LOG, and blocks it. Installed before lambda2sfn starts, so it
 * sees any attempt that gets past (or happens without) simulate's own guard. Child processes stay allowed:
 * simulate bundles handlers with esbuild, which runs as a child process.
 */
const { appendFileSync } = require('node:fs');

const log = process.env.L2S_NET_LOG;
if (!log) throw new Error('network spy: set L2S_NET_LOG');

function block(object, names) {
  for (const name of names) {
    if (typeof object[name] !== 'function') continue;
    object[name] = function blocked(...args) {
      appendFileSync(log, `${JSON.stringify({ call: name, target: String(typeof args[0] === 'object' ? JSON.stringify(args[0]) : args[0]).slice(0, 200) })}\n`);
      throw new Error(`network spy: ${name} is not allowed during a simulation`);
    };
  }
}

const net = require('node:net');
block(net, ['connect', 'createConnection']);
block(net.Socket.prototype, ['connect']);
block(require('node:tls'), ['connect']);
block(require('node:http'), ['request', 'get']);
block(require('node:https'), ['request', 'get']);
const dns = require('node:dns');
const resolvers = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny'];
block(dns, resolvers);
block(dns.promises, resolvers);
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = async (input) => {
    appendFileSync(log, `${JSON.stringify({ call: 'fetch', target: String(input).slice(0, 200) })}\n`);
    throw new Error('network spy: fetch is not allowed during a simulation');
  };
}
