// The floor the analysis is compared with: read every source file under a folder and parse it once with
// @babel/parser on one thread, with the same options as lambda2sfn, keeping nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@babel/parser';

const SKIP = new Set(['node_modules', '.git', 'dist']);
const root = process.argv[2];
let files = 0;
const stack = [root];
while (stack.length > 0) {
  const dir = stack.pop();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) stack.push(path.join(dir, entry.name));
    } else if (/\.(ts|js|mjs|cjs|mts|cts|tsx|jsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path.join(dir, entry.name), 'utf8');
      parse(text, {
        sourceType: 'module',
        plugins: entry.name.endsWith('.tsx') ? ['typescript', 'jsx'] : /\.[mc]?ts$/.test(entry.name) ? ['typescript', 'decorators-legacy'] : ['jsx'],
        errorRecovery: true,
        attachComment: false,
      });
      files++;
    }
  }
}
process.stdout.write(`${files}\n`);
