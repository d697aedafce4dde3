import type { RequestReader, SdkDetector } from '../../src/types/analyzers.js';

/**
 * `InvocationType: 'Event'` makes an invoke asynchronous; `RequestResponse` (the default) waits for the result;
 * `DryRun` only checks permissions and runs nothing.
 */
const invokeKind = (request: RequestReader) => {
  const type = request.getString('InvocationType');
  if (type === 'DryRun') return null;
  return type === 'Event' ? ('invoke-async' as const) : ('invoke-sync' as const);
};

export const lambdaInvoke: SdkDetector = {
  id: 'lambda-invoke',
  description: 'Lambda Invoke, InvokeAsync and InvokeWithResponseStream, SDK v2 and v3 (commands and the aggregated client)',
  service: 'lambda',
  clients: ['LambdaClient', 'Lambda'],
  clientModules: ['aws-sdk/clients/lambda'],
  v3Packages: ['@aws-sdk/client-lambda'],
  operations: [
    { method: 'invoke', command: 'InvokeCommand', target: 'FunctionName', payload: 'Payload', edgeKind: invokeKind },
    { method: 'invokeAsync', command: 'InvokeAsyncCommand', target: 'FunctionName', payload: 'InvokeArgs', edgeKind: 'invoke-async' },
    {
      method: 'invokeWithResponseStream',
      command: 'InvokeWithResponseStreamCommand',
      target: 'FunctionName',
      payload: 'Payload',
      edgeKind: invokeKind,
    },
  ],
};
