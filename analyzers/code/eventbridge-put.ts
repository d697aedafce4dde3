import type { SdkDetector } from '../../src/types/analyzers.js';

export const eventbridgePut: SdkDetector = {
  id: 'eventbridge-put',
  description: 'EventBridge PutEvents, SDK v2 and v3 (CloudWatch Events too); entries without EventBusName go to the default bus',
  service: 'eventbridge',
  clients: ['EventBridgeClient', 'EventBridge', 'CloudWatchEventsClient', 'CloudWatchEvents'],
  clientModules: ['aws-sdk/clients/eventbridge', 'aws-sdk/clients/cloudwatchevents'],
  v3Packages: ['@aws-sdk/client-eventbridge', '@aws-sdk/client-cloudwatch-events'],
  operations: [
    { method: 'putEvents', command: 'PutEventsCommand', target: 'Entries[].EventBusName', defaultTarget: 'default', payload: 'Entries[].Detail', edgeKind: 'eventbridge' },
  ],
};
