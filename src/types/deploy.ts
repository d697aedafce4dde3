import type { WorkflowResource } from './plan.js';

/**
 * How the deployable generators (SAM, CloudFormation, Serverless, CDK, Terraform, the IAM policy) write a plan's
 * workflows: the format, logging and tracing, and what started each workflow's entry function in the repository.
 */

/** The infrastructure formats the deployable is written in (`--iac`). */
export type IacTarget = 'sam' | 'cloudformation' | 'serverless' | 'cdk' | 'terraform';

export const IAC_TARGETS: readonly IacTarget[] = ['sam', 'cloudformation', 'serverless', 'cdk', 'terraform'];

/** Step Functions log levels (`LoggingConfiguration.Level`). */
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

/** A place in the analysed repository, for notes that cite where a trigger was declared. */
export interface SourcePlace {
  file: string;
  line: number;
}

/**
 * What started a workflow's entry function before the migration, as the IaC declared it. The deployable generators
 * re-point it at the state machine where their format can, and list it as a manual step otherwise.
 */
export type EntryTrigger =
  | {
      kind: 'http';
      /** API Gateway HTTP API (v2) or REST API (v1). */
      api: 'http' | 'rest';
      method: string;
      path: string;
      /** The IaC id of the API and the file that declares it, when the route belongs to a declared one. */
      apiId?: string;
      apiFile?: string;
      at: SourcePlace;
    }
  | { kind: 'schedule'; expression: string; at: SourcePlace }
  | { kind: 's3'; bucket: string; events: string[]; at: SourcePlace }
  /** The queue as a resource (its id, name and declaration), so that it is referenced like the plan's resources. */
  | { kind: 'sqs'; queue: WorkflowResource; batchSize?: number; at: SourcePlace }
  /** Anything else (SNS, EventBridge patterns, streams...): listed as a manual step with its details. */
  | { kind: 'other'; type: string; source?: string; details: Record<string, string | number | boolean>; at: SourcePlace };

/** The deployment settings every deployable generator reads, besides the plan. */
export interface DeploySettings {
  iac: IacTarget;
  /** The IaC format the repository declares its resources in, when known: references to them use its logical ids. */
  repositoryFormat?: IacTarget;
  /** CloudWatch Logs level for the state machine; `OFF` writes no log group. */
  logLevel: LogLevel;
  /** Include execution input and output in the logs (off by default: payloads may hold personal data). */
  includeExecutionData: boolean;
  /** AWS X-Ray tracing. */
  tracing: boolean;
  /** What started each workflow's entry function, by workflow name. */
  triggers: Record<string, EntryTrigger[]>;
}

export const DEFAULT_DEPLOY_SETTINGS: Omit<DeploySettings, 'iac'> = {
  logLevel: 'ERROR',
  includeExecutionData: false,
  tracing: false,
  triggers: {},
};
