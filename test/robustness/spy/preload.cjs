'use strict';
/**
 * Loaded with `node --require` into the CLI under test: records (and blocks) every child process, network
 * connection, DNS lookup and HTTP request, and every require/import of a file inside the analysed folder, as JSON
 * lines in $L2S_SPY_LOG. $L2S_SPY_ROOT is the analysed folder. See no-execution.test.ts.
 */
const { appendFileSync, realpathSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const log = process.env.L2S_SPY_LOG;
const root = process.env.L2S_SPY_ROOT ? realpathSync(process.env.L2S_SPY_ROOT) : undefined;
if (!log) throw new Error('spy preload: set L2S_SPY_LOG');

function record(kind, detail) {
  appendFileSync(log, `${JSON.stringify({ kind, detail: String(detail).slice(0, 300) })}\n`);
}

function block(object, names, kind) {
  for (const name of names) {
    if (typeof object[name] !== 'function') continue;
    object[name] = function blocked(...args) {
      record(kind, `${name} ${typeof args[0] === 'object' ? JSON.stringify(args[0]) : args[0]}`);
      throw new Error(`lambda2sfn test spy: ${kind} ${name} is not allowed during analysis`);
    };
  }
}

block(require('node:child_process'), ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child-process');
const net = require('node:net');
block(net, ['connect', 'createConnection'], 'network');
block(net.Socket.prototype, ['connect'], 'network');
block(require('node:tls'), ['connect'], 'network');
block(require('node:http'), ['request', 'get'], 'network');
block(require('node:https'), ['request', 'get'], 'network');
const dns = require('node:dns');
const resolvers = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'];
block(dns, resolvers, 'dns');
block(dns.promises, resolvers, 'dns');
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = async (input) => {
    record('network', `fetch ${input}`);
    throw new Error('lambda2sfn test spy: fetch is not allowed during analysis');
  };
}

function isInsideRoot(file) {
  if (!root || typeof file !== 'string' || !path.isAbsolute(file)) return false;
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

// CommonJS: every module load goes through Module._load (Node's internal hook point, hence the underscores).
/* oxlint-disable no-underscore-dangle */
const load = Module._load;
Module._load = function spiedLoad(request, parent, isMain) {
  let resolved;
  try {
    resolved = Module._resolveFilename(request, parent, isMain);
  } catch {
    resolved = undefined;
  }
  if (isInsideRoot(resolved)) record('require', resolved);
  return load.apply(this, arguments);
};
/* oxlint-enable no-underscore-dangle */

// ES modules: a resolve hook in the loader thread, which writes to the same log.
if (root && typeof Module.register === 'function') {
  Module.register(pathToFileURL(path.join(__dirname, 'import-hooks.mjs')), { data: { log, root } });
}
