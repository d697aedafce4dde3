// Module customization hooks (node:module register), installed by preload.cjs: records every ES module the
// process resolves inside the analysed folder.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let log;
let root;

export function initialize(data) {
  log = data.log;
  root = data.root;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (result.url.startsWith('file:')) {
    const relative = path.relative(root, fileURLToPath(result.url));
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      appendFileSync(log, `${JSON.stringify({ kind: 'import', detail: result.url })}\n`);
    }
  }
  return result;
}
