/**
 * A small HCL writer for the Terraform generator: blocks, attributes and expressions, laid out as `terraform fmt`
 * does (two-space indent, `=` aligned within a run of one-line attributes), so the output needs no reformatting.
 */

/** An HCL expression, written as is (`aws_iam_role.x.arn`, `"text"`, `["a", "b"]`). */
export type HclExpr = string;

export type HclItem =
  | { kind: 'attribute'; name: string; value: HclExpr }
  | { kind: 'block'; type: string; labels: string[]; body: HclItem[] }
  | { kind: 'comment'; text: string }
  | { kind: 'blank' };

export function attribute(name: string, value: HclExpr): HclItem {
  return { kind: 'attribute', name, value };
}

export function block(type: string, labels: string[], body: HclItem[]): HclItem {
  return { kind: 'block', type, labels, body };
}

export function comment(text: string): HclItem {
  return { kind: 'comment', text };
}

export const blank: HclItem = { kind: 'blank' };

/** A quoted string literal: `${` and `%{` are escaped so Terraform does not read them as template syntax. */
export function quote(text: string): HclExpr {
  return JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** Indents the lines after the first of a multi-line expression (nested values are written at column 0). */
function nest(value: HclExpr, indent = '  '): HclExpr {
  return value.replace(/\n/g, `\n${indent}`);
}

/** A list expression, one item per line when it does not fit on one. */
export function list(items: readonly HclExpr[]): HclExpr {
  const inline = `[${items.join(', ')}]`;
  if (inline.length <= 100 && !items.some((item) => item.includes('\n'))) return inline;
  return `[\n${items.map((item) => `  ${nest(item)},`).join('\n')}\n]`;
}

/** An object expression `{ key = value }`, one entry per line, `=` aligned. */
export function object(entries: readonly [string, HclExpr][]): HclExpr {
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([key]) => toKey(key).length));
  return `{\n${entries.map(([key, value]) => `  ${toKey(key).padEnd(width)} = ${nest(value)}`).join('\n')}\n}`;
}

function toKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

function render(items: readonly HclItem[], indent: string): string[] {
  const lines: string[] = [];
  let run: { name: string; value: HclExpr }[] = [];
  const flush = () => {
    const single = run.filter((entry) => !entry.value.includes('\n'));
    const width = single.length > 0 ? Math.max(...single.map((entry) => entry.name.length)) : 0;
    for (const entry of run) {
      const name = entry.value.includes('\n') ? entry.name : entry.name.padEnd(width);
      lines.push(`${indent}${name} = ${nest(entry.value, indent)}`);
    }
    run = [];
  };
  for (const item of items) {
    if (item.kind === 'attribute') {
      // A multi-line value ends an alignment run, as in `terraform fmt`.
      if (item.value.includes('\n')) {
        flush();
        run.push(item);
        flush();
      } else run.push(item);
      continue;
    }
    flush();
    if (item.kind === 'blank') lines.push('');
    else if (item.kind === 'comment') lines.push(...item.text.split('\n').map((line) => `${indent}# ${line}`.trimEnd()));
    else {
      const labels = item.labels.map((label) => ` ${JSON.stringify(label)}`).join('');
      if (item.body.length === 0) lines.push(`${indent}${item.type}${labels} {}`);
      else lines.push(`${indent}${item.type}${labels} {`, ...render(item.body, `${indent}  `), `${indent}}`);
    }
  }
  flush();
  return lines;
}

/** A whole file; top-level blocks are separated by a blank line. */
export function renderHcl(items: readonly HclItem[]): string {
  const spaced: HclItem[] = [];
  items.forEach((item, index) => {
    if (index > 0 && item.kind === 'block' && items[index - 1]?.kind === 'block') spaced.push(blank);
    spaced.push(item);
  });
  return `${render(spaced, '').join('\n')}\n`;
}
