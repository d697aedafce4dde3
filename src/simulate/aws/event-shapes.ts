import { createHash } from 'node:crypto';
import { SIMULATED_NOW } from '../runtime/registry.js';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '../resources.js';

/** The events AWS hands a function, in the shapes the Lambda event sources use (one record per event here). */

export interface QueueMessage {
  messageId: string;
  body: string;
  /** SQS message attributes as sent (`{ eventType: { DataType: 'String', StringValue: 'OrderPlaced' } }`). */
  attributes: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: unknown }>;
  /** How many times the message was received, this delivery included. */
  receiveCount: number;
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function toSqsEvent(message: QueueMessage, queueArn: string): unknown {
  return {
    Records: [
      {
        messageId: message.messageId,
        receiptHandle: `receipt-${message.messageId}-${message.receiveCount}`,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(SIMULATED_NOW),
          SenderId: 'AIDASIMULATED',
          ApproximateFirstReceiveTimestamp: String(SIMULATED_NOW),
        },
        messageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [name, { stringValue: value.StringValue, stringListValues: [], binaryListValues: [], dataType: value.DataType ?? 'String' }]),
        ),
        md5OfBody: md5(message.body),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: SIMULATED_REGION,
      },
    ],
  };
}

export interface TopicMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, { DataType?: string; StringValue?: string }>;
}

export function toSnsEvent(message: TopicMessage, subscriptionArn: string): unknown {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: message.message,
          Timestamp: new Date(SIMULATED_NOW).toISOString(),
          SignatureVersion: '1',
          Signature: 'SIMULATED',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, { Type: value.DataType ?? 'String', Value: value.StringValue }])),
        },
      },
    ],
  };
}

/** The SNS notification as a JSON document: what an SQS subscriber without raw delivery receives as its body. */
export function toSnsEnvelope(message: TopicMessage): string {
  const record = (toSnsEvent(message, '') as { Records: { Sns: Record<string, unknown> }[] }).Records[0]!.Sns;
  return JSON.stringify(record);
}

export interface BusEvent {
  id: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources: string[];
}

export function toEventBridgeEvent(event: BusEvent): Record<string, unknown> {
  return {
    version: '0',
    id: event.id,
    'detail-type': event.detailType,
    source: event.source,
    account: SIMULATED_ACCOUNT,
    time: new Date(SIMULATED_NOW).toISOString(),
    region: SIMULATED_REGION,
    resources: event.resources,
    detail: event.detail,
  };
}

/** A JSON string as its value, anything else as it is. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * What a function was asked to do, without the event source's envelope: the message body of each SQS record, the
 * message of each SNS record, the `detail` of an EventBridge event (one record gives the value, several an array).
 * Both worlds record inputs this way, so a consumer that now receives the message directly compares equal.
 */
export function toBusinessInput(event: unknown): unknown {
  if (event && typeof event === 'object' && !Array.isArray(event)) {
    const records = (event as { Records?: unknown }).Records;
    if (Array.isArray(records) && records.length > 0 && records.every((record) => record && typeof record === 'object')) {
      const sqs = records.every((record: Record<string, unknown>) => record.eventSource === 'aws:sqs' && typeof record.body === 'string');
      const sns = records.every((record: Record<string, unknown>) => record.EventSource === 'aws:sns' && record.Sns && typeof record.Sns === 'object');
      if (sqs || sns) {
        const values = records.map((record: Record<string, unknown>) => parseJsonText(sqs ? record.body : (record.Sns as { Message: unknown }).Message));
        return values.length === 1 ? values[0] : values;
      }
    }
    const bus = event as Record<string, unknown>;
    if (typeof bus['detail-type'] === 'string' && 'detail' in bus && typeof bus.source === 'string') return bus.detail;
  }
  return event;
}
