import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Answers an SDK call: the simulation's services. */
export type SendHandler = (service: string, operation: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A client class: only its prototype is used. */
type AnyClass = { prototype: object };

/** Our service names for the clients we know; any other v3 client is named from its class (`S3Client` → `s3`). */
const CLIENTS: [AnyClass, string][] = [
  // The document client first: it is not a subclass of DynamoDBClient, but be explicit about which wins.
  [DynamoDBDocumentClient, 'dynamodb-document'],
  [DynamoDBClient, 'dynamodb'],
  [LambdaClient, 'lambda'],
  [SQSClient, 'sqs'],
  [SNSClient, 'sns'],
  [EventBridgeClient, 'eventbridge'],
  [SFNClient, 'sfn'],
  [SESClient, 'ses'],
  [SESv2Client, 'sesv2'],
];

interface SendTarget {
  send: (this: object, command: SdkCommand, optionsOrCallback?: unknown, callback?: unknown) => unknown;
}

interface SdkCommand {
  input?: Record<string, unknown>;
  constructor: { name: string };
}

/**
 * Replaces `send` on the base class every AWS SDK v3 client (of lambda2sfn's own copy) inherits from, so that any
 * client a handler makes — Lambda, SQS, DynamoDB, its document client, or one we do not know — answers from the
 * simulation before its middleware runs: no credentials are read, no request is signed or sent. Returns the undo.
 */
export function installSdkV3Hook(handle: SendHandler): () => void {
  const bases = new Set<SendTarget>();
  for (const [client] of CLIENTS) {
    let prototype = client.prototype;
    while (prototype && !Object.prototype.hasOwnProperty.call(prototype, 'send')) prototype = Object.getPrototypeOf(prototype) as object;
    if (prototype) bases.add(prototype as SendTarget);
  }
  const originals = new Map([...bases].map((base) => [base, base.send]));
  const send = function (this: object, command: SdkCommand, optionsOrCallback?: unknown, callback?: unknown) {
    const done = typeof optionsOrCallback === 'function' ? optionsOrCallback : typeof callback === 'function' ? callback : undefined;
    const service = getServiceName(this);
    const operation = command.constructor.name.replace(/Command$/, '');
    const answer = handle(service, operation, { ...command.input }).then((output) => toV3Output(service, operation, output));
    if (done) {
      answer.then((output) => (done as (error: unknown, data?: unknown) => void)(null, output), (error: unknown) => (done as (error: unknown) => void)(error));
      return undefined;
    }
    return answer;
  };
  for (const base of bases) base.send = send;
  return () => {
    for (const [base, original] of originals) base.send = original;
  };
}

function getServiceName(client: object): string {
  for (const [type, name] of CLIENTS) if (type.prototype.isPrototypeOf(client)) return name;
  // An aggregated client (`new Lambda({})`) extends its bare client, found above; any other: from the class name.
  return client.constructor.name.replace(/Client$/, '').toLowerCase();
}

/** The output as v3 gives it: `$metadata`, and Lambda's `Payload` as bytes with `transformToString`. */
function toV3Output(service: string, operation: string, output: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { $metadata: { httpStatusCode: 200, requestId: 'simulated', attempts: 1, totalRetryDelay: 0 }, ...output };
  if (service === 'lambda' && typeof output.Payload === 'string') result.Payload = toBlob(output.Payload);
  if (service === 'lambda' && operation === 'Invoke' && output.Payload === undefined) result.Payload = toBlob('');
  return result;
}

/** Like the SDK's Uint8ArrayBlobAdapter: bytes that can also give back their text. */
function toBlob(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  return Object.assign(bytes, {
    transformToString: (encoding = 'utf-8') => (encoding === 'base64' ? Buffer.from(bytes).toString('base64') : new TextDecoder(encoding).decode(bytes)),
  });
}
