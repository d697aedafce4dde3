import type { Node } from '@babel/types';
import { toSym } from '../../src/summarize/to-sym.js';
import type { ContextCollector } from '../../src/summarize/walk.js';
import type { Sym } from '../../src/types/summary.js';
import { getPropertyName } from '../../src/summarize/to-sym.js';

/**
 * An AWS SDK client created with its own retry settings: `new LambdaClient({ maxAttempts: 5 })` (v3),
 * `new AWS.Lambda({ maxRetries: 2, retryDelayOptions: { base: 300 } })` (v2). Kept on its own (no call is inside
 * it); linking finds it for an SDK call whose client is the same expression (`client` matches `Sym` structurally).
 */
export interface SdkClientRetryData {
  client: Sym;
  column: number;
  text: string;
  options: Partial<Record<(typeof RETRY_OPTIONS)[number], Sym>>;
  optionTexts: Partial<Record<(typeof RETRY_OPTIONS)[number], string>>;
}

/** The client options that change how the SDK retries. */
export const RETRY_OPTIONS = ['maxAttempts', 'retryMode', 'retryStrategy', 'maxRetries', 'retryDelayOptions'] as const;

/**
 * How the SDKs retry by default once retries are configured (AWS SDK for JavaScript v3 standard mode, and v2):
 * exponential backoff with full jitter. v3: 3 attempts unless `maxAttempts` says otherwise, 100 ms base, doubled each time, at most 20 s. v2: `retryDelayOptions.base`
 * (100 ms unless set), doubled, no cap. Both retry throttling, transient (timeouts, connection) and 5xx errors.
 */
export const SDK_RETRY_DEFAULTS = {
  v3: { maxAttempts: 3, baseDelayMs: 100, factor: 2, maxDelayMs: 20_000 },
  v2: { baseDelayMs: 100, factor: 2 },
  retried: ['throttling', 'transient', 'server-error'],
} as const;

/** The pattern analyzer for SDK clients' own retry settings. */
export const sdkClientRetry: ContextCollector = {
  id: 'sdk-client-retry',
  nodeTypes: ['NewExpression'],
  enter(entry, state) {
    const node = entry.node;
    if (node.type !== 'NewExpression') return undefined;
    const options = node.arguments[0] as Node | undefined;
    if (options?.type !== 'ObjectExpression') return undefined;
    const found: SdkClientRetryData['options'] = {};
    const texts: SdkClientRetryData['optionTexts'] = {};
    for (const property of options.properties) {
      if (property.type !== 'ObjectProperty') continue;
      const key = getPropertyName(property.key, property.computed) as (typeof RETRY_OPTIONS)[number] | undefined;
      if (!key || !RETRY_OPTIONS.includes(key)) continue;
      found[key] = toSym(property.value as Node, state);
      texts[key] = state.textOf(property, 80);
    }
    if (Object.keys(found).length === 0) return undefined;
    const data: SdkClientRetryData = {
      client: toSym(node, state),
      column: (node.loc?.start.column ?? 0) + 1,
      text: state.textOf(node),
      options: found,
      optionTexts: texts,
    };
    return { kind: 'sdk-client-retry', line: node.loc?.start.line ?? 0, data: data as unknown as Record<string, unknown>, standalone: true };
  },
};
