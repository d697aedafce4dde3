import type { SdkDetector } from '../../src/types/analyzers.js';

export const snsPublish: SdkDetector = {
  id: 'sns-publish',
  description: 'SNS Publish and PublishBatch, SDK v2 and v3',
  service: 'sns',
  clients: ['SNSClient', 'SNS'],
  clientModules: ['aws-sdk/clients/sns'],
  v3Packages: ['@aws-sdk/client-sns'],
  operations: [
    { method: 'publish', command: 'PublishCommand', target: 'TopicArn', payload: 'Message', edgeKind: 'sns' },
    { method: 'publishBatch', command: 'PublishBatchCommand', target: 'TopicArn', payload: 'PublishBatchRequestEntries[].Message', edgeKind: 'sns' },
  ],
};
