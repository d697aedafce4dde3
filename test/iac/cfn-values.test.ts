import { describe, expect, it } from 'vitest';
import {
  Interpolation,
  Unresolved,
  getRefAttribute,
  toDisplayText,
  toIacValue,
  toJoin,
  type ValueContext,
} from '../../src/iac/cfn-values.js';
import type { IacValue } from '../../src/types/inventory.js';

const context: ValueContext = {
  resources: new Map([
    ['Fn', 'AWS::Lambda::Function'],
    ['SamFn', 'AWS::Serverless::Function'],
    ['Queue', 'AWS::SQS::Queue'],
    ['Topic', 'AWS::SNS::Topic'],
    ['Bus', 'AWS::Events::EventBus'],
    ['Machine', 'AWS::StepFunctions::StateMachine'],
    ['SamMachine', 'AWS::Serverless::StateMachine'],
    ['Table', 'AWS::DynamoDB::Table'],
    ['Role', 'AWS::IAM::Role'],
    ['Api', 'AWS::ApiGateway::RestApi'],
  ]),
  parameters: new Map<string, unknown>([
    ['Env', 'prod'],
    ['Timeout', 30],
    ['NoDefault', undefined],
    ['Formats', 'pdf,csv'],
  ]),
  mappings: { Sizes: { prod: { Memory: 2048 }, dev: { Memory: 256 } } },
  aliases: new Map([['PlaceOrderLambdaFunction', { target: 'placeOrder', type: 'AWS::Lambda::Function' }]]),
};

const literal = (value: string): IacValue => ({ kind: 'literal', value });
const ref = (target: string, attribute: string): IacValue => ({ kind: 'ref', target, attribute } as IacValue);
const unknown = (text: string): IacValue => ({ kind: 'unknown', text });

describe('toIacValue', () => {
  it.each<[string, unknown, IacValue | undefined]>([
    ['a string stays literal', 'orders', literal('orders')],
    ['a number becomes a literal string', 512, literal('512')],
    ['a boolean becomes a literal string', true, literal('true')],
    ['null is absent', null, undefined],
    // What Ref returns, by resource type.
    ['Ref of a function: its name', { Ref: 'Fn' }, ref('Fn', 'name')],
    ['Ref of a SAM function: its name', { Ref: 'SamFn' }, ref('SamFn', 'name')],
    ['Ref of a queue: its URL', { Ref: 'Queue' }, ref('Queue', 'url')],
    ['Ref of a topic: its ARN', { Ref: 'Topic' }, ref('Topic', 'arn')],
    ['Ref of a bus: its name', { Ref: 'Bus' }, ref('Bus', 'name')],
    ['Ref of a state machine: its ARN', { Ref: 'Machine' }, ref('Machine', 'arn')],
    ['Ref of a SAM state machine: its ARN', { Ref: 'SamMachine' }, ref('SamMachine', 'arn')],
    ['Ref of a table: its name', { Ref: 'Table' }, ref('Table', 'name')],
    ['Ref of another type: its physical id', { Ref: 'Api' }, ref('Api', 'id')],
    ['Ref of an id declared elsewhere: kept as a reference', { Ref: 'ServerlessDeploymentBucket' }, ref('ServerlessDeploymentBucket', 'id')],
    ['Ref of a generated serverless id: the function', { Ref: 'PlaceOrderLambdaFunction' }, ref('placeOrder', 'name')],
    ['Ref of a parameter: its default', { Ref: 'Env' }, literal('prod')],
    ['Ref of a number parameter: its default as text', { Ref: 'Timeout' }, literal('30')],
    ['Ref of a parameter without default', { Ref: 'NoDefault' }, unknown('${NoDefault}')],
    ['Ref of AWS::Region', { Ref: 'AWS::Region' }, unknown('${AWS::Region}')],
    ['Ref of AWS::AccountId', { Ref: 'AWS::AccountId' }, unknown('${AWS::AccountId}')],
    ['Ref of AWS::StackName', { Ref: 'AWS::StackName' }, unknown('${AWS::StackName}')],
    ['Ref of AWS::Partition', { Ref: 'AWS::Partition' }, unknown('${AWS::Partition}')],
    ['Ref of AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, unknown('${AWS::URLSuffix}')],
    ['Ref of AWS::NoValue: absent', { Ref: 'AWS::NoValue' }, undefined],
    // GetAtt, by attribute.
    ['GetAtt Arn', { 'Fn::GetAtt': ['Queue', 'Arn'] }, ref('Queue', 'arn')],
    ['GetAtt QueueName', { 'Fn::GetAtt': ['Queue', 'QueueName'] }, ref('Queue', 'name')],
    ['GetAtt QueueUrl', { 'Fn::GetAtt': ['Queue', 'QueueUrl'] }, ref('Queue', 'url')],
    ['GetAtt TopicName', { 'Fn::GetAtt': ['Topic', 'TopicName'] }, ref('Topic', 'name')],
    ['GetAtt Name', { 'Fn::GetAtt': ['Machine', 'Name'] }, ref('Machine', 'name')],
    ['GetAtt StreamArn', { 'Fn::GetAtt': ['Table', 'StreamArn'] }, ref('Table', 'other')],
    ['GetAtt as a dotted string', { 'Fn::GetAtt': 'Fn.Arn' }, ref('Fn', 'arn')],
    ['GetAtt of a generated serverless id', { 'Fn::GetAtt': ['PlaceOrderLambdaFunction', 'Arn'] }, ref('placeOrder', 'arn')],
    ['GetAtt with an intrinsic attribute', { 'Fn::GetAtt': ['Fn', { Ref: 'Attr' }] }, unknown('{"Fn::GetAtt":["Fn",{"Ref":"Attr"}]}')],
    // Sub.
    ['Sub with pseudo parameters and a parameter', { 'Fn::Sub': 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Env}-jobs' }, {
      kind: 'join',
      parts: [literal('arn:aws:sqs:'), unknown('${AWS::Region}'), literal(':'), unknown('${AWS::AccountId}'), literal(':prod-jobs')],
    }],
    ['Sub with a resource and an attribute', { 'Fn::Sub': '${Queue}|${Queue.Arn}' }, { kind: 'join', parts: [ref('Queue', 'url'), literal('|'), ref('Queue', 'arn')] }],
    ['Sub with a literal ${!...}', { 'Fn::Sub': 'keep ${!Literal} as is' }, literal('keep ${Literal} as is')],
    ['Sub with only text', { 'Fn::Sub': 'plain' }, literal('plain')],
    ['Sub in list form with variables', { 'Fn::Sub': ['${Prefix}-${Name}', { Prefix: { Ref: 'Env' }, Name: { 'Fn::GetAtt': ['Topic', 'TopicName'] } }] }, {
      kind: 'join',
      parts: [literal('prod-'), ref('Topic', 'name')],
    }],
    // Join.
    ['Join', { 'Fn::Join': ['-', ['orders', { Ref: 'Env' }, { Ref: 'AWS::Region' }]] }, { kind: 'join', parts: [literal('orders-prod-'), unknown('${AWS::Region}')] }],
    ['Join drops AWS::NoValue', { 'Fn::Join': [',', ['a', { Ref: 'AWS::NoValue' }, 'b']] }, literal('a,b')],
    ['Join of a list parameter default', { 'Fn::Join': [';', { Ref: 'Formats' }] }, literal('pdf;csv')],
    ['Join of something else', { 'Fn::Join': [',', { 'Fn::GetAZs': '' }] }, unknown('{"Fn::Join":[",",{"Fn::GetAZs":""}]}')],
    // If, Select, FindInMap and the rest.
    ['If with equal branches', { 'Fn::If': ['IsProd', 'same', 'same'] }, literal('same')],
    ['If with different branches', { 'Fn::If': ['IsProd', 'a', 'b'] }, unknown('{"Fn::If":["IsProd","a","b"]}')],
    ['Select from a literal list', { 'Fn::Select': [1, ['a', 'b', 'c']] }, literal('b')],
    ['Select from Split of a literal', { 'Fn::Select': ['2', { 'Fn::Split': ['/', 'a/b/c'] }] }, literal('c')],
    ['Select out of range', { 'Fn::Select': [5, ['a']] }, unknown('{"Fn::Select":[5,["a"]]}')],
    ['FindInMap with a parameter key', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }, literal('2048')],
    ['FindInMap with an unknown key', { 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Memory'] }, unknown('{"Fn::FindInMap":["Sizes",{"Ref":"AWS::Region"},"Memory"]}')],
    ['ImportValue', { 'Fn::ImportValue': 'shared-queue-arn' }, unknown('{"Fn::ImportValue":"shared-queue-arn"}')],
    ['Base64', { 'Fn::Base64': 'x' }, unknown('{"Fn::Base64":"x"}')],
    ['a plain object', { a: 1 }, unknown('{"a":1}')],
    ['a list', ['a', 'b'], unknown('["a","b"]')],
    // Markers left by serverless variable resolution.
    ['Unresolved', new Unresolved('${ssm:/x}'), unknown('${ssm:/x}')],
    ['Interpolation with an intrinsic', new Interpolation(['q=', { 'Fn::GetAtt': ['Queue', 'Arn'] }, new Unresolved('${aws:region}')]), {
      kind: 'join',
      parts: [literal('q='), ref('Queue', 'arn'), unknown('${aws:region}')],
    }],
    ['Sub over an Interpolation', { 'Fn::Sub': new Interpolation(['${AWS::Region}-', new Unresolved('${env:X}')]) }, {
      kind: 'join',
      parts: [unknown('${AWS::Region}'), literal('-'), unknown('${env:X}')],
    }],
  ])('%s', (_name, value, expected) => {
    expect(toIacValue(value, context)).toEqual(expected);
  });

  it('gives up on absurdly nested intrinsics without recursing forever', () => {
    let value: unknown = 'x';
    for (let index = 0; index < 10_000; index++) value = { 'Fn::Join': ['', [value]] };
    expect(toIacValue(value, context)?.kind).toBe('unknown');
  });
});

describe('toJoin', () => {
  it('flattens, merges adjacent literals and drops empty ones', () => {
    expect(toJoin([literal('a'), { kind: 'join', parts: [literal('b'), ref('Q', 'arn')] }, literal(''), literal('c'), literal('d')])).toEqual({
      kind: 'join',
      parts: [literal('ab'), ref('Q', 'arn'), literal('cd')],
    });
  });

  it('returns a single part as itself and nothing as the empty literal', () => {
    expect(toJoin([ref('Q', 'url')])).toEqual(ref('Q', 'url'));
    expect(toJoin([])).toEqual(literal(''));
  });
});

describe('toDisplayText', () => {
  it('writes references the way Fn::Sub would', () => {
    expect(toDisplayText({ kind: 'join', parts: [literal('arn:'), ref('Q', 'arn'), literal('/'), ref('B', 'name'), unknown('${AWS::Region}')] })).toBe(
      'arn:${Q.arn}/${B}${AWS::Region}',
    );
  });
});

describe('getRefAttribute', () => {
  it.each([
    ['AWS::Lambda::Function', 'name'],
    ['AWS::SQS::Queue', 'url'],
    ['AWS::SNS::Topic', 'arn'],
    ['AWS::Events::EventBus', 'name'],
    ['AWS::StepFunctions::StateMachine', 'arn'],
    ['AWS::EC2::VPC', 'id'],
    [undefined, 'id'],
  ])('%s → %s', (type, expected) => {
    expect(getRefAttribute(type)).toBe(expected);
  });
});
