import type { WorkflowPlan, WorkflowResource } from '../../src/types/plan.js';
import type { Binding } from './bindings.js';

/**
 * A value of a deployable written once for every format: text, the stack's pseudo values, a value the user
 * supplies, or an attribute of a resource the output refers to. Each format renders it in its own syntax
 * (`Fn::Sub`, an HCL template, a TypeScript template literal).
 */
export type Pseudo = 'partition' | 'region' | 'account' | 'urlSuffix';
export type Attribute = 'arn' | 'url' | 'name';

export type Part =
  | string
  | { pseudo: Pseudo }
  /** A value the user supplies (a template parameter, a Terraform variable, a construct property). */
  | { parameter: string }
  /** An attribute of a resource declared in the IaC the output merges into, or of another generated workflow. */
  | { ref: Extract<Binding, { how: 'declared' | 'workflow' }>; attribute: Attribute }
  /** The name given to a generated state machine (so its own ARN can be written without a circular reference). */
  | { stateMachineName: WorkflowPlan };

export type Expr = Part[];

/** What kind of AWS resource a plan resource is; an external one is known by its placeholder's attribute word. */
export type ResourceType = 'function' | 'queue' | 'topic' | 'bus' | 'state-machine';

export function getResourceType(resource: WorkflowResource): ResourceType {
  if (resource.kind === 'workflow') return 'state-machine';
  if (resource.kind !== 'external') return resource.kind;
  const placeholder = resource.placeholder;
  if (placeholder.endsWith('QueueUrl') || placeholder.endsWith('QueueArn')) return 'queue';
  if (placeholder.endsWith('TopicArn')) return 'topic';
  if (placeholder.endsWith('EventBusName') || placeholder.endsWith('EventBusArn')) return 'bus';
  if (placeholder.endsWith('StateMachineArn')) return 'state-machine';
  return 'function';
}

const P: Part = { pseudo: 'partition' };
const R: Part = { pseudo: 'region' };
const A: Part = { pseudo: 'account' };

/** `arn:<partition>:<service>:<region>:<account>:` */
function arnPrefix(service: string): Expr {
  return ['arn:', P, `:${service}:`, R, ':', A, ':'];
}

/** The ARN of a resource from its name (a literal or a parameter). */
function arnFromName(type: ResourceType, name: Part): Expr {
  switch (type) {
    case 'function':
      return [...arnPrefix('lambda'), 'function:', name];
    case 'queue':
      return [...arnPrefix('sqs'), name];
    case 'topic':
      return [...arnPrefix('sns'), name];
    case 'bus':
      return [...arnPrefix('events'), 'event-bus/', name];
    case 'state-machine':
      return [...arnPrefix('states'), 'stateMachine:', name];
  }
}

function nameOf(binding: Binding): Part {
  switch (binding.how) {
    case 'declared':
    case 'workflow':
      return { ref: binding, attribute: 'name' };
    case 'name':
      return binding.name;
    case 'parameter':
      return { parameter: binding.parameter };
  }
}

/** The ARN of a bound resource. */
export function getArn(binding: Binding): Expr {
  if (binding.how === 'declared' || binding.how === 'workflow') return [{ ref: binding, attribute: 'arn' }];
  return arnFromName(getResourceType(binding.resource), nameOf(binding));
}

/** The value the definition's placeholder stands for (`resource.attribute`: ARN, queue URL or name). */
export function getSubstitution(binding: Binding): Expr {
  const attribute = binding.resource.attribute;
  if (binding.how === 'declared' || binding.how === 'workflow') return [{ ref: binding, attribute }];
  if (attribute === 'name') return [nameOf(binding)];
  if (attribute === 'url') return ['https://sqs.', R, '.', { pseudo: 'urlSuffix' }, '/', A, '/', nameOf(binding)];
  return getArn(binding);
}

/** The executions of a state machine: `arn:...:execution:<name>:*`. */
export function getExecutionsArn(binding: Binding): Expr {
  return [...arnPrefix('states'), 'execution:', nameOf(binding), ':*'];
}

/** The state machine a workflow becomes, by its explicit name. */
export function getOwnArn(workflow: WorkflowPlan): Expr {
  return [...arnPrefix('states'), 'stateMachine:', { stateMachineName: workflow }];
}

export function getOwnExecutionsArn(workflow: WorkflowPlan): Expr {
  return [...arnPrefix('states'), 'execution:', { stateMachineName: workflow }, ':*'];
}

/** The managed EventBridge rule through which `.sync` integrations learn that a job ended. */
export function getSyncRuleArn(): Expr {
  return [...arnPrefix('events'), 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule'];
}

/** An S3 bucket, or the objects in it (`/*`), by a name or a placeholder the user supplies. */
export function getBucketArn(bucket: Part, objects: string | undefined): Expr {
  return ['arn:', P, ':s3:::', bucket, ...(objects === undefined ? [] : [`/${objects}`])];
}

/** Joins adjacent literal parts: `['a', 'b', x]` → `['ab', x]`. */
export function compact(expr: Expr): Expr {
  const out: Expr = [];
  for (const part of expr) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
  }
  return out;
}

/** A text key for an expression, to sort and deduplicate resources in a stable way. */
export function getExprKey(expr: Expr): string {
  return compact(expr)
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('pseudo' in part) return `{${part.pseudo}}`;
      if ('parameter' in part) return `{param:${part.parameter}}`;
      if ('stateMachineName' in part) return `{name:${part.stateMachineName.name}}`;
      return `{${part.ref.resource.id}.${part.attribute}}`;
    })
    .join('');
}
