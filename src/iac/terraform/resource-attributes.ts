import type { RefAttribute } from '../../types/inventory.js';

/** Resource types that become Inventory entities. Event rules are not entities but own an id (their schedule node's). */
export type EntityKind = 'function' | 'queue' | 'topic' | 'bus' | 'stateMachine' | 'rule' | 'api' | 'parameter';

export const ENTITY_TYPES: Record<string, EntityKind> = {
  aws_lambda_function: 'function',
  aws_sqs_queue: 'queue',
  aws_sns_topic: 'topic',
  aws_cloudwatch_event_bus: 'bus',
  aws_sfn_state_machine: 'stateMachine',
  aws_cloudwatch_event_rule: 'rule',
  aws_apigatewayv2_api: 'api',
  aws_api_gateway_rest_api: 'api',
  aws_ssm_parameter: 'parameter',
};

/**
 * Computed attributes of entities and what each one is (`aws_sqs_queue.x.id` is the queue URL,
 * `aws_lambda_function.x.id` its name). An attribute listed here is a reference to the entity; any other is read
 * from the resource's body when written there.
 */
export const REF_ATTRIBUTES: Record<string, Record<string, RefAttribute>> = {
  aws_lambda_function: {
    function_name: 'name',
    id: 'name',
    arn: 'arn',
    qualified_arn: 'arn',
    invoke_arn: 'other',
    qualified_invoke_arn: 'other',
  },
  aws_sqs_queue: { url: 'url', id: 'url', arn: 'arn', name: 'name' },
  aws_sns_topic: { arn: 'arn', id: 'arn', name: 'name' },
  aws_cloudwatch_event_bus: { name: 'name', id: 'name', arn: 'arn' },
  aws_sfn_state_machine: { arn: 'arn', id: 'arn', name: 'name' },
  aws_apigatewayv2_api: { api_endpoint: 'url', id: 'id', arn: 'arn' },
  aws_api_gateway_rest_api: { id: 'id', arn: 'arn' },
  aws_ssm_parameter: { name: 'name', id: 'name', arn: 'arn' },
};

/** Resources whose `id` is one of their own arguments (a bucket's id is its name). */
export const ID_ARGUMENT: Record<string, string> = {
  aws_s3_bucket: 'bucket',
  aws_cloudwatch_event_rule: 'name',
  aws_ssm_parameter: 'name',
  aws_dynamodb_table: 'name',
  aws_kinesis_stream: 'name',
};

/** The argument holding an entity's deployed name. */
export const NAME_ARGUMENT: Record<string, string> = {
  aws_lambda_function: 'function_name',
  aws_sqs_queue: 'name',
  aws_sns_topic: 'name',
  aws_cloudwatch_event_bus: 'name',
  aws_sfn_state_machine: 'name',
  aws_cloudwatch_event_rule: 'name',
  aws_apigatewayv2_api: 'name',
  aws_api_gateway_rest_api: 'name',
  aws_ssm_parameter: 'name',
};

/** Outputs of the registry modules we read (terraform-aws-modules), as attributes of the resource they come from. */
export const MODULE_OUTPUTS: Record<RemoteModuleKind, Record<string, { resource: 'main' | 'dlq'; attribute: string }>> = {
  lambda: {
    lambda_function_arn: { resource: 'main', attribute: 'arn' },
    lambda_function_name: { resource: 'main', attribute: 'function_name' },
    lambda_function_qualified_arn: { resource: 'main', attribute: 'qualified_arn' },
    lambda_function_invoke_arn: { resource: 'main', attribute: 'invoke_arn' },
    lambda_function_qualified_invoke_arn: { resource: 'main', attribute: 'qualified_invoke_arn' },
  },
  sqs: {
    queue_arn: { resource: 'main', attribute: 'arn' },
    queue_id: { resource: 'main', attribute: 'id' },
    queue_url: { resource: 'main', attribute: 'url' },
    queue_name: { resource: 'main', attribute: 'name' },
    dead_letter_queue_arn: { resource: 'dlq', attribute: 'arn' },
    dead_letter_queue_id: { resource: 'dlq', attribute: 'id' },
    dead_letter_queue_url: { resource: 'dlq', attribute: 'url' },
    dead_letter_queue_name: { resource: 'dlq', attribute: 'name' },
  },
  sns: {
    topic_arn: { resource: 'main', attribute: 'arn' },
    topic_id: { resource: 'main', attribute: 'id' },
    topic_name: { resource: 'main', attribute: 'name' },
  },
};

export type RemoteModuleKind = 'lambda' | 'sqs' | 'sns';

/** `terraform-aws-modules/lambda/aws`, `git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7`... */
export function getRemoteModuleKind(source: string): RemoteModuleKind | undefined {
  const match = /terraform-aws-modules\/(?:terraform-aws-)?(lambda|sqs|sns)(?:\/aws)?(?:[/.?#]|$)/.exec(source);
  return match ? (match[1] as RemoteModuleKind) : undefined;
}

/** The resource type of the entity a registry module creates. */
export const REMOTE_MODULE_TYPE: Record<RemoteModuleKind, string> = {
  lambda: 'aws_lambda_function',
  sqs: 'aws_sqs_queue',
  sns: 'aws_sns_topic',
};
