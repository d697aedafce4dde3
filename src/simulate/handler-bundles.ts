import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { InputError } from '../errors.js';
import { getPackageRoot } from '../util/package-root.js';
import { SIMULATED_NOW } from './runtime/registry.js';

/** A function's handler: the file (relative to the analysed folder) and the export. */
export interface HandlerRef {
  function: string;
  file: string;
  exportName: string;
  /** Seconds, for the context's `getRemainingTimeInMillis`. */
  timeout?: number;
  /** The deployed name, for the context. */
  name: string;
}

type LambdaHandler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

/** The handlers of one world for one scenario: each module is imported (a cold start) when first invoked. */
export interface LoadedHandlers {
  call(fn: string, event: unknown): Promise<unknown>;
}

const RUNTIME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runtime');
/** `.ts` when running from the sources (tests), `.js` from dist/. */
const RUNTIME_EXT = path.extname(fileURLToPath(import.meta.url));
const runtimeFile = (name: string) => path.join(RUNTIME_DIR, `${name}${RUNTIME_EXT}`);

/** AWS SDK v2 client modules (`aws-sdk/clients/lambda`) and the class each exports. */
const V2_CLIENT_CLASSES: Record<string, string> = {
  lambda: 'Lambda',
  sqs: 'SQS',
  sns: 'SNS',
  eventbridge: 'EventBridge',
  cloudwatchevents: 'CloudWatchEvents',
  stepfunctions: 'StepFunctions',
  dynamodb: 'DynamoDB',
  ses: 'SES',
  sesv2: 'SESV2',
  s3: 'S3',
  ssm: 'SSM',
  secretsmanager: 'SecretsManager',
  kinesis: 'Kinesis',
  cloudwatch: 'CloudWatch',
};

/**
 * Bundles handlers with esbuild, one file per function, into a folder of our own (never the analysed one):
 * TypeScript and JavaScript, CommonJS and ESM, with the app's own modules and dependencies bundled in, except:
 * - `@aws-sdk/*` and `@smithy/*` come from lambda2sfn's own node_modules (the app's are usually not installed, and
 *   only lambda2sfn's copies carry the simulation's hook on `send`); a package lambda2sfn does not have is bundled
 *   from the app, where the network guard stops it;
 * - `aws-sdk` (v2) is the stand-in of runtime/sdk-v2.ts;
 * - `crypto` and the globals `process`, `Date`, `Math`, timers, `console` are the function's own (runtime/).
 * `overlay` replaces files of the app by other contents (the refactored handlers), by path relative to the root.
 */
export async function bundleHandler(root: string, ref: HandlerRef, outDir: string, overlay: ReadonlyMap<string, string> = new Map()): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${ref.function.replace(/[^\w-]/g, '_')}.mjs`);
  const entry = path.resolve(root, ref.file);
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      absWorkingDir: root,
      inject: [runtimeFile('inject')],
      define: { LAMBDA2SFN_SIMULATED_FUNCTION: JSON.stringify(ref.function) },
      banner: {
        js: [
          "import { createRequire as __l2sCreateRequire } from 'node:module';",
          'const require = __l2sCreateRequire(import.meta.url);',
          `const __filename = ${JSON.stringify(entry)};`,
          `const __dirname = ${JSON.stringify(path.dirname(entry))};`,
        ].join('\n'),
      },
      plugins: [simulationModules(root, overlay)],
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new InputError(
      `cannot load the handler of ${ref.function} (${ref.file}): ${where}${first?.text ?? (error as Error).message}`,
      /Could not resolve/.test(first?.text ?? '') ? `install the app's dependencies in ${root} (npm ci), or check the import` : undefined,
    );
  }
  return outfile;
}

function simulationModules(root: string, overlay: ReadonlyMap<string, string>): Plugin {
  const ownRequire = createRequire(path.join(getPackageRoot(), 'package.json'));
  const cryptoShim = runtimeFile('crypto');
  const sdkV2 = runtimeFile('sdk-v2');
  const overlaid = new Map([...overlay].map(([file, text]) => [path.resolve(root, file), text]));
  return {
    name: 'lambda2sfn-simulation',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.importer === cryptoShim ? { path: args.path, external: true } : { path: cryptoShim }));
      pluginBuild.onResolve({ filter: /^aws-sdk$/ }, () => ({ path: sdkV2 }));
      pluginBuild.onResolve({ filter: /^aws-sdk\/clients\/[\w-]+(\.js)?$/ }, (args) => ({ path: args.path.replace(/\.js$/, '').split('/').pop()!, namespace: 'aws-sdk-v2-client' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'aws-sdk-v2-client' }, (args) => ({
        contents: `const AWS = require(${JSON.stringify(sdkV2)});\nmodule.exports = AWS[${JSON.stringify(V2_CLIENT_CLASSES[args.path] ?? args.path)}] ?? AWS.Lambda;\n`,
        resolveDir: root,
        loader: 'js',
      }));
      pluginBuild.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (args) => {
        try {
          return { path: ownRequire.resolve(args.path), external: true };
        } catch {
          return undefined;
        }
      });
      if (overlaid.size > 0) {
        pluginBuild.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
          const contents = overlaid.get(args.path);
          if (contents === undefined) return undefined;
          const ext = path.extname(args.path).replace(/^\.[cm]/, '.');
          return { contents, loader: ext === '.ts' ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js', resolveDir: path.dirname(args.path) };
        });
      }
    },
  };
}

/**
 * The handlers of one world for one scenario. `generation` makes each scenario import fresh module instances (a
 * cold start for every function), so module state never leaks from one scenario or world into another.
 */
export function loadHandlers(bundles: ReadonlyMap<string, { path: string; ref: HandlerRef }>, generation: string): LoadedHandlers {
  const modules = new Map<string, Promise<LambdaHandler>>();
  const load = (fn: string): Promise<LambdaHandler> => {
    let loading = modules.get(fn);
    if (!loading) {
      const bundle = bundles.get(fn);
      if (!bundle) return Promise.reject(new Error(`lambda2sfn simulate: the handler of ${fn} is not known`));
      loading = import(`${pathToFileURL(bundle.path).href}?run=${encodeURIComponent(generation)}`).then((module: Record<string, unknown>) => {
        const exported = module[bundle.ref.exportName] ?? (module.default as Record<string, unknown> | undefined)?.[bundle.ref.exportName];
        if (typeof exported !== 'function') throw new Error(`lambda2sfn simulate: ${bundle.ref.file} has no function exported as ${bundle.ref.exportName}`);
        return exported as LambdaHandler;
      });
      modules.set(fn, loading);
    }
    return loading;
  };
  let requests = 0;
  return {
    async call(fn, event) {
      const handler = await load(fn);
      const ref = bundles.get(fn)!.ref;
      requests += 1;
      const context = createContext(ref, `${generation}-${requests}`);
      if (handler.length >= 3) {
        return new Promise((resolve, reject) => {
          const returned = handler(event, context, (error, result) => (error ? reject(error as Error) : resolve(result)));
          if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then(resolve, reject);
        });
      }
      return await handler(event, context);
    },
  };
}

function createContext(ref: HandlerRef, requestId: string): Record<string, unknown> {
  const deadline = SIMULATED_NOW + (ref.timeout ?? 3) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: ref.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${ref.name}`,
    memoryLimitInMB: '128',
    awsRequestId: `request-${requestId}`,
    logGroupName: `/aws/lambda/${ref.name}`,
    logStreamName: 'simulated',
    getRemainingTimeInMillis: () => deadline - SIMULATED_NOW,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
