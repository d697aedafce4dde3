/**
 * Source positions for Terraform files. hcl2json gives no positions, so a light lexical scan of the text finds
 * them: it follows strings, `${...}` interpolations, heredocs and comments, and records the bracket depth at the
 * start of every line. A top-level block is a line at depth 0 that reads `type "label" ... {`; an attribute or a
 * nested block of a block is a line one level deeper that starts with its name (`name =`, `name {`). Lines that
 * start inside a string, a heredoc or a comment never match.
 */

export interface ScannedBlock {
  /** `resource`, `module`, `data`, `variable`, `locals`... */
  type: string;
  labels: string[];
  /** 1-based line of the block's first line, and of its closing brace (the last line when it is never closed). */
  line: number;
  endLine: number;
}

export interface ScannedText {
  blocks: ScannedBlock[];
  /** Bracket depth at the start of each line (index = line number; -1: the line starts inside a string or comment). */
  depths: number[];
  lines: string[];
  /** The deepest bracket nesting anywhere in the text, and the first line that reaches it. */
  deepest: { depth: number; line: number };
}

const BLOCK_HEAD = /^\s*([A-Za-z_][\w-]*)((?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)\s*\{/;
const LABEL = /"([^"\n]*)"|([A-Za-z_][\w-]*)/g;

export function scanBlocks(text: string): ScannedText {
  const lines = text.split(/\r?\n/);
  const depths: number[] = [0];
  const blocks: ScannedBlock[] = [];
  let depth = 0;
  /** Open strings and interpolations: `s` a quoted string, a number the depth at which an interpolation closes. */
  const stack: ('s' | number)[] = [];
  let heredoc: string | undefined;
  let blockComment = false;
  let open: ScannedBlock | undefined;
  const deepest = { depth: 0, line: 1 };
  const deeper = (lineNumber: number): void => {
    depth++;
    if (depth > deepest.depth) {
      deepest.depth = depth;
      deepest.line = lineNumber;
    }
  };

  lines.forEach((content, index) => {
    const lineNumber = index + 1;
    const quiet = heredoc !== undefined || blockComment || stack.at(-1) === 's';
    depths[lineNumber] = quiet ? -1 : depth;
    if (heredoc !== undefined) {
      if (content.trim() === heredoc) heredoc = undefined;
      return;
    }
    if (!quiet && depth === 0 && stack.length === 0) {
      const head = BLOCK_HEAD.exec(content);
      if (head) {
        const labels = [...head[2].matchAll(LABEL)].map((m) => m[1] ?? m[2]);
        open = { type: head[1], labels, line: lineNumber, endLine: lines.length };
        blocks.push(open);
      }
    }
    for (let i = 0; i < content.length; i++) {
      const char = content[i];
      const next = content[i + 1];
      if (blockComment) {
        if (char === '*' && next === '/') {
          blockComment = false;
          i++;
        }
        continue;
      }
      if (stack.at(-1) === 's') {
        if (char === '\\') i++;
        else if (char === '"') stack.pop();
        else if ((char === '$' || char === '%') && next === '{') {
          if (content[i - 1] === char) continue; // `$${` and `%%{` are escapes, not interpolations
          stack.push(depth);
          deeper(lineNumber);
          i++;
        }
        continue;
      }
      if (char === '#' || (char === '/' && next === '/')) break;
      if (char === '/' && next === '*') {
        blockComment = true;
        i++;
      } else if (char === '"') stack.push('s');
      else if (char === '<' && next === '<') {
        const marker = /^<<-?([A-Za-z_][\w-]*)\s*$/.exec(content.slice(i));
        if (marker) {
          heredoc = marker[1];
          break;
        }
      } else if (char === '{' || char === '[' || char === '(') deeper(lineNumber);
      else if (char === '}' || char === ']' || char === ')') {
        depth = Math.max(0, depth - 1);
        if (typeof stack.at(-1) === 'number' && stack.at(-1) === depth) stack.pop();
        if (depth === 0 && stack.length === 0 && open) {
          open.endLine = lineNumber;
          open = undefined;
        }
      }
    }
    // A quoted string never spans lines in HCL (only an interpolation inside one can): one left open is an error
    // the parser reports, and must not swallow the blocks that follow.
    while (stack.at(-1) === 's') stack.pop();
  });
  return { blocks, depths, lines, deepest };
}

/** The line of a top-level block with these labels (`resource "aws_sqs_queue" "jobs"`). */
export function findBlock(scan: ScannedText, type: string, labels: readonly string[]): ScannedBlock | undefined {
  return scan.blocks.find((block) => block.type === type && labels.every((label, i) => block.labels[i] === label));
}

/**
 * Lines of the attributes or nested blocks called `name` directly inside the block that starts at `line`
 * (`within` the nested blocks named, outermost first: `['lambda_function']` for `lambda_function { events = ... }`).
 */
export function findInnerLines(scan: ScannedText, block: ScannedBlock, path: readonly string[]): number[] {
  let starts = [block.line];
  let ends = [block.endLine];
  for (const name of path) {
    const found: number[] = [];
    const foundEnds: number[] = [];
    starts.forEach((start, k) => {
      const base = scan.depths[start];
      const inner = new RegExp(`^\\s*(?:${escapeRegExp(name)}|"${escapeRegExp(name)}")\\s*(=|\\{|"|:)`);
      for (let line = start + 1; line <= ends[k]; line++) {
        if (scan.depths[line] !== base + 1 || !inner.test(scan.lines[line - 1] ?? '')) continue;
        found.push(line);
        foundEnds.push(findEnd(scan, line, ends[k]));
      }
    });
    starts = found;
    ends = foundEnds;
  }
  return starts;
}

/** The last line of a nested block or multi-line attribute that starts at `line`. */
function findEnd(scan: ScannedText, line: number, limit: number): number {
  const depth = scan.depths[line];
  for (let next = line + 1; next <= limit; next++) if (scan.depths[next] !== -1 && scan.depths[next] <= depth) return next - 1;
  return limit;
}

/** The text with lines `from`..`to` emptied (their line breaks kept, so later positions stay the same). */
export function blankLines(text: string, from: number, to: number): string {
  const lines = text.split('\n');
  for (let i = from - 1; i < Math.min(to, lines.length); i++) lines[i] = lines[i].endsWith('\r') ? '\r' : '';
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
