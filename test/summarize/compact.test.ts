import { describe, expect, it } from 'vitest';
import { CONTEXT_COLLECTORS, getKeptGlobals, getSdkMethodNames, getSdkTextKeys } from '../../analyzers/index.js';
import { dropEmptyScopes } from '../../src/summarize/compact.js';
import { summarizeFile, walkFile, type SummarizeOptions } from '../../src/summarize/summarize-file.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import type { FileSummary, Sym } from '../../src/types/summary.js';

const options: SummarizeOptions = {
  limits: DEFAULT_LIMITS,
  sdkMethods: getSdkMethodNames(),
  keptGlobals: getKeptGlobals(),
  textKeys: getSdkTextKeys(),
  collectors: CONTEXT_COLLECTORS,
};

/** Nested blocks, shadowing, closures, classes, catch clauses, loops over elements, results held in variables. */
const SOURCE = `
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { withRetry } from './retry';

const client = new LambdaClient({});
const target = process.env.TARGET;

export class Dispatcher {
  private readonly names = new Map<string, string>();
  constructor(private readonly lambda: LambdaClient, private readonly fallback = 'fallback-fn') {}

  async send(name: string, payload: unknown) {
    if (payload) {
      {
        const target = this.names.get(name) ?? this.fallback;
        return this.lambda.send(new InvokeCommand({ FunctionName: target, Payload: JSON.stringify(payload) }));
      }
    }
    return undefined;
  }
}

export async function handler(event: { items: { id: string }[] }) {
  const dispatcher = new Dispatcher(client);
  for (const item of event.items) {
    if (item.id) {
      try {
        const result = await client.send(new InvokeCommand({ FunctionName: target, Payload: JSON.stringify(item) }));
        if (result.StatusCode !== 200) throw new Error('failed');
      } catch (error) {
        const target = 'dead-letter-fn';
        await dispatcher.send(target, { error, item });
      }
    }
  }
  const sorted = [...event.items].sort((a, b) => a.id.localeCompare(b.id));
  await Promise.all(sorted.map((entry) => client.send(new InvokeCommand({ FunctionName: target, Payload: JSON.stringify({ id: entry.id }) }))));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return withRetry(() => {
    const inner = target;
    return client.send(new InvokeCommand({ FunctionName: inner }));
  });
}
`;

/** Every `ref` Sym of a summary, with the path that leads to it (the same path in a copy finds the copy's Sym). */
function collectRefs(value: unknown, path: string, out: Map<string, Sym & { k: 'ref' }>, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (record.k === 'ref' && typeof record.scope === 'number') {
    out.set(path, value as Sym & { k: 'ref' });
    return;
  }
  for (const key of Object.keys(record)) collectRefs(record[key], `${path}/${key}`, out, seen);
}

function lookup(summary: FileSummary, name: string, scope: number): number | undefined {
  for (let s = scope; s >= 0; s = summary.scopes[s].parent) if (Object.hasOwn(summary.scopes[s].bindings, name)) return s;
  return undefined;
}

describe('dropEmptyScopes', () => {
  const before = walkFile('src/handler.ts', SOURCE, options);
  // The scopes' binding tables survive renumbering: tag each with its old number.
  before.scopes.forEach((scope, index) => Object.defineProperty(scope.bindings, 'oldScope', { value: index, enumerable: false }));
  const after = structuredCloneKeepingTags(before);
  dropEmptyScopes(after);

  it('removes the scopes without bindings and keeps the module scope first', () => {
    expect(before.scopes.some((scope, index) => index > 0 && Object.keys(scope.bindings).length === 0)).toBe(true);
    expect(after.scopes.length).toBeLessThan(before.scopes.length);
    expect(after.scopes[0].parent).toBe(-1);
    expect(oldScopeOf(after, 0)).toBe(0);
    after.scopes.forEach((scope, index) => {
      if (index > 0) expect(Object.keys(scope.bindings).length).toBeGreaterThan(0);
      if (index > 0) expect(scope.parent).toBeLessThan(index);
    });
  });

  it('keeps every reference pointing at the binding it found before', () => {
    const refsBefore = new Map<string, Sym & { k: 'ref' }>();
    const refsAfter = new Map<string, Sym & { k: 'ref' }>();
    // Scopes by their old number, so that the same path names the same place in both.
    collectRefs({ ...before, scopes: Object.fromEntries(before.scopes.map((s, i) => [i, s.bindings])) }, '', refsBefore, new Set());
    collectRefs({ ...after, scopes: Object.fromEntries(after.scopes.map((s, i) => [oldScopeOf(after, i), s.bindings])) }, '', refsAfter, new Set());
    expect(refsBefore.size).toBeGreaterThan(20);
    let shadowed = 0;
    for (const [path, ref] of refsBefore) {
      const moved = refsAfter.get(path);
      expect(moved, path).toBeDefined();
      const found = lookup(before, ref.name, ref.scope);
      const foundAfter = lookup(after, moved!.name, moved!.scope);
      if (found === undefined) expect(foundAfter, path).toBeUndefined();
      else expect(foundAfter === undefined ? undefined : oldScopeOf(after, foundAfter), `${path} ${ref.name}`).toBe(found);
      if (ref.name === 'target' && found !== 0) shadowed++;
    }
    // The shadowing `target`s in the nested block and the catch clause are found, not the module's.
    expect(shadowed).toBeGreaterThanOrEqual(2);
  });

  it('renumbers the scopes that contexts name as where a variable is declared', () => {
    const old = declared(before);
    expect(old.length).toBeGreaterThan(0);
    declared(after).forEach((scope, i) => {
      const kept = Object.keys(before.scopes[old[i]].bindings).length > 0;
      expect(scope === -1 ? undefined : oldScopeOf(after, scope)).toBe(kept ? old[i] : undefined);
    });
  });
});

describe('returns no evaluation can read', () => {
  const summary = summarizeFile('src/handler.ts', SOURCE, options);
  const byLine = (text: string) => {
    const line = SOURCE.split('\n').findIndex((l) => l.includes(text)) + 1;
    const fn = summary.functions.find((f) => f.line === line);
    expect(fn, text).toBeDefined();
    return fn!;
  };

  it('are dropped for callbacks handed only to built-ins', () => {
    expect(byLine('sort((a, b)').returns).toEqual([]);
    expect(byLine('new Promise((resolve)').returns).toEqual([]);
  });

  it('are kept for callbacks of .map, of project functions, and for methods and exports', () => {
    expect(byLine('sorted.map((entry)').returns.length).toBe(1);
    expect(byLine('return withRetry(').returns.length).toBe(1);
    expect(byLine('async send(name').returns.length).toBe(1);
  });
});

function oldScopeOf(summary: FileSummary, scope: number): number {
  return (summary.scopes[scope].bindings as unknown as { oldScope: number }).oldScope;
}

/** The scopes the contexts name as where a variable is declared, in order. */
function declared(summary: FileSummary): number[] {
  return summary.contexts.flatMap((context) => {
    const data = context.data as { elementScope?: number; bound?: [string, number][] };
    return [...(data.elementScope !== undefined ? [data.elementScope] : []), ...(data.bound ?? []).map(([, scope]) => scope)];
  });
}

/** A deep copy that keeps shared objects shared and the binding tables' `oldScope` tags. */
function structuredCloneKeepingTags(summary: FileSummary): FileSummary {
  const copy = structuredClone(summary);
  copy.scopes.forEach((scope, index) => Object.defineProperty(scope.bindings, 'oldScope', { value: index, enumerable: false }));
  return copy;
}
