import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import type { LineCounter, Node } from 'yaml';

let yamlModule: typeof YamlModule | undefined;
/**
 * The `yaml` package, required on first use: loading it takes 40 ms, and a re-run whose IaC result comes from the
 * cache never parses YAML.
 */
const yaml = (): typeof YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof YamlModule);
import type { AnalysisLimits } from '../types/analyzers.js';
import type { Diagnostic } from '../types/diagnostics.js';
import { SourceMap } from './source-map.js';

/**
 * Reads YAML and JSON CloudFormation-style documents (templates, serverless.yml, files they include) into plain
 * values, with the short-form tags (`!Ref X`) turned into their long form (`{ Ref: X }`) and the line of every
 * object and key recorded in a SourceMap.
 *
 * We walk the `yaml` package's node tree ourselves instead of calling `toJS()`: it keeps object identity for the
 * SourceMap, lets unknown tags degrade to their plain value with a diagnostic, and lets us count alias expansions
 * and nesting depth with our own limits.
 *
 * Duplicate keys: the **last** one wins (as in `JSON.parse` and CloudFormation's own JSON reading), with a
 * `yaml-duplicate-key` warning at the repeated key.
 */

export interface ParseYamlOptions {
  /** Path of the file relative to the analysed folder, for diagnostics and locations. */
  file: string;
  limits: AnalysisLimits;
  /** Receives the location of every object and key; pass the same map for all files of one analysis. */
  sourceMap: SourceMap;
  /** Read as JSON: `//` and `/* *\/` comments are blanked out first and errors are reported as `json-error`. */
  json?: boolean;
}

export interface ParsedYaml {
  /** False when the document could not be read at all (syntax error, too deep, too many aliases). */
  ok: boolean;
  /** The document as plain values; `null` for an empty document, `undefined` when `ok` is false. */
  value: unknown;
  diagnostics: Diagnostic[];
}

/** Most syntax errors reported per file: the first one is what matters, the rest is usually fallout. */
const MAX_ERRORS_REPORTED = 5;

const FN_TAGS = new Set([
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or',
  'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
]);

/** Whether a path names a JSON file (`.json`, and `.template` files whose text starts with `{`). */
export function isJsonText(file: string, text: string): boolean {
  if (file.endsWith('.json')) return true;
  return file.endsWith('.template') && /^\s*[{[]/.test(text);
}

/** Parses one YAML or JSON document. Never throws: every problem becomes a diagnostic. */
export function parseYaml(text: string, options: ParseYamlOptions): ParsedYaml {
  const errorCode = options.json ? 'json-error' : 'yaml-error';
  const source = options.json ? blankJsonComments(text) : text;
  const depth = getDeeper(getBracketDepth(source), options.json ? undefined : getIndentDepth(source));
  if (depth.depth > options.limits.maxDepth) {
    // Checked before parsing: very deep flow nesting exhausts the parser itself.
    return failed(tooDeep(options, depth.line));
  }
  const lineCounter = new (yaml().LineCounter)();
  let document;
  try {
    document = yaml().parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: true });
  } catch (error) {
    return failed({ code: errorCode, severity: 'error', message: `Cannot parse: ${getMessage(error)}`, file: options.file });
  }
  if (document.errors.length > 0) {
    // One error per line: the parser often reports the same mistake twice from different angles.
    const byLine = new Map<number | undefined, Diagnostic>();
    for (const error of document.errors) {
      const line = error.linePos?.[0].line;
      if (byLine.has(line) || byLine.size >= MAX_ERRORS_REPORTED) continue;
      // The parser's own stack ran out: nesting the depth pre-check did not measure (it is an estimate).
      if (error.message.startsWith('Maximum call stack size exceeded')) return failed(tooDeep(options, line));
      byLine.set(line, { code: errorCode, severity: 'error', message: toErrorMessage(error.message), file: options.file, line, column: error.linePos?.[0].col });
    }
    const diagnostics = [...byLine.values()];
    // For JSON, JSON.parse points at the offending token more precisely than a YAML parser reading JSON.
    const jsonError = options.json ? getJsonErrorPosition(source) : undefined;
    if (jsonError) {
      const position = lineCounter.linePos(jsonError.offset);
      return failed({ code: errorCode, severity: 'error', message: jsonError.message, file: options.file, line: position.line, column: position.col });
    }
    return { ok: false, value: undefined, diagnostics };
  }
  const converter = new NodeConverter(options, lineCounter);
  try {
    const value = converter.toValue(document.contents, 0);
    return { ok: true, value: value === undefined ? null : value, diagnostics: converter.diagnostics };
  } catch (error) {
    if (error instanceof LimitError) return failed(error.diagnostic, converter.diagnostics);
    return failed(
      { code: errorCode, severity: 'error', message: `Cannot read: ${getMessage(error)}`, file: options.file },
      converter.diagnostics,
    );
  }
}

function failed(diagnostic: Diagnostic, earlier: Diagnostic[] = []): ParsedYaml {
  return { ok: false, value: undefined, diagnostics: [...earlier, diagnostic] };
}

function tooDeep(options: ParseYamlOptions, line: number | undefined): Diagnostic {
  return {
    code: 'yaml-too-deep',
    severity: 'error',
    message: `Nesting deeper than ${options.limits.maxDepth} levels; the file is not read`,
    file: options.file,
    line,
    hint: 'Raise --max-depth if this file is legitimate.',
  };
}

/** Thrown inside the walk when a limit is hit; turned into the diagnostic it carries. */
class LimitError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

interface AnchorEntry {
  value: unknown;
  /** Alias expansions needed to write this node out in full (the cost of each further alias to it, minus one). */
  expansions: number;
}

class NodeConverter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly anchors = new Map<string, AnchorEntry>();
  private expansions = 0;

  constructor(
    private readonly options: ParseYamlOptions,
    private readonly lineCounter: LineCounter,
  ) {}

  toValue(node: unknown, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > this.options.limits.maxDepth) throw new LimitError(tooDeep(this.options, this.getLine(node)));
    if (yaml().isAlias(node)) return this.expandAlias(node.source, node as Node);
    const before = this.expansions;
    let value: unknown;
    if (yaml().isScalar(node)) value = node.value;
    else if (yaml().isMap(node)) value = this.toObject(node.items, node as Node, depth);
    else if (yaml().isSeq(node)) value = this.toArray(node.items, node as Node, depth);
    else value = null;
    const yamlNode = node as Node & { tag?: string; anchor?: string };
    if (yamlNode.tag) value = this.applyTag(yamlNode.tag, value, yamlNode);
    // Registered after the node is complete, so an alias inside its own anchor cannot loop.
    if (yamlNode.anchor) this.anchors.set(yamlNode.anchor, { value, expansions: this.expansions - before });
    return value;
  }

  /** Aliases share the anchored value (no copy); each use counts the expansions a full copy would need. */
  private expandAlias(name: string, node: Node): unknown {
    const entry = this.anchors.get(name);
    if (!entry) {
      this.warn('yaml-error', `Alias *${name} refers to no earlier anchor; read as null`, node, 'error');
      return null;
    }
    this.expansions += 1 + entry.expansions;
    if (this.expansions > this.options.limits.maxYamlAliases) {
      throw new LimitError({
        code: 'yaml-too-many-aliases',
        severity: 'error',
        message: `More than ${this.options.limits.maxYamlAliases} alias expansions (possible "billion laughs" document); the file is not read`,
        file: this.options.file,
        line: this.getLine(node),
        hint: 'Raise --max-yaml-aliases if this file is legitimate.',
      });
    }
    return entry.value;
  }

  private toObject(items: unknown[], node: Node, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.options.sourceMap.setNode(result, this.toLocation(node));
    const explicit = new Set<string>();
    const merges: unknown[] = [];
    for (const pair of items) {
      if (!yaml().isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = this.toKey(keyNode, depth);
      if (key === '<<' && yaml().isScalar(keyNode) && keyNode.type === 'PLAIN') {
        // YAML 1.1 merge key, common in serverless.yml (`<<: *defaults`): explicit keys win, whatever their order.
        merges.push(this.toValue(pair.value, depth + 1));
        continue;
      }
      if (explicit.has(key)) {
        this.warn('yaml-duplicate-key', `Duplicate key "${key}"; the last value is used`, keyNode ?? node);
      }
      explicit.add(key);
      setOwn(result, key, this.toValue(pair.value, depth + 1));
      this.options.sourceMap.setKey(result, key, this.toLocation(keyNode ?? node));
    }
    for (const source of merges.flatMap((merge) => (Array.isArray(merge) ? merge : [merge]))) {
      if (!isRecord(source)) continue;
      for (const [key, value] of Object.entries(source)) {
        if (explicit.has(key)) continue;
        explicit.add(key);
        setOwn(result, key, value);
        const location = this.options.sourceMap.getKey(source, key);
        if (location) this.options.sourceMap.setKey(result, key, location);
      }
    }
    return result;
  }

  private toArray(items: unknown[], node: Node, depth: number): unknown[] {
    const result: unknown[] = [];
    this.options.sourceMap.setNode(result, this.toLocation(node));
    items.forEach((item, index) => {
      result.push(this.toValue(item, depth + 1));
      if (item && typeof item === 'object') {
        this.options.sourceMap.setKey(result, String(index), this.toLocation(item as Node));
      }
    });
    return result;
  }

  private toKey(keyNode: Node | null, depth: number): string {
    if (keyNode === null) return '';
    if (yaml().isScalar(keyNode)) return String(keyNode.value);
    // Complex keys (`? [a, b]`) do not occur in templates; keep something stable rather than fail.
    return JSON.stringify(this.toValue(keyNode, depth + 1));
  }

  /** `!Ref X` → `{ Ref: X }`, `!GetAtt A.B` → `{ 'Fn::GetAtt': ['A', 'B'] }`, `!Sub ...` → `{ 'Fn::Sub': ... }`. */
  private applyTag(tag: string, value: unknown, node: Node): unknown {
    if (tag.startsWith('tag:yaml.org,2002:')) return value;
    let result: Record<string, unknown>;
    if (tag === '!Ref') result = { Ref: value };
    else if (tag === '!Condition') result = { Condition: value };
    else if (tag === '!GetAtt') result = { 'Fn::GetAtt': toGetAttArguments(value) };
    else if (tag.startsWith('!') && FN_TAGS.has(tag.slice(1))) result = { [`Fn::${tag.slice(1)}`]: value };
    else {
      this.warn('yaml-unknown-tag', `Unknown tag ${tag}; its value is kept as written`, node);
      return value;
    }
    this.options.sourceMap.setNode(result, this.toLocation(node));
    return result;
  }

  private warn(code: string, message: string, node: Node, severity: Diagnostic['severity'] = 'warning'): void {
    const location = this.toLocation(node);
    this.diagnostics.push({ code, severity, message, file: this.options.file, line: location.line, column: location.column });
  }

  private toLocation(node: Node): { file: string; line: number; column?: number } {
    const position = node.range ? this.lineCounter.linePos(node.range[0]) : undefined;
    return { file: this.options.file, line: position?.line ?? 1, column: position?.col };
  }

  private getLine(node: unknown): number | undefined {
    const range = (node as Node | undefined)?.range;
    return range ? this.lineCounter.linePos(range[0]).line : undefined;
  }
}

/**
 * `A.B.C` → `['A', 'B.C']`: logical ids have no dots, attribute names may (`Endpoint.Address`). Dots inside a
 * serverless variable (`${self:custom.queue}.Arn`) do not split.
 */
function toGetAttArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let depth = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '{') depth++;
    else if (char === '}') depth = Math.max(0, depth - 1);
    else if (char === '.' && depth === 0) return [value.slice(0, index), value.slice(index + 1)];
  }
  return [value];
}

/** Sets a key without going through setters (a `__proto__` key must stay a plain key). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain object: not a list, not a class instance such as the Unresolved/Interpolation markers. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

type Depth = { depth: number; line: number };

function getDeeper(a: Depth, b: Depth | undefined): Depth {
  return b && b.depth > a.depth ? b : a;
}

/**
 * The deepest block nesting by indentation (each line more indented than the one it belongs to opens a level) and
 * the line where it is reached: the YAML parser recurses per level, so a few thousand levels exhaust its stack.
 * Block scalars can only over-count, and only when their lines keep indenting further.
 */
const COMPACT_SEQUENCES = /^(?:-[ \t]+)+/;

function getIndentDepth(text: string): Depth {
  const open: number[] = [];
  let max = 0;
  let maxLine = 1;
  let line = 0;
  for (const content of text.split('\n')) {
    line++;
    const indent = content.search(/[^ ]/);
    if (indent < 0 || content[indent] === '#' || content[indent] === '\r') continue;
    while (open.length > 0 && open[open.length - 1] >= indent) open.pop();
    open.push(indent);
    // `- - - x`: compact nested sequences open a level per dash on one line.
    const depth = open.length + (COMPACT_SEQUENCES.exec(content.slice(indent))?.[0].split('-').length ?? 2) - 2;
    if (depth > max) {
      max = depth;
      maxLine = line;
    }
  }
  return { depth: max, line: maxLine };
}

/**
 * The deepest `[`/`{` nesting in the text and the line where it is reached. Quotes are not tracked, which can only
 * over-count (brackets inside strings) — harmless with any realistic limit.
 */
function getBracketDepth(text: string): Depth {
  let depth = 0;
  let max = 0;
  let line = 1;
  let maxLine = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10) line++;
    else if (char === 91 || char === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        maxLine = line;
      }
    } else if ((char === 93 || char === 125) && depth > 0) depth--;
  }
  return { depth: max, line: maxLine };
}

/**
 * Replaces `// ...` and `/* ... *\/` comments outside strings with spaces (newlines kept), so that lines and
 * columns of the rest stay where they were. JSON templates found in the wild sometimes carry such comments.
 */
export function blankJsonComments(text: string): string {
  let out = '';
  let index = 0;
  let inString = false;
  while (index < text.length) {
    const char = text[index];
    if (inString) {
      out += char;
      if (char === '\\' && index + 1 < text.length) {
        out += text[index + 1];
        index += 2;
        continue;
      }
      if (char === '"') inString = false;
      index++;
    } else if (char === '"') {
      inString = true;
      out += char;
      index++;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') {
        out += ' ';
        index++;
      }
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; index < stop; index++) out += text[index] === '\n' ? '\n' : ' ';
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/** Where JSON.parse stops, if it does: `... at position 42` (Node 20) or `(line 3 column 5)` (later versions). */
function getJsonErrorPosition(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = getMessage(error);
    const atPosition = /at position (\d+)/.exec(message);
    if (atPosition) return { offset: Number(atPosition[1]), message: message.replace(/\s*in JSON at position \d+.*$/, '') };
    const atLine = /\(line (\d+) column (\d+)\)/.exec(message);
    if (!atLine) return undefined;
    const lineStart = text.split('\n').slice(0, Number(atLine[1]) - 1).reduce((sum, line) => sum + line.length + 1, 0);
    return { offset: lineStart + Number(atLine[2]) - 1, message: message.replace(/\s*in JSON at position \d+.*$/, '') };
  }
}

/** The parser's message without the source excerpt and the position (the diagnostic carries line and column). */
function toErrorMessage(message: string): string {
  return message.split('\n')[0].replace(/\s*at line \d+, column \d+:?$/, '').trim();
}

function getMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
