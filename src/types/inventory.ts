import type { SourceLocation } from './diagnostics.js';

/** The infrastructure formats we read. */
export type IacFormat = 'serverless' | 'cloudformation' | 'sam' | 'cdk' | 'terraform';

/** Which attribute of a resource a reference asks for (`!Ref`, `!GetAtt X.Arn`, `queue.queueUrl`, ...). */
export type RefAttribute = 'name' | 'arn' | 'url' | 'id' | 'other';

/**
 * A value written in an IaC file, kept symbolic so that resolve can match it against the targets in code.
 * IaC analyzers reduce variables they can evaluate statically (`${self:...}`, `${opt:stage, 'dev'}`, locals)
 * to literals and keep references to other resources as `ref`.
 */
export type IacValue =
  | { kind: 'literal'; value: string }
  /** A reference to another resource of the inventory by its logical id. */
  | { kind: 'ref'; target: string; attribute: RefAttribute }
  /** A concatenation, e.g. `!Sub '${AWS::StackName}-orders'` or `"${local.prefix}-orders"`. */
  | { kind: 'join'; parts: IacValue[] }
  /** Something we cannot evaluate statically (a pseudo parameter, an import, an SSM parameter); `text` is how it was written. */
  | { kind: 'unknown'; text: string };

/** A handler as written in IaC, relative to the analysed folder: `src/orders/create.handler` → module `src/orders/create`, export `handler`. */
export interface HandlerRef {
  /** How the IaC wrote it, for messages. */
  raw: string;
  /** Module path without extension, relative to the analysed folder (POSIX). */
  module: string;
  /** The exported function name. */
  export: string;
  /** The source file found on disk for `module` (filled by the inventory step). */
  file?: string;
}

export interface FunctionDef {
  /** The IaC logical id: the key under `functions:` in serverless.yml, the resource's logical id in a template, the construct id in CDK, the resource name in Terraform. */
  id: string;
  /** The deployed function name, when it can be known or partly known. */
  name?: IacValue;
  handler?: HandlerRef;
  runtime?: string;
  /** Seconds. */
  timeout?: number;
  /** MB. */
  memorySize?: number;
  /** Architecture, when set (`x86_64` / `arm64`). */
  architecture?: string;
  environment: Record<string, IacValue>;
  /** Where the function is declared in IaC. */
  location: SourceLocation;
  format: IacFormat;
  /** A service/stack name that scopes the logical id (serverless `service`, template folder), used to keep ids unique in monorepos. */
  scope?: string;
}

export interface QueueDef {
  id: string;
  name?: IacValue;
  fifo?: boolean;
  /** Seconds. */
  visibilityTimeout?: number;
  /** The redrive policy: where messages go after `maxReceiveCount` failed receives. */
  deadLetter?: {
    target: IacValue;
    maxReceiveCount?: number;
    /** Where the redrive policy is written: the location of the dead-letter edge. */
    location?: SourceLocation;
  };
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

export interface TopicDef {
  id: string;
  name?: IacValue;
  fifo?: boolean;
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

export interface BusDef {
  id: string;
  name?: IacValue;
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

export interface StateMachineDef {
  id: string;
  name?: IacValue;
  /** Path of the ASL file when the definition is in a file. */
  definitionFile?: string;
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

/**
 * An API Gateway API (REST or HTTP). Not a node of the graph: its routes are `http` triggers of the functions that
 * serve them, with `details.apiId` naming the API, so that a URL built from the API (`!Sub https://${Api}...`,
 * CDK `api.url`, Terraform `aws_apigatewayv2_api.x.api_endpoint`) finds the function behind a method and path.
 */
export interface ApiDef {
  id: string;
  kind: 'rest' | 'http';
  name?: IacValue;
  /** Stage names that start the paths of its URLs (`/prod/orders` on a REST API), when known. */
  stages?: string[];
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

/**
 * An SSM parameter the IaC writes (`aws_ssm_parameter`, `ssm.StringParameter`, `AWS::SSM::Parameter`): code that
 * reads it at run time (`GetParameterCommand`) gets its value, often a queue URL, topic ARN or function name.
 */
export interface ParameterDef {
  id: string;
  name?: IacValue;
  value?: IacValue;
  location: SourceLocation;
  format: IacFormat;
  scope?: string;
}

/** The kinds of event that start a function or deliver to a queue. */
export type TriggerKind = 'sqs' | 'sns' | 'eventbridge' | 'schedule' | 'http' | 's3' | 'stream' | 'other';

/**
 * Something that starts a function (or, for an SNS → SQS subscription, fills a queue): an event source mapping,
 * a subscription, a rule target, an API route, a schedule.
 */
export interface TriggerDef {
  kind: TriggerKind;
  /** The queue, topic or bus the events come from, when there is one (a reference or a name/ARN). */
  from?: IacValue;
  /** Logical id of the function (or queue) that receives the events. */
  to: string;
  /** Kind-specific facts: `batchSize`, `schedule` expression, HTTP `method`, `path` and `apiId`, event `pattern`, `bucket`, `filter`. */
  details: Record<string, string | number | boolean>;
  location: SourceLocation;
  format: IacFormat;
}

/** Everything the IaC files declare. IaC analyzers each return a fragment; `buildInventory` merges them. */
export interface Inventory {
  functions: FunctionDef[];
  queues: QueueDef[];
  topics: TopicDef[];
  buses: BusDef[];
  stateMachines: StateMachineDef[];
  triggers: TriggerDef[];
  apis: ApiDef[];
  parameters: ParameterDef[];
}

export function emptyInventory(): Inventory {
  return { functions: [], queues: [], topics: [], buses: [], stateMachines: [], triggers: [], apis: [], parameters: [] };
}
