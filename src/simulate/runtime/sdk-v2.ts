// Stands for the `aws-sdk` package (AWS SDK for JavaScript v2) in handler bundles. v2 is large and no longer
// supported, so it is not installed: every service client here sends its calls to the simulation (registry.ts
// `sendV2`), as `Lambda.invoke(params).promise()`, with a callback, or with `.send()`. Nothing reaches AWS.
import type { SimulationGlobal } from './registry.js';

type Callback = (error: unknown, data: unknown) => void;

function getSimulation(): SimulationGlobal {
  return (globalThis as unknown as Record<symbol, SimulationGlobal>)[Symbol.for('lambda2sfn.simulate')]!;
}

/** An AWS.Request: sent on `.promise()`, `.send()`, or at once when the call passed a callback. */
function createRequest(service: string, operation: string, params: unknown, callback?: Callback) {
  let sent: Promise<unknown> | undefined;
  const send = () => (sent ??= getSimulation().sendV2(service, operation, params ?? {}));
  const request = {
    promise: send,
    send(done?: Callback) {
      send().then((data) => done?.(null, data), (error: unknown) => done?.(error, null));
      return request;
    },
    on() {
      return request;
    },
    abort() {
      return request;
    },
  };
  if (typeof callback === 'function') request.send(callback);
  return request;
}

/** A v2 service client: any method is an operation of the service (`invoke`, `sendMessage`, `putItem`...). */
function createServiceClass(service: string): new (config?: unknown) => Record<string, unknown> {
  return class SimulatedService {
    readonly config: unknown;

    constructor(config?: unknown) {
      this.config = config ?? {};
      return new Proxy(this, {
        get(target, property, receiver) {
          if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver) as unknown;
          return (params?: unknown, callback?: Callback) => createRequest(service, property, typeof params === 'function' ? {} : params, typeof params === 'function' ? (params as Callback) : callback);
        },
      });
    }
  } as unknown as new (config?: unknown) => Record<string, unknown>;
}

export const Lambda = createServiceClass('lambda');
export const SQS = createServiceClass('sqs');
export const SNS = createServiceClass('sns');
export const EventBridge = createServiceClass('eventbridge');
export const CloudWatchEvents = createServiceClass('eventbridge');
export const StepFunctions = createServiceClass('sfn');
export const SES = createServiceClass('ses');
export const SESV2 = createServiceClass('sesv2');
export const S3 = createServiceClass('s3');
export const SSM = createServiceClass('ssm');
export const SecretsManager = createServiceClass('secretsmanager');
export const Kinesis = createServiceClass('kinesis');
export const CloudWatch = createServiceClass('cloudwatch');
export const DynamoDB = Object.assign(createServiceClass('dynamodb'), { DocumentClient: createServiceClass('dynamodb-document') });

export const config = {
  region: 'us-east-1',
  update(values: Record<string, unknown>) {
    Object.assign(config, values);
  },
};

export class Credentials {
  constructor(readonly accessKeyId?: string, readonly secretAccessKey?: string) {}
}

const AWS = { Lambda, SQS, SNS, EventBridge, CloudWatchEvents, StepFunctions, SES, SESV2, S3, SSM, SecretsManager, Kinesis, CloudWatch, DynamoDB, config, Credentials };
export default AWS;
