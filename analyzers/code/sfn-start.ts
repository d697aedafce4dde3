import type { SdkDetector } from '../../src/types/analyzers.js';

export const sfnStart: SdkDetector = {
  id: 'sfn-start',
  description: 'Step Functions StartExecution and StartSyncExecution, SDK v2 and v3',
  service: 'sfn',
  clients: ['SFNClient', 'SFN', 'StepFunctions'],
  clientModules: ['aws-sdk/clients/stepfunctions'],
  v3Packages: ['@aws-sdk/client-sfn'],
  operations: [
    { method: 'startExecution', command: 'StartExecutionCommand', target: 'stateMachineArn', payload: 'input', edgeKind: 'sfn-start' },
    { method: 'startSyncExecution', command: 'StartSyncExecutionCommand', target: 'stateMachineArn', payload: 'input', edgeKind: 'sfn-start' },
  ],
};
