import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/iac/terraform/parse-hcl.js';
import { toPrintable, toPrintableValue } from '../../src/format/printable.js';
import { renderText } from '../../src/format/text.js';
import { readConfigJson } from '../../src/read-config-json.js';
import { createRootReader } from '../../src/root-reader.js';
import { parseSource } from '../../src/summarize/parse.js';
import { buildSampleGraph } from '../helpers/sample-graph.js';

/** Unit tests for the guards the bad-input corpus (corpus.test.ts) exercises end to end. */

describe('parseHcl nesting guard', () => {
  const queue = 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n';

  it('blanks a block nested deeper than the limit before the WebAssembly parser sees it (it would kill the process)', async () => {
    const deep = `locals {\n  x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`;
    const result = await parseHcl('main.tf', `${queue}${deep}${queue.replaceAll('jobs', 'mail')}`, 500);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', file: 'main.tf', line: 5 })]);
    expect(Object.keys((result.body.resource as { aws_sqs_queue: object }).aws_sqs_queue)).toEqual(['jobs', 'mail']);
  });

  it('counts interpolations as nesting, and leaves files within the limit alone', async () => {
    const interpolations = `locals {\n  x = "${'${'.repeat(600)}1${'}'.repeat(600)}"\n}\n`;
    expect((await parseHcl('a.tf', interpolations, 500)).diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', line: 2 })]);
    const shallow = `locals {\n  x = ${'['.repeat(20)}${']'.repeat(20)}\n}\n`;
    expect((await parseHcl('b.tf', shallow, 500)).diagnostics).toEqual([]);
  });

  it('gives up on the rest of a tfvars file whose deep value is not in a block', async () => {
    const result = await parseHcl('x.tfvars', `a = "ok"\nb = ${'{ k = '.repeat(700)}1${'}'.repeat(700)}\n`, 500);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', line: 2 })]);
    expect(result.body).toEqual({ a: 'ok' });
  });
});

describe('parseSource on a file too deep for the parser', () => {
  it('gives a too-deep diagnostic at the deepest line instead of throwing, and reads the rest of the file', () => {
    const text = `const a = 1;\nconst b = 2;\nexport const x = ${'['.repeat(20_000)}${']'.repeat(20_000)};\nexport const y = 3;\n`;
    const result = parseSource('deep.js', text);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', file: 'deep.js', line: 3, hint: 'line 3 skipped; the rest of the file was analysed' })]);
    expect(result.ast?.program.body.length).toBe(3);
  });

  it('gives a too-deep diagnostic when nothing can be kept', () => {
    const result = parseSource('deep.js', `export const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};`);
    expect(result.ast?.program.body ?? []).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ code: 'too-deep', file: 'deep.js', line: 1 });
  });
});

describe('readConfigJson', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'l2s-config-'));
  const files: Record<string, string> = {
    'ok.json': '{ "name": "a" }',
    'comments.json': '{\n  // a comment\n  "paths": { "@x/*": ["src/*"], },\n  /* block */\n}\n',
    'broken.json': '{\n  "name": "a",\n  "version": \n}\n',
    'truncated.json': '{\n  "name": "a",\n',
    'broken-after-comment.json': '// note\n{\n  "a": 1\n  "b": 2\n}\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  const reader = createRootReader(root, 1_000_000);

  it('reads JSON with comments and trailing commas', () => {
    expect(readConfigJson(reader, 'ok.json')).toEqual({ value: { name: 'a' }, diagnostics: [] });
    expect(readConfigJson(reader, 'comments.json')).toEqual({ value: { paths: { '@x/*': ['src/*'] } }, diagnostics: [] });
  });

  it.each([
    ['broken.json', 4],
    ['truncated.json', 3],
    ['broken-after-comment.json', 4],
  ])('reports %s as config-invalid at line %i', (file, line) => {
    const result = readConfigJson(reader, file);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'config-invalid', severity: 'warning', file, line })]);
  });

  it('reports a missing file as unreadable', () => {
    expect(readConfigJson(reader, 'missing.json').diagnostics).toEqual([expect.objectContaining({ code: 'unreadable', file: 'missing.json' })]);
  });
});

describe('printable text output', () => {
  it('escapes line breaks, escape sequences, C1 controls and bidi overrides, and keeps the rest', () => {
    expect(toPrintable('a\nb\r\u001b[31mred\u0085\u202eevil\ttab é')).toBe('a\\nb\\r\\u001b[31mred\\u0085\\u202eevil\ttab é');
    expect(toPrintableValue({ list: ['x\u0007'], n: 1 })).toEqual({ list: ['x\\u0007'], n: 1 });
  });

  it('keeps every name from the analysed code on one line in the text format', () => {
    const graph = buildSampleGraph();
    graph.nodes[0].id = 'evil\n  fake ─invoke-sync→ line\u001b]0;title\u0007';
    const text = renderText(graph);
    expect([...text].filter((char) => char < ' ' && char !== '\n')).toEqual([]);
    expect(text).toContain('evil\\n  fake ─invoke-sync→ line\\u001b]0;title\\u0007');
  });
});
