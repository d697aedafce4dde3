import type { SdkDetector } from '../../src/types/analyzers.js';

export const sqsSend: SdkDetector = {
  id: 'sqs-send',
  description: 'SQS SendMessage and SendMessageBatch, SDK v2 and v3; queue URLs looked up with GetQueueUrl are followed',
  service: 'sqs',
  clients: ['SQSClient', 'SQS'],
  clientModules: ['aws-sdk/clients/sqs'],
  v3Packages: ['@aws-sdk/client-sqs'],
  operations: [
    { method: 'sendMessage', command: 'SendMessageCommand', target: 'QueueUrl', payload: 'MessageBody', edgeKind: 'sqs' },
    { method: 'sendMessageBatch', command: 'SendMessageBatchCommand', target: 'QueueUrl', payload: 'Entries[].MessageBody', edgeKind: 'sqs' },
  ],
};
