import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refactorHandlers } from '../../generators/handlers.js';
import type { Plan, WorkflowFunction } from '../../src/types/plan.js';
import { PLAN_SCHEMA_VERSION } from '../../src/types/plan.js';

const root = mkdtempSync(path.join(tmpdir(), 'lambda2sfn-handlers-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function planOf(functions: WorkflowFunction[]): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    toolVersion: '0.1.0',
    sourceRoot: '.',
    workflows: [{ name: 'w', logicalId: 'W', chain: { entry: functions[0]!.id, triggers: [], functions: functions.map((fn) => fn.id), nodes: [] }, type: 'STANDARD', queryLanguage: 'JSONPath', decisions: [], functions, resources: [], model: { comment: '', steps: [] }, findings: [] }],
    skipped: [],
  };
}

const sqsCall = (file: string, line: number) => ({ to: 'Queue', kind: 'sqs', file, line, text: '' });

describe('handlers: bad input never stops the run', () => {
  write('src/broken.js', "exports.handler = async (event) => {\n  await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: event.body }));\n  return {\n};\n");
  write('src/moved.js', "exports.handler = async (event) => {\n  console.log('nothing here any more');\n};\n");
  write('src/good.js', "const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');\nconst sqs = new SQSClient({});\nexports.handler = async (event) => {\n  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.Q, MessageBody: JSON.stringify(event.order) }));\n};\n");
  const result = refactorHandlers(
    planOf([
      { id: 'broken', handler: 'src/broken.js:handler', placeholder: 'A', invocation: 'whole', parts: [], movedCalls: [sqsCall('src/broken.js', 2)] },
      { id: 'moved', handler: 'src/moved.js:handler', placeholder: 'B', invocation: 'whole', parts: [], movedCalls: [sqsCall('src/moved.js', 2)] },
      { id: 'missing', handler: 'src/missing.js:handler', placeholder: 'C', invocation: 'whole', parts: [], movedCalls: [sqsCall('src/missing.js', 2)] },
      { id: 'good', handler: 'src/good.js:handler', placeholder: 'D', invocation: 'whole', parts: [], movedCalls: [sqsCall('src/good.js', 4)] },
    ]),
    { root },
  );
  const byFile = new Map(result.files.map((file) => [file.file, file]));

  it('keeps a file with a syntax error, with a marker at the line', () => {
    const broken = byFile.get('src/broken.js')!;
    expect(broken.kept).toBe(true);
    expect(broken.problems[0]!.reason).toMatch(/does not parse/);
    expect(broken.text).toContain('// lambda2sfn: kept — the file does not parse');
  });

  it('keeps a file whose call is no longer where the plan says', () => {
    const moved = byFile.get('src/moved.js')!;
    expect(moved.kept).toBe(true);
    expect(moved.text.split('\n')[1]).toMatch(/^ {2}\/\/ lambda2sfn: kept — the call to Queue the plan names .* is not at this line \(src\/moved\.js:2\)\. the code changed/);
  });

  it('lists a handler that cannot be read, and still refactors the others', () => {
    expect(result.skipped.map((problem) => problem.reason)).toEqual(['the handler of missing cannot be read']);
    const good = byFile.get('src/good.js')!;
    expect(good.kept).toBe(false);
    expect(good.text).toBe('exports.handler = async (event) => {\n  return event.order;\n};\n');
  });
});
