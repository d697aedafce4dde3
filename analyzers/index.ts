import type { HttpClientDetector, IacAnalyzer, SdkDetector } from '../src/types/analyzers.js';
import type { ContextCollector } from '../src/summarize/walk.js';
import { cdk } from './iac/cdk.js';
import { cloudformation } from './iac/cloudformation.js';
import { serverless } from './iac/serverless.js';
import { terraform } from './iac/terraform.js';
import { eventbridgePut } from './code/eventbridge-put.js';
import { axiosClient, fetchClient, gotClient, nodeHttpClient } from './code/http-call.js';
import { lambdaInvoke } from './code/lambda-invoke.js';
import { sfnStart } from './code/sfn-start.js';
import { snsPublish } from './code/sns-publish.js';
import { sqsSend } from './code/sqs-send.js';
import { compensation } from './code/compensation.js';
import { condition } from './code/condition.js';
import { fanOut } from './code/fan-out.js';
import { resultUse } from './code/result-use.js';
import { retryLoop } from './code/retry-loop.js';
import { sdkClientRetry } from './code/sdk-client-retry.js';

/** The one list of SDK call detectors. Adding one: a file in analyzers/code/, a line here, a fixture folder. */
export const SDK_DETECTORS: readonly SdkDetector[] = [lambdaInvoke, sqsSend, snsPublish, eventbridgePut, sfnStart];

/** The one list of HTTP client detectors (calls between functions through API Gateway: `http` edges). */
export const HTTP_CLIENTS: readonly HttpClientDetector[] = [fetchClient, axiosClient, gotClient, nodeHttpClient];

/** Globals whose calls the walk keeps although they are not bound in the file (`fetch`). */
export function getKeptGlobals(): Set<string> {
  const names = new Set<string>();
  for (const client of HTTP_CLIENTS) for (const source of client.sources) if ('global' in source) names.add(source.global.split('.')[0]);
  return names;
}

/** Request properties whose source text the walk keeps: targets and payloads, for messages and reports. */
export function getSdkTextKeys(): Set<string> {
  const keys = new Set(['QueueName', 'InvocationType']);
  for (const detector of SDK_DETECTORS) {
    for (const op of detector.operations) {
      for (const part of op.target.split('[].')) keys.add(part);
      if (op.payload) for (const part of op.payload.split('[].')) keys.add(part);
    }
  }
  return keys;
}

/** Method names that may be SDK calls; the walk keeps every call to them. */
export function getSdkMethodNames(): Set<string> {
  const names = new Set(['send', 'getQueueUrl']);
  for (const detector of SDK_DETECTORS) for (const op of detector.operations) names.add(op.method);
  return names;
}

/** The one list of IaC analyzers. Each decides with `matches` whether a discovered file is its format. */
export const IAC_ANALYZERS: readonly IacAnalyzer[] = [serverless, cloudformation, terraform, cdk];

/**
 * Pattern analyzers' hooks into the single walk of each source file: what surrounds each call. `result-use` comes
 * before `condition`, which asks it which call a tested variable holds the result of.
 */
export const CONTEXT_COLLECTORS: readonly ContextCollector[] = [resultUse, retryLoop, fanOut, compensation, condition, sdkClientRetry];
