/**
 * HCL expressions as hcl2json hands them back: every string of its JSON is a template (`"${local.prefix}-orders"`,
 * `"${jsonencode({ a = var.b })}"`), the text inside `${...}` exactly as written in the file. hcl2json has already
 * checked the syntax; this parser turns that text into a small tree for the evaluator. It follows the HCL native
 * syntax spec (templates, traversals, function calls, tuples, objects, for-expressions, splats, operators,
 * conditionals, heredocs) and keeps each node's source text, which is how values we cannot compute are named.
 */

interface Node {
  /** The expression as written, for messages and for naming unknowns. */
  text: string;
}

export type Expr = Node &
  (
    | { type: 'literal'; value: string | number | boolean | null }
    /** Literal text and interpolations; `directive`: it has `%{ if }`/`%{ for }` parts, whose result we do not compute. */
    | { type: 'template'; parts: (string | Expr)[]; directive: boolean }
    | { type: 'variable'; name: string }
    | { type: 'getattr'; target: Expr; name: string }
    | { type: 'index'; target: Expr; key: Expr }
    /** `list[*].id`: `each` is applied to every element, which it reads as `splat-item`. */
    | { type: 'splat'; target: Expr; each: Expr }
    | { type: 'splat-item' }
    | { type: 'call'; name: string; args: Expr[]; expand: boolean }
    | { type: 'tuple'; items: Expr[] }
    | { type: 'object'; items: { key: Expr; value: Expr }[] }
    | {
        type: 'for';
        keyVar?: string;
        valueVar: string;
        collection: Expr;
        key?: Expr;
        value: Expr;
        condition?: Expr;
        group: boolean;
      }
    | { type: 'binary'; op: string; left: Expr; right: Expr }
    | { type: 'unary'; op: string; operand: Expr }
    | { type: 'conditional'; condition: Expr; whenTrue: Expr; whenFalse: Expr }
  );

export class HclExpressionError extends Error {}

/** Binary operators by precedence, lowest first (HCL spec). */
const PRECEDENCE: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['>=', '<=', '>', '<'], ['+', '-'], ['*', '/', '%']];

/** A string value of hcl2json's JSON: a template whose literal parts are already unescaped. One `${x}` alone is `x`. */
export function parseTemplateString(text: string, maxDepth = 200): Expr {
  const parser = new Parser(text, maxDepth);
  const template = parser.parseTemplate('eof', false);
  if (template.type === 'template' && template.parts.length === 1 && typeof template.parts[0] !== 'string' && !template.directive) {
    return template.parts[0];
  }
  return template;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
  ) {}

  /** Template text up to `end`: the input's end, a closing quote, or a heredoc's end marker line. */
  parseTemplate(end: 'eof' | '"' | { heredoc: string }, escapes: boolean): Expr {
    const start = this.pos;
    const parts: (string | Expr)[] = [];
    let directive = false;
    let literal = '';
    const flush = () => {
      if (literal) parts.push(literal);
      literal = '';
    };
    while (this.pos < this.src.length) {
      const char = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (end === '"' && char === '"') break;
      if (typeof end === 'object' && this.atLineStart() && this.restOfLine().trim() === end.heredoc) break;
      if ((char === '$' || char === '%') && next === char && this.src[this.pos + 2] === '{') {
        literal += `${char}{`;
        this.pos += 3;
      } else if (char === '$' && next === '{') {
        flush();
        this.pos += 2;
        this.skipStrip();
        parts.push(this.parseExpression());
        this.skipStrip();
        this.expect('}');
      } else if (char === '%' && next === '{') {
        flush();
        directive = true;
        this.skipBalanced();
      } else if (escapes && char === '\\') {
        literal += this.readEscape();
      } else {
        literal += char;
        this.pos++;
      }
    }
    flush();
    const text = this.src.slice(start, this.pos);
    if (parts.length === 0) return { type: 'literal', value: '', text };
    if (parts.length === 1 && typeof parts[0] === 'string' && !directive) return { type: 'literal', value: parts[0], text };
    return { type: 'template', parts, directive, text };
  }

  parseExpression(): Expr {
    if (++this.depth > this.maxDepth) throw new HclExpressionError('expression nested too deeply');
    try {
      const start = this.skipSpace();
      const condition = this.parseBinary(0);
      this.skipSpace();
      if (this.peek('?')) {
        this.pos++;
        const then = this.parseExpression();
        this.skipSpace();
        this.expect(':');
        const otherwise = this.parseExpression();
        return { type: 'conditional', condition, whenTrue: then, whenFalse: otherwise, text: this.slice(start) };
      }
      return condition;
    } finally {
      this.depth--;
    }
  }

  private parseBinary(level: number): Expr {
    if (level >= PRECEDENCE.length) return this.parseUnary();
    const start = this.skipSpace();
    let left = this.parseBinary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = PRECEDENCE[level].find((candidate) => this.src.startsWith(candidate, this.pos) && !this.isOtherOperator(candidate));
      if (!op) return left;
      this.pos += op.length;
      const right = this.parseBinary(level + 1);
      left = { type: 'binary', op, left, right, text: this.slice(start) };
    }
  }

  /** `>` of `>=`, `=` of `=>`, `/` of a comment are not the shorter operator. */
  private isOtherOperator(op: string): boolean {
    const after = this.src[this.pos + op.length];
    if ((op === '>' || op === '<') && after === '=') return true;
    if (op === '/' && (after === '/' || after === '*')) return true;
    return false;
  }

  private parseUnary(): Expr {
    const start = this.skipSpace();
    const char = this.src[this.pos];
    if ((char === '-' || char === '!') && this.src[this.pos + 1] !== '=') {
      this.pos++;
      const operand = this.parseUnary();
      return { type: 'unary', op: char, operand, text: this.slice(start) };
    }
    return this.parsePostfix(this.parsePrimary(), start);
  }

  /** Attribute access, indexes and splats after a term. */
  private parsePostfix(term: Expr, start: number): Expr {
    let expr = term;
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.peek('.') && !this.src.startsWith('...', this.pos)) {
        this.pos++;
        this.skipSpace();
        if (this.peek('*')) {
          this.pos++;
          expr = this.parseSplat(expr, start, false);
          continue;
        }
        const number = /^\d+/.exec(this.src.slice(this.pos));
        if (number) {
          // Legacy index syntax: `list.0`.
          this.pos += number[0].length;
          expr = { type: 'index', target: expr, key: { type: 'literal', value: Number(number[0]), text: number[0] }, text: this.slice(start) };
          continue;
        }
        expr = { type: 'getattr', target: expr, name: this.readIdentifier(), text: this.slice(start) };
      } else if (this.peek('[')) {
        this.pos++;
        this.skipSpace();
        if (this.peek('*')) {
          this.pos++;
          this.skipSpace();
          this.expect(']');
          expr = this.parseSplat(expr, start, true);
          continue;
        }
        const key = this.parseExpression();
        this.skipSpace();
        this.expect(']');
        expr = { type: 'index', target: expr, key, text: this.slice(start) };
      } else {
        this.pos = save;
        return expr;
      }
    }
  }

  /** The accessors after `[*]` (attributes and indexes) or `.*` (attributes only) apply to each element. */
  private parseSplat(target: Expr, start: number, full: boolean): Expr {
    let each: Expr = { type: 'splat-item', text: '' };
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.peek('.') && !this.src.startsWith('...', this.pos)) {
        this.pos++;
        this.skipSpace();
        each = { type: 'getattr', target: each, name: this.readIdentifier(), text: '' };
      } else if (full && this.peek('[')) {
        this.pos++;
        const key = this.parseExpression();
        this.skipSpace();
        this.expect(']');
        each = { type: 'index', target: each, key, text: '' };
      } else {
        this.pos = save;
        break;
      }
    }
    return { type: 'splat', target, each, text: this.slice(start) };
  }

  private parsePrimary(): Expr {
    const start = this.skipSpace();
    const char = this.src[this.pos];
    if (char === undefined) throw new HclExpressionError('unexpected end of expression');
    if (char === '(') {
      this.pos++;
      const inner = this.parseExpression();
      this.skipSpace();
      this.expect(')');
      return { ...inner, text: this.slice(start) };
    }
    if (char === '"') {
      this.pos++;
      const template = this.parseTemplate('"', true);
      this.expect('"');
      return { ...template, text: this.slice(start) };
    }
    if (char === '<' && this.src[this.pos + 1] === '<') return this.parseHeredoc(start);
    if (char === '[') return this.parseTuple(start);
    if (char === '{') return this.parseObject(start);
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return { type: 'literal', value: Number(number[0]), text: number[0] };
    }
    const name = this.readIdentifier();
    if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true', text: name };
    if (name === 'null') return { type: 'literal', value: null, text: name };
    // Provider-defined functions: `provider::aws::arn_parse(...)`.
    let callee = name;
    while (this.src.startsWith('::', this.pos)) {
      this.pos += 2;
      callee += `::${this.readIdentifier()}`;
    }
    const save = this.pos;
    this.skipSpace();
    if (this.peek('(')) {
      this.pos++;
      return this.parseCall(callee, start);
    }
    this.pos = save;
    return { type: 'variable', name: callee, text: name };
  }

  private parseCall(name: string, start: number): Expr {
    const args: Expr[] = [];
    let expand = false;
    for (;;) {
      this.skipSpace();
      if (this.peek(')')) break;
      args.push(this.parseExpression());
      this.skipSpace();
      if (this.src.startsWith('...', this.pos)) {
        expand = true;
        this.pos += 3;
        this.skipSpace();
      }
      if (this.peek(',')) this.pos++;
      else break;
    }
    this.skipSpace();
    this.expect(')');
    return { type: 'call', name, args, expand, text: this.slice(start) };
  }

  private parseTuple(start: number): Expr {
    this.pos++;
    this.skipSpace();
    if (this.isKeyword('for')) return this.parseFor(start, false);
    const items: Expr[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek(']')) break;
      items.push(this.parseExpression());
      this.skipSpace();
      if (this.peek(',')) this.pos++;
    }
    this.expect(']');
    return { type: 'tuple', items, text: this.slice(start) };
  }

  private parseObject(start: number): Expr {
    this.pos++;
    this.skipSpace();
    if (this.isKeyword('for')) return this.parseFor(start, true);
    const items: { key: Expr; value: Expr }[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek('}')) break;
      let key = this.parseExpression();
      // A bare name as a key is the name itself, not a variable.
      if (key.type === 'variable') key = { type: 'literal', value: key.name, text: key.text };
      this.skipSpace();
      if (this.peek('=') || this.peek(':')) this.pos++;
      else throw new HclExpressionError(`expected = or : after object key ${key.text}`);
      const value = this.parseExpression();
      items.push({ key, value });
      this.skipSpace();
      if (this.peek(',')) this.pos++;
    }
    this.expect('}');
    return { type: 'object', items, text: this.slice(start) };
  }

  /** `[for v in c : x if cond]`, `{for k, v in c : key => value... if cond}`. */
  private parseFor(start: number, object: boolean): Expr {
    this.pos += 3;
    this.skipSpace();
    let valueVar = this.readIdentifier();
    let keyVar: string | undefined;
    this.skipSpace();
    if (this.peek(',')) {
      this.pos++;
      this.skipSpace();
      keyVar = valueVar;
      valueVar = this.readIdentifier();
      this.skipSpace();
    }
    if (!this.isKeyword('in')) throw new HclExpressionError('expected `in` in for expression');
    this.pos += 2;
    const collection = this.parseExpression();
    this.skipSpace();
    this.expect(':');
    let key: Expr | undefined;
    let value = this.parseExpression();
    let group = false;
    if (object) {
      this.skipSpace();
      this.expect('=>');
      key = value;
      value = this.parseExpression();
      this.skipSpace();
      if (this.src.startsWith('...', this.pos)) {
        group = true;
        this.pos += 3;
      }
    }
    this.skipSpace();
    let condition: Expr | undefined;
    if (this.isKeyword('if')) {
      this.pos += 2;
      condition = this.parseExpression();
      this.skipSpace();
    }
    this.expect(object ? '}' : ']');
    return { type: 'for', keyVar, valueVar, collection, key, value, condition, group, text: this.slice(start) };
  }

  /** `<<EOT` / `<<-EOT` (indentation removed) up to the marker line. */
  private parseHeredoc(start: number): Expr {
    const head = /^<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(this.src.slice(this.pos));
    if (!head) throw new HclExpressionError('malformed heredoc');
    this.pos += head[0].length;
    const template = this.parseTemplate({ heredoc: head[2] }, true);
    const endLine = /^[^\n]*/.exec(this.src.slice(this.pos))![0];
    this.pos += endLine.length;
    const text = this.slice(start);
    if (head[1] !== '-') return { ...template, text };
    return { ...stripIndent(template), text };
  }

  private readEscape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    switch (next) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
      case 'U': {
        const length = next === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + length);
        this.pos += length;
        const code = Number.parseInt(hex, 16);
        return Number.isFinite(code) ? String.fromCodePoint(code) : '';
      }
      default:
        return next ?? '';
    }
  }

  /** Past a `%{ ... }` directive (its braces balanced, strings inside skipped). */
  private skipBalanced(): void {
    let depth = 0;
    while (this.pos < this.src.length) {
      const char = this.src[this.pos++];
      if (char === '{') depth++;
      else if (char === '}' && --depth === 0) return;
      else if (char === '"') {
        while (this.pos < this.src.length && this.src[this.pos] !== '"') this.pos += this.src[this.pos] === '\\' ? 2 : 1;
        this.pos++;
      }
    }
  }

  /** Spaces, line breaks and comments; returns the position after them. */
  private skipSpace(): number {
    for (;;) {
      const char = this.src[this.pos];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.pos++;
      else if (char === '#' || (char === '/' && this.src[this.pos + 1] === '/')) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else if (char === '/' && this.src[this.pos + 1] === '*') {
        const close = this.src.indexOf('*/', this.pos + 2);
        this.pos = close < 0 ? this.src.length : close + 2;
      } else return this.pos;
    }
  }

  /** The `~` strip markers of `${~ x ~}`. */
  private skipStrip(): void {
    this.skipSpace();
    if (this.peek('~')) this.pos++;
    this.skipSpace();
  }

  private readIdentifier(): string {
    const match = /^[A-Za-z_][\w-]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!match) throw new HclExpressionError(`unexpected ${JSON.stringify(this.src.slice(this.pos, this.pos + 10))}`);
    this.pos += match[0].length;
    return match[0];
  }

  private isKeyword(word: string): boolean {
    return this.src.startsWith(word, this.pos) && !/[\w-]/.test(this.src[this.pos + word.length] ?? '');
  }

  private peek(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  private expect(text: string): void {
    if (!this.src.startsWith(text, this.pos)) {
      throw new HclExpressionError(`expected ${text} at ${JSON.stringify(this.src.slice(this.pos, this.pos + 10))}`);
    }
    this.pos += text.length;
  }

  private atLineStart(): boolean {
    return this.pos === 0 || this.src[this.pos - 1] === '\n';
  }

  private restOfLine(): string {
    const end = this.src.indexOf('\n', this.pos);
    return this.src.slice(this.pos, end < 0 ? undefined : end);
  }

  private slice(start: number): string {
    return this.src.slice(start, this.pos).trim();
  }
}

/** `<<-EOT`: the smallest indentation of the literal lines is removed from every line. */
function stripIndent(template: Expr): Expr {
  if (template.type !== 'literal' && template.type !== 'template') return template;
  const parts = template.type === 'literal' ? [String(template.value)] : template.parts;
  const literalText = parts.filter((part): part is string => typeof part === 'string').join('');
  const indents = literalText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^[ \t]*/.exec(line)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  if (indent === 0) return template;
  const strip = (text: string, atStart: boolean) =>
    text.replace(/(^|\n)[ \t]*/g, (match, lineBreak: string, offset: number) =>
      offset === 0 && !atStart ? match : lineBreak + match.slice(lineBreak.length).slice(indent),
    );
  let atStart = true;
  const stripped = parts.map((part) => {
    if (typeof part !== 'string') {
      atStart = false;
      return part;
    }
    const result = strip(part, atStart);
    atStart = part.endsWith('\n');
    return result;
  });
  if (template.type === 'literal') return { ...template, value: stripped[0] as string };
  return { ...template, parts: stripped };
}
