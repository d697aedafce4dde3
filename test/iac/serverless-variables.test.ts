import { afterEach, describe, expect, it } from 'vitest';
import { Interpolation, Unresolved } from '../../src/iac/cfn-values.js';
import { parseYaml } from '../../src/iac/cfn-yaml.js';
import { resolveServerlessVariables, splitTopLevel, splitVariables, toRootPath, type ResolvedServerless } from '../../src/iac/serverless-variables.js';
import { SourceMap } from '../../src/iac/source-map.js';
import { DEFAULT_LIMITS } from '../../src/types/analyzers.js';
import { createMemoryRoot, type FixtureRoot } from './fixture-root.js';

interface Resolution extends ResolvedServerless {
  root: FixtureRoot;
}

/** Parses `text` as `file` and resolves its variables, with `files` as the rest of the analysed folder. */
function resolve(text: string, files: Record<string, string> = {}, file = 'serverless.yml'): Resolution {
  const sourceMap = new SourceMap();
  const parsed = parseYaml(text, { file, limits: DEFAULT_LIMITS, sourceMap });
  expect(parsed.diagnostics).toEqual([]);
  const root = createMemoryRoot(files);
  const result = resolveServerlessVariables(parsed.value as Record<string, unknown>, { file, root, limits: DEFAULT_LIMITS, sourceMap });
  return { ...result, root };
}

/** The resolved value of `custom.v`; `extra` holds top-level sections, `custom` more entries of `custom`. */
function resolveValue(value: string, options: { extra?: string; custom?: string; files?: Record<string, string> } = {}): unknown {
  const custom = options.custom ? `\n${options.custom.replace(/^/gm, '  ')}` : '';
  const result = resolve(`service: svc\n${options.extra ?? ''}\ncustom:\n  v: ${value}${custom}\n`, options.files);
  return (result.config.custom as { v: unknown }).v;
}

describe('self', () => {
  it.each<[string, string, unknown]>([
    ['a path into custom', '${self:custom.name}', 'orders'],
    ['the service', '${self:service}-x', 'svc-x'],
    ['a number kept as a number when it is the whole value', '${self:custom.size}', 512],
    ['a number inside text', 'size-${self:custom.size}', 'size-512'],
    ['an object', '${self:custom.obj}', { a: 1 }],
    ['a list item', '${self:custom.list.1}', 'second'],
    ['a computed path (nested variable)', '${self:custom.${sls:stage}.table}', 'dev-table'],
    ['a path through another variable', '${self:custom.alias.a}', 1],
    ['a path that resolves to another variable', '${self:custom.indirect}', 'orders'],
    ['provider.stage when not set: the default stage', '${self:provider.stage}', 'dev'],
  ])('%s', (_name, value, expected) => {
    const extra = [
      'provider:',
      '  name: aws',
      'custom:',
      '  name: orders',
      '  size: 512',
      '  obj: { a: 1 }',
      '  list: [first, second]',
      '  dev: { table: dev-table }',
      '  alias: ${self:custom.obj}',
      '  indirect: ${self:custom.name}',
    ].join('\n');
    const result = resolve(`service: svc\n${extra}\n  v: ${value}\n`);
    expect((result.config.custom as { v: unknown }).v).toEqual(expected);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a missing path as a warning and keeps the variable as unknown', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${self:custom.nothing}\n');
    expect((result.config.custom as { v: unknown }).v).toEqual(new Unresolved('${self:custom.nothing}'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'serverless-variable-unresolved', severity: 'warning', line: 3 })]);
  });

  it('reports cycles instead of hanging', () => {
    const result = resolve('service: svc\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n');
    expect(result.config.custom).toEqual({ a: new Unresolved('${self:custom.b}'), b: new Unresolved('${self:custom.b}') });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['serverless-variable-cycle']);
  });

  it('does not grow exponentially when values double at every level', () => {
    const levels = Array.from({ length: 40 }, (_, index) => `  l${index + 1}: \${self:custom.l${index}}\${self:custom.l${index}}`);
    const result = resolve(`service: svc\ncustom:\n  l0: ab\n${levels.join('\n')}\n`);
    const custom = result.config.custom as Record<string, unknown>;
    expect(custom.l3).toBe('ab'.repeat(8));
    expect(custom.l16).toBeInstanceOf(Unresolved); // 2^17 characters: over the size limit
    expect(JSON.stringify(custom.l40).length).toBeLessThan(200_000); // 2^41 characters without the limit
    expect(result.diagnostics.some((d) => d.code === 'serverless-variable-limit')).toBe(true);
  });
});

describe('stage, region and CLI options', () => {
  it.each<[string, string, string, unknown]>([
    ['sls:stage without provider.stage', '', '${sls:stage}', 'dev'],
    ['sls:stage with provider.stage', 'provider:\n  stage: prod', '${sls:stage}', 'prod'],
    ['sls:stage with provider.stage from opt and a default', "provider:\n  stage: ${opt:stage, 'qa'}", '${sls:stage}', 'qa'],
    ['sls:stage with provider.stage from opt alone', 'provider:\n  stage: ${opt:stage}', '${sls:stage}', 'dev'],
    ["opt:stage with a default: the default (no CLI options)", 'provider:\n  stage: prod', "${opt:stage, 'dev'}", 'dev'],
    ['opt:stage with self fallback', 'provider:\n  stage: prod', '${opt:stage, self:provider.stage}', 'prod'],
    ['opt:stage alone: the configured stage', 'provider:\n  stage: prod', '${opt:stage}', 'prod'],
    ['opt:region alone without provider.region', '', '${opt:region}', 'us-east-1'],
    ['opt:region alone with provider.region', 'provider:\n  region: eu-west-3', '${opt:region}', 'eu-west-3'],
    ["opt:region with a default", 'provider:\n  region: eu-west-3', "${opt:region, 'ap-south-1'}", 'ap-south-1'],
    ['old-style nested fallback', 'provider:\n  stage: prod', '${opt:stage, ${self:provider.stage}}', 'prod'],
  ])('%s', (_name, extra, value, expected) => {
    expect(resolveValue(value, { extra })).toEqual(expected);
  });

  it('reports the resolved stage and region', () => {
    const result = resolve("service: svc\nprovider:\n  stage: ${opt:stage, 'staging'}\n  region: ${opt:region, 'eu-north-1'}\n");
    expect([result.stage, result.region]).toEqual(['staging', 'eu-north-1']);
  });
});

describe('environment variables are never read', () => {
  afterEach(() => {
    delete process.env.L2S_TEST_VARIABLE;
  });

  it('uses the default, whatever the environment holds', () => {
    process.env.L2S_TEST_VARIABLE = 'from-the-machine';
    expect(resolveValue("${env:L2S_TEST_VARIABLE, 'from-the-file'}")).toBe('from-the-file');
  });

  it('keeps a variable without default as unknown, with an info diagnostic', () => {
    process.env.L2S_TEST_VARIABLE = 'from-the-machine';
    const result = resolve('service: svc\ncustom:\n  v: ${env:L2S_TEST_VARIABLE}\n');
    expect((result.config.custom as { v: unknown }).v).toEqual(new Unresolved('${env:L2S_TEST_VARIABLE}'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'serverless-variable-unresolved', severity: 'info', line: 3 })]);
  });
});

describe('fallbacks and literals', () => {
  it.each<[string, unknown]>([
    ['${env:A, env:B, "double"}', 'double'],
    ["${env:A, 'single, with a comma'}", 'single, with a comma'],
    ['${env:A, 42}', 42],
    ['${env:A, true}', true],
    ['${env:A, self:custom.other}', 'other-value'],
    ["${strToBool(${env:A, 'true'})}", true],
    ["${strToBool('false')}", false],
  ])('%s', (value, expected) => {
    expect(resolveValue(value, { custom: 'other: other-value' })).toEqual(expected);
  });
});

describe('values known only at deployment', () => {
  it.each<[string, unknown]>([
    ['${aws:region}', new Unresolved('${aws:region}')],
    ['${aws:accountId}', new Unresolved('${aws:accountId}')],
    ['${ssm:/app/${sls:stage}/url}', new Unresolved('${ssm:/app/dev/url}')],
    ["${ssm:/app/url, 'default'}", new Unresolved("${ssm:/app/url, 'default'}")],
    ['${cf:network-${sls:stage}.VpcId}', new Unresolved('${cf:network-dev.VpcId}')],
    ['${s3:bucket/key}', new Unresolved('${s3:bucket/key}')],
    ['${sls:instanceId}', new Unresolved('${sls:instanceId}')],
    ['arn:aws:sns:${aws:region}:${aws:accountId}:topic', new Interpolation(['arn:aws:sns:', new Unresolved('${aws:region}'), ':', new Unresolved('${aws:accountId}'), ':topic'])],
  ])('%s', (value, expected) => {
    expect(resolveValue(value)).toEqual(expected);
  });

  it('reports an unknown source once', () => {
    const result = resolve('service: svc\ncustom:\n  a: ${mystery:a}\n  b: ${mystery:a}\n');
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['serverless-variable-unknown-source', 3]]);
  });
});

describe('CloudFormation text is left for Fn::Sub', () => {
  it.each([
    ['${AWS::Region}-x'],
    ['${MyQueue.Arn}'],
    ['${!Literal}'],
    ['${stageVariables.backend}'],
    ['unbalanced ${self:custom'],
  ])('%s', (value) => {
    expect(resolveValue(`'${value}'`)).toBe(value);
  });

  it('resolves serverless variables around them', () => {
    expect(resolveValue("!Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${self:service}-${sls:stage}'")).toEqual({
      'Fn::Sub': 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:svc-dev',
    });
  });

  it('keeps an intrinsic used inside text as a piece of an Interpolation', () => {
    expect(resolveValue('queue-${self:custom.arn}', { custom: 'arn: !GetAtt Jobs.Arn' })).toEqual(new Interpolation(['queue-', { 'Fn::GetAtt': ['Jobs', 'Arn'] }]));
  });
});

describe('params', () => {
  it('reads the stage section, then default', () => {
    const extra = 'params:\n  default:\n    level: info\n    color: blue\n  dev:\n    level: debug';
    expect(resolveValue('${param:level}-${param:color}', { extra })).toBe('debug-blue');
    expect(resolveValue("${param:missing, 'fallback'}", { extra })).toBe('fallback');
  });
});

describe('file()', () => {
  const files = {
    'config/dev.yml': 'table: orders-${sls:stage}\nnested:\n  deep: ${file(./config/extra.json):value}\n',
    'config/extra.json': '{ "value": "from-json", "list": [1, 2] }',
    'notes.txt': 'plain text',
    'settings.js': 'module.exports = { a: 1 }',
    'sub/serverless.yml': '',
    'sub/local.yml': 'x: from-sub',
  };

  it.each<[string, unknown]>([
    ['${file(./config/dev.yml):table}', 'orders-dev'],
    ['${file(config/dev.yml):nested.deep}', 'from-json'],
    ["${file('./config/extra.json'):list}", [1, 2]],
    ['${file(./notes.txt)}', 'plain text'],
    ["${file(./config/missing.yml), 'fallback'}", 'fallback'],
    ["${file(./config/missing.yml):a, 'fallback'}", 'fallback'],
  ])('%s', (value, expected) => {
    expect(resolveValue(value, { files })).toEqual(expected);
  });

  it('reads a file once however often it is included', () => {
    const result = resolve('service: svc\ncustom:\n  a: ${file(./config/dev.yml):table}\n  b: ${file(./config/dev.yml):table}\n', files);
    expect(result.root.requests.filter((path) => path === 'config/dev.yml')).toHaveLength(1);
  });

  it('resolves paths from the serverless.yml folder', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${file(./local.yml):x}\n', files, 'sub/serverless.yml');
    expect((result.config.custom as { v: unknown }).v).toBe('from-sub');
    expect(result.root.requests).toEqual(['sub/local.yml']);
  });

  it.each([['../outside.yml'], ['../../outside.yml'], ['/etc/hostname'], ['~/secrets.yml'], ['sub/../../outside.yml']])(
    'refuses %s without asking the reader',
    (path) => {
      const result = resolve(`service: svc\ncustom:\n  v: \${file(${path})}\n`, files);
      expect((result.config.custom as { v: unknown }).v).toEqual(new Unresolved(`\${file(${path})}`));
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'serverless-file-outside-root', severity: 'warning', line: 3 })]);
      expect(result.root.requests).toEqual([]);
    },
  );

  it('never executes a script include', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${file(./settings.js):a}\n', files);
    expect((result.config.custom as { v: unknown }).v).toEqual(new Unresolved('${file(./settings.js):a}'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'serverless-js-not-read', severity: 'info' })]);
    expect(result.root.requests).toEqual([]);
  });

  it('reports a missing file without fallback', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${file(./nope.yml)}\n', files);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'serverless-file-missing', severity: 'warning', line: 3 })]);
  });

  it('reports a broken included file at its own line', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${file(./bad.yml)}\n', { 'bad.yml': 'a: 1\nb: [\n' });
    expect((result.config.custom as { v: unknown }).v).toEqual(new Unresolved('${file(./bad.yml)}'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-error', file: 'bad.yml' })]);
  });

  it('stops a file that includes itself', () => {
    const result = resolve('service: svc\ncustom:\n  v: ${file(./loop.yml):a}\n', { 'loop.yml': 'a: ${file(./loop.yml):a}\n' });
    expect((result.config.custom as { v: unknown }).v).toBeInstanceOf(Unresolved);
    expect(result.diagnostics.map((d) => d.code)).toContain('serverless-variable-cycle');
  });

  it('records where included values come from', () => {
    const sourceMap = new SourceMap();
    const parsed = parseYaml('service: svc\ncustom: ${file(./config/dev.yml)}\n', { file: 'serverless.yml', limits: DEFAULT_LIMITS, sourceMap });
    const result = resolveServerlessVariables(parsed.value as Record<string, unknown>, {
      file: 'serverless.yml',
      root: createMemoryRoot(files),
      limits: DEFAULT_LIMITS,
      sourceMap,
    });
    expect(sourceMap.getKey(result.config.custom, 'nested')).toMatchObject({ file: 'config/dev.yml', line: 2 });
  });
});

describe('helpers', () => {
  it('splitVariables keeps nested braces inside their variable', () => {
    expect(splitVariables("a-${self:x.${sls:stage}}-${opt:y, '}'}z")).toEqual([
      { text: 'a-', variable: false },
      { text: '${self:x.${sls:stage}}', variable: true },
      { text: '-', variable: false },
      { text: "${opt:y, '}'}", variable: true },
      { text: 'z', variable: false },
    ]);
  });

  it('splitTopLevel splits outside quotes, parentheses and nested variables', () => {
    expect(splitTopLevel("file(./a,b.yml):x, ${self:a, b}, 'c, d', e", ',')).toEqual(['file(./a,b.yml):x', ' ${self:a, b}', " 'c, d'", ' e']);
  });

  it.each<[string, string, string | undefined]>([
    ['.', './a.yml', 'a.yml'],
    ['svc', './config/../a.yml', 'svc/a.yml'],
    ['svc', '../shared/a.yml', 'shared/a.yml'],
    ['.', '../a.yml', undefined],
    ['svc', '../../a.yml', undefined],
    ['.', '/etc/passwd', undefined],
    ['.', 'C:\\secrets.yml', undefined],
    ['.', '~/a.yml', undefined],
  ])('toRootPath(%s, %s) → %s', (dir, path, expected) => {
    expect(toRootPath(dir, path)).toBe(expected);
  });
});
