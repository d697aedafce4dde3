/**
 * A small evaluator of DynamoDB expressions over plain (unmarshalled) items: enough for the fake tables of a
 * simulation. Update expressions: `SET` (with `+`, `-`, `if_not_exists`, `list_append`), `ADD`, `REMOVE`, `DELETE`.
 * Key conditions and filters: comparisons, `BETWEEN`, `IN`, `AND`/`OR`/`NOT`, parentheses, `begins_with`,
 * `contains`, `attribute_exists`, `attribute_not_exists`, `size`. Paths are top-level or dotted names.
 */

export type Item = Record<string, unknown>;

export interface ExpressionContext {
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

type Token = { kind: 'word' | 'name' | 'value' | 'op' | 'punct'; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(#[\w]+)|(:[\w]+)|(<>|<=|>=|=|<|>|\+|-)|([(),.[\]])|([A-Za-z_][\w]*|\d+))/gy;
  let match: RegExpExecArray | null;
  let index = 0;
  while (index < expression.length && (match = pattern.exec(expression)) !== null) {
    index = pattern.lastIndex;
    if (match[1]) tokens.push({ kind: 'name', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'value', text: match[2] });
    else if (match[3]) tokens.push({ kind: 'op', text: match[3] });
    else if (match[4]) tokens.push({ kind: 'punct', text: match[4] });
    else if (match[5]) tokens.push({ kind: 'word', text: match[5] });
  }
  if (expression.slice(index).trim() !== '') throw new Error(`cannot read the expression near "${expression.slice(index, index + 20)}"`);
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly context: ExpressionContext,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new Error('the expression ends too early');
    return token;
  }

  isWord(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && token.text.toUpperCase() === text;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new Error(`expected "${text}", found "${token.text}"`);
  }

  done(): boolean {
    return this.position >= this.tokens.length;
  }

  /** A document path: `a`, `#a`, `a.b`, `a[0]`. */
  path(): string[] {
    const parts: string[] = [this.pathPart()];
    while (this.peek()?.text === '.' || this.peek()?.text === '[') {
      if (this.next().text === '.') parts.push(this.pathPart());
      else {
        parts.push(this.next().text);
        this.expect(']');
      }
    }
    return parts;
  }

  private pathPart(): string {
    const token = this.next();
    if (token.kind === 'name') {
      const name = this.context.names?.[token.text];
      if (name === undefined) throw new Error(`${token.text} is not in ExpressionAttributeNames`);
      return name;
    }
    if (token.kind !== 'word') throw new Error(`expected an attribute name, found "${token.text}"`);
    return token.text;
  }

  /** An operand: a value placeholder, a path, or a function call. */
  operand(item: Item): unknown {
    const token = this.peek();
    if (token?.kind === 'value') {
      this.next();
      if (!this.context.values || !(token.text in this.context.values)) throw new Error(`${token.text} is not in ExpressionAttributeValues`);
      return this.context.values[token.text];
    }
    if (token?.kind === 'word' && this.peek(1)?.text === '(') {
      const name = this.next().text;
      this.expect('(');
      if (name === 'if_not_exists') {
        const path = this.path();
        this.expect(',');
        const fallback = this.operand(item);
        this.expect(')');
        const current = getPath(item, path);
        return current === undefined ? fallback : current;
      }
      if (name === 'list_append') {
        const first = this.operand(item);
        this.expect(',');
        const second = this.operand(item);
        this.expect(')');
        return [...toList(first), ...toList(second)];
      }
      if (name === 'size') {
        const value = getPath(item, this.path());
        this.expect(')');
        return typeof value === 'string' || Array.isArray(value) ? value.length : value instanceof Set ? value.size : value && typeof value === 'object' ? Object.keys(value).length : undefined;
      }
      throw new Error(`the function ${name} is not supported here`);
    }
    return getPath(item, this.path());
  }

  /** An operand, possibly `a + b` or `a - b` (SET only). */
  arithmetic(item: Item): unknown {
    const left = this.operand(item);
    const op = this.peek();
    if (op?.text === '+' || op?.text === '-') {
      this.next();
      const right = this.operand(item);
      const a = Number(left ?? 0);
      const b = Number(right ?? 0);
      return op.text === '+' ? a + b : a - b;
    }
    return left;
  }

  /** A condition (key condition, filter, condition expression). */
  condition(item: Item): boolean {
    let result = this.conjunction(item);
    while (this.isWord('OR')) {
      this.next();
      const right = this.conjunction(item);
      result = result || right;
    }
    return result;
  }

  private conjunction(item: Item): boolean {
    let result = this.negation(item);
    while (this.isWord('AND')) {
      this.next();
      const right = this.negation(item);
      result = result && right;
    }
    return result;
  }

  private negation(item: Item): boolean {
    if (this.isWord('NOT')) {
      this.next();
      return !this.negation(item);
    }
    return this.comparison(item);
  }

  private comparison(item: Item): boolean {
    if (this.peek()?.text === '(') {
      this.next();
      const result = this.condition(item);
      this.expect(')');
      return result;
    }
    const token = this.peek();
    if (token?.kind === 'word' && this.peek(1)?.text === '(' && ['attribute_exists', 'attribute_not_exists', 'begins_with', 'contains', 'attribute_type'].includes(token.text)) {
      const name = this.next().text;
      this.expect('(');
      if (name === 'attribute_exists' || name === 'attribute_not_exists') {
        const exists = getPath(item, this.path()) !== undefined;
        this.expect(')');
        return name === 'attribute_exists' ? exists : !exists;
      }
      const first = this.operand(item);
      this.expect(',');
      const second = this.operand(item);
      this.expect(')');
      if (name === 'begins_with') return typeof first === 'string' && typeof second === 'string' && first.startsWith(second);
      if (name === 'contains') return typeof first === 'string' ? typeof second === 'string' && first.includes(second) : Array.isArray(first) ? first.some((value) => equals(value, second)) : first instanceof Set ? first.has(second) : false;
      return true;
    }
    const left = this.operand(item);
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.operand(item);
      if (!this.isWord('AND')) throw new Error('expected AND in BETWEEN');
      this.next();
      const high = this.operand(item);
      return compare(left, low) >= 0 && compare(left, high) <= 0;
    }
    if (this.isWord('IN')) {
      this.next();
      this.expect('(');
      const values = [this.operand(item)];
      while (this.peek()?.text === ',') {
        this.next();
        values.push(this.operand(item));
      }
      this.expect(')');
      return values.some((value) => equals(left, value));
    }
    const op = this.next().text;
    const right = this.operand(item);
    if (left === undefined || right === undefined) return op === '<>' && !(left === undefined && right === undefined);
    switch (op) {
      case '=':
        return equals(left, right);
      case '<>':
        return !equals(left, right);
      case '<':
        return compare(left, right) < 0;
      case '<=':
        return compare(left, right) <= 0;
      case '>':
        return compare(left, right) > 0;
      case '>=':
        return compare(left, right) >= 0;
      default:
        throw new Error(`unknown comparison ${op}`);
    }
  }
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function equals(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function getPath(item: Item, path: readonly string[]): unknown {
  let current: unknown = item;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setPath(item: Item, path: readonly string[], value: unknown): void {
  let current: Record<string, unknown> = item;
  for (const part of path.slice(0, -1)) {
    if (current[part] === null || typeof current[part] !== 'object') current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

function removePath(item: Item, path: readonly string[]): void {
  const parent = path.length === 1 ? item : getPath(item, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path[path.length - 1]!];
}

/** Whether `item` satisfies the condition; an absent expression always holds. */
export function evaluateCondition(expression: string | undefined, item: Item, context: ExpressionContext): boolean {
  if (!expression) return true;
  const parser = new Parser(tokenize(expression), context);
  const result = parser.condition(item);
  if (!parser.done()) throw new Error(`unexpected "${parser.peek()?.text}" in the condition`);
  return result;
}

/** Applies an update expression to a copy of `item`; returns the copy. */
export function applyUpdate(expression: string, item: Item, context: ExpressionContext): Item {
  const updated = structuredClone(item);
  const parser = new Parser(tokenize(expression), context);
  while (!parser.done()) {
    const clause = parser.next().text.toUpperCase();
    do {
      if (parser.peek()?.text === ',') parser.next();
      if (clause === 'SET') {
        const path = parser.path();
        parser.expect('=');
        // Operands read the item as it was before the update, as DynamoDB does.
        setPath(updated, path, parser.arithmetic(item));
      } else if (clause === 'REMOVE') {
        removePath(updated, parser.path());
      } else if (clause === 'ADD' || clause === 'DELETE') {
        const path = parser.path();
        const value = parser.operand(item);
        const current = getPath(updated, path);
        if (clause === 'ADD' && typeof value === 'number') setPath(updated, path, Number(current ?? 0) + value);
        else if (value instanceof Set) {
          const set = new Set(current instanceof Set ? current : []);
          for (const entry of value) {
            if (clause === 'ADD') set.add(entry);
            else set.delete(entry);
          }
          setPath(updated, path, set);
        }
      } else {
        throw new Error(`unknown update clause ${clause}`);
      }
    } while (parser.peek()?.text === ',');
  }
  return updated;
}
