import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { VISITOR_KEYS } from '../src/summarize/visitor-keys.js';

describe('visitor keys snapshot', () => {
  it('matches the installed @babel/types (run scripts/generate-visitor-keys.mjs after an upgrade)', () => {
    const babel = createRequire(import.meta.url)('@babel/types') as { VISITOR_KEYS: Record<string, string[]> };
    expect(VISITOR_KEYS).toEqual(babel.VISITOR_KEYS);
  });
});
