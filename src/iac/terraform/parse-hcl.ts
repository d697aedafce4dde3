import { createRequire } from 'node:module';
import type { Diagnostic } from '../../types/diagnostics.js';
import { blankLines, scanBlocks } from './scan-blocks.js';

/** The JSON that `@cdktf/hcl2json` makes of an HCL file: blocks as arrays of bodies, expressions as `${...}` strings. */
export type HclBody = Record<string, unknown>;

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<HclBody>;
}

export interface ParsedHcl {
  /** The file's body; the blocks that did not parse are left out. */
  body: HclBody;
  /** One `hcl-error` per block that did not parse. */
  diagnostics: Diagnostic[];
}

/** Broken blocks blanked out and parsed again, at most this many times per file. */
const MAX_RECOVERIES = 5;

let parser: Hcl2Json | undefined;

/**
 * The package is CommonJS and starts its WebAssembly module when first required, so it is loaded on first use
 * only. It is required rather than imported so that its typings (which pull the DOM lib into the program) stay out.
 */
function getParser(): Hcl2Json {
  parser ??= createRequire(import.meta.url)('@cdktf/hcl2json') as Hcl2Json;
  return parser;
}

/**
 * Parse one `.tf` / `.tfvars` file. A syntax error becomes an `hcl-error` at its line; the top-level block holding
 * it is blanked out (lines kept, so positions stay true) and the rest of the file is parsed again.
 */
export async function parseHcl(file: string, text: string, maxDepth = Number.POSITIVE_INFINITY): Promise<ParsedHcl> {
  const diagnostics: Diagnostic[] = [];
  let current = blankTooDeepBlocks(file, text, maxDepth, diagnostics);
  for (let attempt = 0; attempt <= MAX_RECOVERIES; attempt++) {
    try {
      return { body: await getParser().parse(file, current), diagnostics };
    } catch (error) {
      const found = toHclErrors(file, error instanceof Error ? error.message : String(error));
      const first = found[0] ?? { line: 1, column: 1, message: String(error) };
      if (diagnostics.some((d) => d.line === first.line)) break; // blanking did not help: stop here
      diagnostics.push({
        code: 'hcl-error',
        severity: 'error',
        message: `HCL syntax error: ${first.message}`,
        file,
        line: first.line,
        column: first.column,
        hint: 'The block with the error is skipped; the rest of the file is analysed.',
      });
      const block = scanBlocks(current).blocks.find((b) => b.line <= first.line && first.line <= b.endLine);
      current = block ? blankLines(current, block.line, block.endLine) : blankLines(current, first.line, first.line);
    }
  }
  return { body: {}, diagnostics };
}

/**
 * The WebAssembly parser recurses once per nesting level and a deep enough file kills the whole process (a Go
 * runtime fatal error, not an exception). So nesting is measured first, with the lexical scan, and each top-level
 * block deeper than `maxDepth` is reported and blanked out before the parser sees the text.
 */
function blankTooDeepBlocks(file: string, text: string, maxDepth: number, diagnostics: Diagnostic[]): string {
  let current = text;
  for (let scan = scanBlocks(current); scan.deepest.depth > maxDepth; scan = scanBlocks(current)) {
    const { line } = scan.deepest;
    diagnostics.push({
      code: 'too-deep',
      severity: 'error',
      message: `Nesting deeper than ${maxDepth} levels; the block is not read`,
      file,
      line,
      hint: 'Raise --max-depth if this file is legitimate. The rest of the file is analysed.',
    });
    const block = scan.blocks.find((b) => b.line <= line && line <= b.endLine);
    const next = block ? blankLines(current, block.line, block.endLine) : blankLines(current, line, scan.lines.length);
    if (next === current) return '';
    current = next;
  }
  return current;
}

/** `parse config: [main.tf:4,9-5,1: Summary; Detail., main.tf:7,1-2: ...]` → positions and messages. */
export function toHclErrors(file: string, message: string): { line: number; column: number; message: string }[] {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = new RegExp(`${escaped}:(\\d+),(\\d+)(?:-(?:\\d+,)?\\d+)?: `, 'g');
  const matches = [...message.matchAll(start)];
  return matches.map((match, i) => {
    const from = match.index + match[0].length;
    const to = i + 1 < matches.length ? matches[i + 1].index : message.length;
    const text = message.slice(from, to).replace(/[,\]\s]+$/, '').trim();
    return { line: Number(match[1]), column: Number(match[2]), message: text };
  });
}
