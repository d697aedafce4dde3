import { posix } from 'node:path';
import type { AnalysisLimits, RootReader } from '../types/analyzers.js';
import type { Diagnostic, SourceLocation } from '../types/diagnostics.js';
import { Interpolation, Unresolved, isIntrinsic } from './cfn-values.js';
import { isJsonText, isPlainRecord, parseYaml } from './cfn-yaml.js';
import type { SourceMap } from './source-map.js';

/**
 * Serverless Framework variables (`${self:...}`, `${sls:stage}`, `${opt:stage, 'dev'}`, `${env:X, default}`,
 * `${file(./x.yml):key}`, nested and fallback forms), resolved statically and deterministically:
 * no CLI options are given, the environment is never read, nothing is fetched from AWS and only files inside the
 * analysed folder are read. What cannot be known becomes `Unresolved` (whole value) or an `Interpolation`
 * (a string with unknown pieces); nothing throws.
 *
 * `${AWS::Region}`, `${MyResource.Arn}`, `${!Literal}` are CloudFormation `Fn::Sub` placeholders, not
 * Serverless variables (their "source" does not start with a lower-case letter followed by `:` or `(`):
 * they are left in the text for cfn-values.
 */

export interface ServerlessVariableOptions {
  /** The serverless.yml, relative to the analysed folder; `${file(...)}` paths are relative to its folder. */
  file: string;
  root: RootReader;
  limits: AnalysisLimits;
  sourceMap: SourceMap;
}

export interface ResolvedServerless {
  /** A copy of the configuration with variables replaced; locations are carried over in the SourceMap. */
  config: Record<string, unknown>;
  /** `provider.stage` as resolved, else `dev`. */
  stage: string;
  /** `provider.region` as resolved, else `us-east-1`. */
  region: string;
  diagnostics: Diagnostic[];
}

export const DEFAULT_STAGE = 'dev';
export const DEFAULT_REGION = 'us-east-1';

/** Variable resolutions per file: far beyond real configurations, low enough to stop a hostile one quickly. */
const MAX_RESOLUTIONS = 20_000;
/** Variables resolving through other variables, this deep at most. */
const MAX_NESTING = 64;
/** Longest string (or most pieces) a resolution may build; doubling strings would otherwise grow exponentially. */
const MAX_RESULT_LENGTH = 100_000;

/** Sources whose value only exists at deployment time. */
const DEPLOYMENT_SOURCES = new Set(['aws', 'ssm', 'cf', 's3', 'git', 'terraform', 'vault', 'doppler', 'secretsmanager']);
const SCRIPT_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts']);

const MISSING = Symbol('missing');
type Resolved = unknown;

/** Resolves every variable of a parsed serverless.yml. Never throws. */
export function resolveServerlessVariables(
  config: Record<string, unknown>,
  options: ServerlessVariableOptions,
): ResolvedServerless {
  const resolver = new VariableResolver(config, options);
  let resolved: Record<string, unknown>;
  try {
    const value = resolver.resolveTree(config, 0);
    resolved = isPlainRecord(value) ? value : {};
  } catch (error) {
    resolver.report('serverless-variable-error', 'warning', `Variables not resolved: ${String(error)}`);
    resolved = config;
  }
  return { config: resolved, stage: resolver.getStage(), region: resolver.getRegion(), diagnostics: resolver.diagnostics };
}

class VariableResolver {
  readonly diagnostics: Diagnostic[] = [];
  private readonly dir: string;
  private readonly resolvedCopies = new WeakMap<object, unknown>();
  private readonly resolvedObjects = new WeakSet<object>();
  private readonly selfValues = new Map<string, Resolved>();
  private readonly activeSelf = new Set<string>();
  private readonly files = new Map<string, unknown>();
  private readonly reported = new Set<string>();
  /** Problems met so far, reported or not (a repeated one is reported once). */
  private problems = 0;
  private readonly activeFiles = new Set<string>();
  private resolutions = 0;
  private nesting = 0;
  private stage: string | undefined;
  private region: string | undefined;
  private resolvingStage = false;
  private resolvingRegion = false;
  private where: SourceLocation;

  constructor(
    private readonly config: Record<string, unknown>,
    private readonly options: ServerlessVariableOptions,
  ) {
    this.dir = posix.dirname(options.file);
    this.where = { file: options.file, line: 1 };
  }

  /** A resolved copy of a value: strings with variables replaced, objects and lists copied (once per original). */
  resolveTree(value: unknown, depth: number): Resolved {
    if (typeof value === 'string') return value.includes('${') ? this.resolveString(value) : value;
    if (!Array.isArray(value) && !isPlainRecord(value)) return value;
    if (this.resolvedObjects.has(value)) return value;
    const known = this.resolvedCopies.get(value);
    if (known !== undefined) return known;
    if (depth > this.options.limits.maxDepth) return value;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    this.resolvedCopies.set(value, copy);
    this.resolvedObjects.add(copy);
    this.options.sourceMap.copyLocations(value, copy);
    const outer = this.where;
    for (const [key, child] of Object.entries(value)) {
      this.where = this.options.sourceMap.getKey(value, key) ?? this.options.sourceMap.getNode(child) ?? outer;
      const resolved = this.resolveTree(child, depth + 1);
      if (Array.isArray(copy)) copy.push(resolved);
      else Object.defineProperty(copy, key, { value: resolved, enumerable: true, writable: true, configurable: true });
    }
    this.where = outer;
    return copy;
  }

  getStage(): string {
    if (this.stage !== undefined) return this.stage;
    if (this.resolvingStage) return DEFAULT_STAGE; // `stage: ${opt:stage}` or a cycle through the stage
    this.resolvingStage = true;
    const value = this.resolveTree(getProvider(this.config)?.stage, 0);
    this.resolvingStage = false;
    this.stage = typeof value === 'string' && value !== '' ? value : DEFAULT_STAGE;
    return this.stage;
  }

  getRegion(): string {
    if (this.region !== undefined) return this.region;
    if (this.resolvingRegion) return DEFAULT_REGION;
    this.resolvingRegion = true;
    const value = this.resolveTree(getProvider(this.config)?.region, 0);
    this.resolvingRegion = false;
    this.region = typeof value === 'string' && value !== '' ? value : DEFAULT_REGION;
    return this.region;
  }

  /** Records a problem at the value being resolved; the same problem is reported once per file. */
  report(code: string, severity: Diagnostic['severity'], message: string, hint?: string): void {
    this.problems++;
    const key = `${this.where.file}\0${code}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const diagnostic: Diagnostic = { code, severity, message, file: this.where.file, line: this.where.line };
    if (hint) diagnostic.hint = hint;
    this.diagnostics.push(diagnostic);
  }

  /** A string with variables: a single variable gives its value (any type); text around variables gives text. */
  private resolveString(text: string): Resolved {
    const pieces = splitVariables(text);
    if (pieces.length === 1 && pieces[0].variable) return this.resolveVariable(pieces[0].text);
    const parts: unknown[] = [];
    for (const piece of pieces) {
      if (!piece.variable) parts.push(piece.text);
      else parts.push(...this.toStringParts(this.resolveVariable(piece.text), piece.text));
    }
    return this.toStringValue(parts, text);
  }

  private toStringParts(value: Resolved, raw: string): unknown[] {
    if (typeof value === 'string') return [value];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (value instanceof Unresolved) return [value];
    if (value instanceof Interpolation) return [...value.parts];
    if (isIntrinsic(value)) return [value];
    if (value !== null && value !== undefined) {
      this.report('serverless-variable-not-text', 'warning', `${raw} is an object or list used inside a string`);
    }
    return [new Unresolved(raw)];
  }

  /** Merges adjacent text; all text gives a string, anything else an Interpolation. */
  private toStringValue(parts: unknown[], raw: string): Resolved {
    const merged: unknown[] = [];
    for (const part of parts) {
      const last = merged.length - 1;
      if (typeof part === 'string' && typeof merged[last] === 'string') merged[last] = (merged[last] as string) + part;
      else merged.push(part);
    }
    const length = merged.reduce<number>((sum, part) => sum + (typeof part === 'string' ? part.length : 1), 0);
    if (length > MAX_RESULT_LENGTH || merged.length > MAX_RESULT_LENGTH / 100) {
      this.report('serverless-variable-limit', 'warning', `Resolving "${shorten(raw)}" builds a value too large to keep`);
      return new Unresolved(raw);
    }
    if (merged.length === 0) return '';
    if (merged.length === 1 && typeof merged[0] === 'string') return merged[0];
    return new Interpolation(merged);
  }

  /** `${a, b, 'c'}`: the first source with a value wins; a deployment-time source stops the search (unknown). */
  private resolveVariable(raw: string): Resolved {
    const body = raw.slice(2, -1);
    if (!isServerlessVariable(body)) return raw;
    if (++this.resolutions > MAX_RESOLUTIONS) {
      if (this.resolutions === MAX_RESOLUTIONS + 1) {
        this.report('serverless-variable-limit', 'warning', `More than ${MAX_RESOLUTIONS} variable resolutions; the rest are left unknown`);
      }
      return new Unresolved(raw);
    }
    if (this.nesting >= MAX_NESTING) {
      this.report('serverless-variable-limit', 'warning', `Variables nested more than ${MAX_NESTING} deep at ${shorten(raw)}`);
      return new Unresolved(raw);
    }
    this.nesting++;
    try {
      const sources = splitTopLevel(body, ',').map((source) => source.trim());
      const problems = this.problems;
      let blamed = false;
      for (let index = 0; index < sources.length; index++) {
        const value = this.resolveSource(sources[index], raw, index === sources.length - 1);
        // Unknown (not missing): the value exists at deployment, so no fallback applies.
        if (value instanceof Unresolved) return sources.length === 1 ? value : new Unresolved(raw);
        if (value !== MISSING && value !== null && value !== undefined) return value;
        blamed ||= /^(self|file)\b/.test(sources[index]);
      }
      if (this.problems > problems) return new Unresolved(raw); // a source already said why
      this.report(
        'serverless-variable-unresolved',
        blamed ? 'warning' : 'info',
        `${shorten(raw)} has no value in a static reading; kept as unknown`,
        blamed ? undefined : 'Give the variable a default (`${env:X, \'value\'}`) to make the analysis see a value.',
      );
      return new Unresolved(raw);
    } finally {
      this.nesting--;
    }
  }

  private resolveSource(source: string, raw: string, isLast: boolean): Resolved | typeof MISSING {
    const quoted = /^(['"])([\s\S]*)\1$/.exec(source);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(source)) return Number(source);
    if (source === 'true' || source === 'false') return source === 'true';
    if (source === 'null') return null;
    if (source === '') return MISSING;
    let address = source;
    if (address.includes('${')) {
      // Old-style nested fallback (`${opt:stage, ${self:provider.stage}}`) or a nested variable in the address.
      const inner = this.resolveString(address);
      if (isWholeVariable(address)) return inner;
      if (typeof inner !== 'string') return new Unresolved(raw);
      address = inner;
    }
    const parsed = /^([a-zA-Z][a-zA-Z0-9]*)(?:\(([^)]*)\))?(?::([\s\S]*))?$/.exec(address);
    if (!parsed) {
      this.report('serverless-variable-unresolved', 'warning', `Cannot read the variable source "${shorten(address)}"`);
      return new Unresolved(raw);
    }
    const [, type, params, path = ''] = parsed;
    switch (type) {
      case 'self':
        return this.getSelf(path);
      case 'sls':
        if (path === 'stage') return this.getStage();
        return new Unresolved(`\${${address}}`);
      case 'opt':
        // No CLI options in a static reading: a fallback is used if there is one, else the configured default.
        if (!isLast) return MISSING;
        if (path === 'stage') return this.getStage();
        if (path === 'region') return this.getRegion();
        return MISSING;
      case 'env':
        return MISSING; // never read the real environment: the analysis must not depend on who runs it
      case 'param':
        return this.getParam(path);
      case 'file':
        return this.getFile(unquote(params ?? ''), path, raw, isLast);
      case 'strToBool':
        return params === undefined ? new Unresolved(raw) : toBoolean(unquote(params.trim()), raw);
      default:
        if (!DEPLOYMENT_SOURCES.has(type)) {
          this.report('serverless-variable-unknown-source', 'info', `Unknown variable source "${type}" in ${shorten(raw)}; kept as unknown`);
        }
        // Known at deployment only; nested variables in the address are shown resolved (`${ssm:/app/dev/url}`).
        return new Unresolved(`\${${address}}`);
    }
  }

  /** `${self:a.b.c}`: each step is resolved before going further (a step may be a `${file(...)}`). */
  private getSelf(path: string): Resolved | typeof MISSING {
    const cached = this.selfValues.get(path);
    if (cached !== undefined || this.selfValues.has(path)) return cached;
    if (this.activeSelf.has(path)) {
      this.report('serverless-variable-cycle', 'warning', `\${self:${path}} refers to itself`);
      return new Unresolved(`\${self:${path}}`);
    }
    this.activeSelf.add(path);
    let result: Resolved | typeof MISSING;
    try {
      const found = this.navigate(this.config, path);
      if (found !== MISSING) result = this.resolveTree(found, 0);
      else if (path === 'provider.stage') result = this.getStage();
      else if (path === 'provider.region') result = this.getRegion();
      else result = MISSING;
    } finally {
      this.activeSelf.delete(path);
    }
    if (result !== MISSING) this.selfValues.set(path, result);
    return result;
  }

  /** Follows a dotted path; strings met on the way are resolved first, since they may stand for objects. */
  private navigate(start: unknown, path: string): unknown {
    let current = start;
    for (const segment of path === '' ? [] : path.split('.')) {
      if (typeof current === 'string' && current.includes('${')) current = this.resolveString(current);
      if ((Array.isArray(current) || isPlainRecord(current)) && Object.hasOwn(current, segment)) {
        current = (current as Record<string, unknown>)[segment];
      } else {
        return MISSING;
      }
    }
    return current;
  }

  /** `${param:x}`: `params.<stage>.x`, then `params.default.x` (and the v4 `stages.<stage>.params` form). */
  private getParam(name: string): Resolved | typeof MISSING {
    const stage = this.getStage();
    for (const path of [`params.${stage}.${name}`, `params.default.${name}`, `stages.${stage}.params.${name}`, `stages.default.params.${name}`]) {
      const found = this.navigate(this.config, path);
      if (found !== MISSING && found !== null && found !== undefined) return this.resolveTree(found, 0);
    }
    return MISSING;
  }

  /**
   * `${file(./x.yml)}` / `${file(./x.yml):a.b}`: a file inside the analysed folder, relative to the serverless.yml
   * folder (as Serverless resolves it, also from included files). Only the addressed part is resolved, so that
   * an included file may itself use `${sls:stage}` while the stage is being read from it.
   */
  private getFile(relative: string, path: string, raw: string, isLast: boolean): Resolved | typeof MISSING {
    const target = toRootPath(this.dir, relative);
    if (target === undefined) {
      this.report(
        'serverless-file-outside-root',
        'warning',
        `${relative} is outside the analysed folder; it is not read`,
        'Analyse a folder that contains the included file.',
      );
      return new Unresolved(raw);
    }
    if (SCRIPT_EXTENSIONS.has(posix.extname(target))) {
      this.report('serverless-js-not-read', 'info', `${shorten(raw)} is a script; it is never executed, its value is unknown`);
      return new Unresolved(raw);
    }
    const content = this.loadFile(target, raw, isLast);
    if (content === MISSING || content instanceof Unresolved) return content;
    const key = `${target}:${path}`;
    if (this.activeFiles.has(key)) {
      this.report('serverless-variable-cycle', 'warning', `${shorten(raw)} includes itself`);
      return new Unresolved(raw);
    }
    this.activeFiles.add(key);
    try {
      const found = this.navigate(content, path);
      return found === MISSING ? MISSING : this.resolveTree(found, 0);
    } finally {
      this.activeFiles.delete(key);
    }
  }

  /** The parsed (not yet resolved) content of an included file, read once. */
  private loadFile(target: string, raw: string, isLast: boolean): unknown {
    if (this.files.has(target)) return this.files.get(target);
    const text = this.options.root.readText(target);
    if (text === undefined) {
      // Serverless itself treats a missing file as "no value", so that a fallback can apply.
      if (isLast) this.report('serverless-file-missing', 'warning', `${shorten(raw)}: ${target} does not exist or cannot be read`);
      return MISSING;
    }
    let content: unknown = text; // files other than YAML/JSON are included as text, as Serverless does
    if (text.length > this.options.limits.maxFileBytes) {
      this.report('serverless-file-too-large', 'warning', `${target} is larger than ${this.options.limits.maxFileBytes} bytes; it is not read`);
      content = new Unresolved(raw);
    } else if (/\.(ya?ml|json)$/.test(target)) {
      const parsed = parseYaml(text, {
        file: target,
        limits: this.options.limits,
        sourceMap: this.options.sourceMap,
        json: isJsonText(target, text),
      });
      this.diagnostics.push(...parsed.diagnostics);
      content = parsed.ok ? parsed.value : new Unresolved(raw);
    }
    this.files.set(target, content);
    return content;
  }
}

interface Piece {
  text: string;
  variable: boolean;
}

/** Splits a string into text and `${...}` pieces, with nested braces kept inside their variable. */
export function splitVariables(text: string): Piece[] {
  const pieces: Piece[] = [];
  let textStart = 0;
  let index = text.indexOf('${');
  while (index >= 0) {
    const end = findClosingBrace(text, index + 2);
    if (end < 0) break;
    if (index > textStart) pieces.push({ text: text.slice(textStart, index), variable: false });
    pieces.push({ text: text.slice(index, end + 1), variable: true });
    textStart = end + 1;
    index = text.indexOf('${', textStart);
  }
  if (textStart < text.length) pieces.push({ text: text.slice(textStart), variable: false });
  return pieces;
}

/** Index of the `}` closing a `${` whose body starts at `start`, skipping quoted text and nested braces. */
function findClosingBrace(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0) return index;
      depth--;
    }
  }
  return -1;
}

/** Splits on `separator` outside quotes, parentheses and nested `${...}`. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '{' || char === '(') {
      depth++;
    } else if (char === '}' || char === ')') {
      depth = Math.max(0, depth - 1);
    } else if (char === separator && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `self:x`, `file(./a.yml)`, `${...}`: a Serverless variable; `AWS::Region`, `Queue.Arn`, `!Literal` are not. */
function isServerlessVariable(body: string): boolean {
  return /^\s*(?:[a-z][a-zA-Z0-9]*\s*(?:\(|:)|\$\{)/.test(body);
}

function isWholeVariable(text: string): boolean {
  const pieces = splitVariables(text);
  return pieces.length === 1 && pieces[0].variable;
}

/**
 * A path inside the analysed folder for `relative` written in a file of folder `dir`, or undefined when it is
 * absolute, starts at the home folder or climbs out of the root.
 */
export function toRootPath(dir: string, relative: string): string | undefined {
  if (relative === '' || relative.startsWith('/') || relative.startsWith('~') || /^[a-zA-Z]:[\\/]/.test(relative)) {
    return undefined;
  }
  const joined = posix.normalize(posix.join(dir, relative.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined.startsWith('./') ? joined.slice(2) : joined;
}

function toBoolean(text: string, raw: string): Resolved {
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0|null|)$/i.test(text)) return false;
  return new Unresolved(raw);
}

function unquote(text: string): string {
  const match = /^\s*(['"])([\s\S]*)\1\s*$/.exec(text);
  return match ? match[2] : text.trim();
}

function getProvider(config: Record<string, unknown>): Record<string, unknown> | undefined {
  return isPlainRecord(config.provider) ? config.provider : undefined;
}


function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
