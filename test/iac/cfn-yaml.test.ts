import { describe, expect, it } from 'vitest';
import { blankJsonComments, parseYaml, type ParsedYaml } from '../../src/iac/cfn-yaml.js';
import { SourceMap } from '../../src/iac/source-map.js';
import { DEFAULT_LIMITS, type AnalysisLimits } from '../../src/types/analyzers.js';

function parse(text: string, options: { json?: boolean; limits?: Partial<AnalysisLimits> } = {}): ParsedYaml & { sourceMap: SourceMap } {
  const sourceMap = new SourceMap();
  const result = parseYaml(text, { file: 'template.yaml', limits: { ...DEFAULT_LIMITS, ...options.limits }, sourceMap, json: options.json });
  return { ...result, sourceMap };
}

function parseValue(text: string): unknown {
  const result = parse(`v: ${text}\n`);
  expect(result.diagnostics).toEqual([]);
  return (result.value as { v: unknown }).v;
}

describe('short-form tags become the long form', () => {
  it.each([
    ['!Ref Queue', { Ref: 'Queue' }],
    ['!GetAtt Queue.Arn', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Queue, QueueName]', { 'Fn::GetAtt': ['Queue', 'QueueName'] }],
    ['!GetAtt ${self:custom.queue}.Arn', { 'Fn::GetAtt': ['${self:custom.queue}', 'Arn'] }],
    ["!Sub '${AWS::StackName}-orders'", { 'Fn::Sub': '${AWS::StackName}-orders' }],
    ['!Sub [ "${Name}-x", { Name: !Ref P } ]', { 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'P' } }] }],
    ["!Join ['-', [a, !Ref B]]", { 'Fn::Join': ['-', ['a', { Ref: 'B' }]] }],
    ['!If [IsProd, a, b]', { 'Fn::If': ['IsProd', 'a', 'b'] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ["!Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ['!ImportValue shared-queue-arn', { 'Fn::ImportValue': 'shared-queue-arn' }],
    ['!FindInMap [Sizes, !Ref Env, Memory]', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
    ['!Ref 5', { Ref: '5' }],
    ['!!str 12', '12'],
    ['12', 12],
  ])('%s', (text, expected) => {
    expect(parseValue(text)).toEqual(expected);
  });
});

describe('unknown tags', () => {
  it('keep the value and give a warning at the line', () => {
    const result = parse('a: 1\nb: !Upper text\nc: !Custom { k: v }\n');
    expect(result.ok).toBe(true);
    expect(result.value).toEqual({ a: 1, b: 'text', c: { k: 'v' } });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['yaml-unknown-tag', 'warning', 2],
      ['yaml-unknown-tag', 'warning', 3],
    ]);
    expect(result.diagnostics[0].message).toContain('!Upper');
  });
});

describe('duplicate keys', () => {
  it('keep the last value and warn at the repeated key', () => {
    const result = parse('a: 1\nb:\n  x: first\n  x: second\na: 2\n');
    expect(result.value).toEqual({ a: 2, b: { x: 'second' } });
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['yaml-duplicate-key', 4],
      ['yaml-duplicate-key', 5],
    ]);
    expect(result.sourceMap.getKey(result.value, 'a')?.line).toBe(5);
  });
});

describe('syntax errors', () => {
  it('give yaml-error with the line and no value', () => {
    const result = parse('a: 1\nb: [1, 2\nc: 3\n');
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'yaml-error', severity: 'error', file: 'template.yaml', line: 3 });
    expect(result.diagnostics[0].message).not.toMatch(/at line/);
  });

  it('reject several documents in one file', () => {
    expect(parse('a: 1\n---\nb: 2\n').diagnostics[0]).toMatchObject({ code: 'yaml-error', line: 2 });
  });

  it('read an alias without its anchor as null, with an error', () => {
    const result = parse('a: *nowhere\nb: 2\n');
    expect(result.value).toEqual({ a: null, b: 2 });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-error', severity: 'error', line: 1 })]);
  });

  it('read an empty document as null', () => {
    expect(parse('# only a comment\n')).toMatchObject({ ok: true, value: null, diagnostics: [] });
  });
});

describe('aliases', () => {
  it('share the anchored value', () => {
    const result = parse('base: &base { a: 1 }\ncopy: *base\n');
    const value = result.value as { base: unknown; copy: unknown };
    expect(value.copy).toEqual({ a: 1 });
    expect(value.copy).toBe(value.base);
  });

  it('count nested expansions, not alias nodes', () => {
    // b costs 3, c costs 3 × (1 + 3) = 12, d costs 3 × (1 + 12) = 39: 54 expansions from 9 alias nodes.
    const text = ['a: &a [x, x, x]', 'b: &b [*a, *a, *a]', 'c: &c [*b, *b, *b]', 'd: [*c, *c, *c]'].join('\n');
    expect(parse(text, { limits: { maxYamlAliases: 54 } }).ok).toBe(true);
    const refused = parse(text, { limits: { maxYamlAliases: 53 } });
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-too-many-aliases', severity: 'error', line: 4 })]);
  });
});

describe('merge keys', () => {
  it('merge anchored maps; explicit keys win whatever their order', () => {
    const text = 'defaults: &d { memorySize: 256, timeout: 6 }\nfn:\n  timeout: 30\n  <<: *d\n  handler: h.handler\n';
    const result = parse(text);
    expect((result.value as { fn: unknown }).fn).toEqual({ timeout: 30, handler: 'h.handler', memorySize: 256 });
    expect(result.sourceMap.getKey((result.value as { fn: object }).fn, 'memorySize')?.line).toBe(1);
  });

  it('merge a list of maps, the first one winning', () => {
    const result = parse('a: &a { x: 1 }\nb: &b { x: 2, y: 2 }\nc:\n  <<: [*a, *b]\n');
    expect((result.value as { c: unknown }).c).toEqual({ x: 1, y: 2 });
  });
});

describe('nesting depth', () => {
  it('refuses flow nesting deeper than the limit before parsing (the parser itself would run out of memory)', () => {
    const deep = `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const result = parse(deep);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-too-deep', line: 1 })]);
  });

  it('refuses block nesting deeper than the limit', () => {
    const lines = Array.from({ length: 30 }, (_, index) => `${' '.repeat(index)}k${index}:`);
    const result = parse(`${lines.join('\n')} end\n`, { limits: { maxDepth: 10 } });
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'yaml-too-deep' });
  });

  it('refuses block nesting deep enough to exhaust the parser before parsing, at the deepest line', () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `${' '.repeat(index)}- `);
    const result = parse(`a:\n${lines.join('\n')}x\n`);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-too-deep', line: 5001 })]);
  });

  it('counts compact nested sequences (`- - - x`) as nesting', () => {
    const result = parse(`a:\n  ${'- '.repeat(10_000)}x\n`);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-too-deep', line: 2 })]);
    expect(parse('a:\n  - - - x\n').value).toEqual({ a: [[['x']]] });
  });

  it('does not count block scalars, comments and blank lines as nesting', () => {
    const text = `a:\n  b: |\n${'    text\n'.repeat(1000)}\n  # comment\n  c: 1\n`;
    expect(parse(text, { limits: { maxDepth: 3 } }).diagnostics).toEqual([]);
  });
});

describe('locations', () => {
  it('give the 1-based line of every key, list item and object', () => {
    const text = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Fn:\n    Events:\n      - sqs: x\n      - http: y\n';
    const { value, sourceMap } = parse(text);
    const resources = (value as { Resources: Record<string, { Events?: unknown[] }> }).Resources;
    expect(sourceMap.getKey(resources, 'Queue')?.line).toBe(2);
    expect(sourceMap.getKey(resources, 'Fn')?.line).toBe(4);
    const events = resources.Fn.Events as object[];
    expect(sourceMap.getKey(events, 1)?.line).toBe(7);
    expect(sourceMap.getNode(events[0])?.line).toBe(6);
    expect(sourceMap.locate(resources, 'Queue', { file: 'x', line: 99 })).toEqual({ file: 'template.yaml', line: 2 });
    expect(sourceMap.locate(resources, 'Missing', { file: 'x', line: 99 })).toEqual({ file: 'template.yaml', line: 2 });
  });
});

describe('JSON templates', () => {
  it('tolerate // and /* */ comments, keeping lines, and leave // inside strings alone', () => {
    const text = '// header\n{\n  /* block\n     comment */\n  "Url": "https://example.com/x", // trailing\n  "Q": { "Type": "AWS::SQS::Queue" },\n}\n';
    const result = parse(text, { json: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toEqual({ Url: 'https://example.com/x', Q: { Type: 'AWS::SQS::Queue' } });
    expect(result.sourceMap.getKey(result.value, 'Q')?.line).toBe(6);
  });

  it('report errors as json-error with the line', () => {
    const result = parse('{\n  "a": 1\n  "b": 2\n}\n', { json: true });
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'json-error', line: 3 });
  });

  it('blank comments without moving anything', () => {
    const text = '{"a": "//x", /* c */ "b": 1} // end';
    const blanked = blankJsonComments(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe('{"a": "//x",         "b": 1}       ');
    expect(blankJsonComments('"esc \\" // still a string"')).toBe('"esc \\" // still a string"');
  });
});

describe('hostile keys', () => {
  it('keep __proto__ as a plain key', () => {
    const result = parse('__proto__:\n  polluted: true\nsafe: 1\n');
    const value = result.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'safe']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
