import type { IacTarget } from '../../src/types/deploy.js';
import type { Plan, WorkflowPlan, WorkflowResource } from '../../src/types/plan.js';

/**
 * How a deployable refers to one resource of the plan. In order of preference:
 * - `declared`: the resource is declared in the IaC the output merges into, so it is referenced by its logical id
 *   (`!GetAtt ValidatePaymentLambdaFunction.Arn`, `aws_lambda_function.validate_payment.arn`) or, in CDK, passed in
 *   as a construct;
 * - `workflow`: another workflow of the same plan, written in the same output;
 * - `name`: its deployed name is known, and its ARN/URL is built from it with the stack's partition, region, account;
 * - `parameter`: none of these; the user supplies its name (a template parameter, a Terraform variable, a construct
 *   property). `pattern` keeps a partly known name (`orders-*-fraudCheck`) for the notes and the IAM policy.
 */
export type Binding =
  | { how: 'declared'; resource: WorkflowResource; logicalId: string }
  | { how: 'workflow'; resource: WorkflowResource; workflow: WorkflowPlan }
  | { how: 'name'; resource: WorkflowResource; name: string }
  | { how: 'parameter'; resource: WorkflowResource; parameter: string; pattern?: string };

/** The IaC family a file belongs to: serverless.yml and the files it includes, templates, Terraform, CDK code. */
type Family = 'serverless' | 'cfn' | 'terraform' | 'cdk';

function getTargetFamily(target: IacTarget): Family {
  return target === 'sam' || target === 'cloudformation' ? 'cfn' : target;
}

function getFileFamily(file: string, repositoryFormat: IacTarget | undefined): Family | undefined {
  if (/(^|\/)serverless\.(ya?ml|json|ts|js)$/.test(file)) return 'serverless';
  if (/\.tf(\.json)?$/.test(file)) return 'terraform';
  if (/\.(ts|js|mjs|cjs)$/.test(file)) return 'cdk';
  // A YAML/JSON file in a Serverless repository is one of its includes (`resources: ${file(...)}`).
  if (/\.(ya?ml|json|template)$/.test(file)) return repositoryFormat === 'serverless' ? 'serverless' : 'cfn';
  return undefined;
}

/** Serverless's `getNormalizedFunctionName`: first letter upper-cased, `-` → `Dash`, `_` → `Underscore`. */
export function normalizeServerlessName(name: string): string {
  const replaced = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return replaced.charAt(0).toUpperCase() + replaced.slice(1);
}

const TERRAFORM_TYPES: Record<WorkflowResource['kind'], string | undefined> = {
  function: 'aws_lambda_function',
  queue: 'aws_sqs_queue',
  topic: 'aws_sns_topic',
  bus: 'aws_cloudwatch_event_bus',
  'state-machine': 'aws_sfn_state_machine',
  workflow: undefined,
  external: undefined,
};

/** The key a YAML mapping entry starts with (`placeOrder:`, `"OrdersQueue": {`). */
function getYamlKey(text: string): string | undefined {
  return /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*:/.exec(text)?.[1];
}

/** The id the target IaC uses for a resource declared in it, or undefined when it cannot refer to it. */
function getDeclaredId(resource: WorkflowResource, family: Family): string | undefined {
  const text = resource.declaredAt?.text ?? '';
  switch (family) {
    case 'cfn': {
      const key = getYamlKey(text) ?? resource.id;
      return /^[A-Za-z0-9]+$/.test(key) ? key : undefined;
    }
    case 'serverless': {
      const key = getYamlKey(text) ?? resource.id;
      // Functions and the plugin's state machines get generated logical ids; `resources:` entries keep theirs.
      if (resource.kind === 'function') return `${normalizeServerlessName(key)}LambdaFunction`;
      if (resource.kind === 'state-machine' && !/^[A-Z]/.test(key)) return `${normalizeServerlessName(key)}StepFunctionsStateMachine`;
      return /^[A-Za-z0-9]+$/.test(key) ? key : undefined;
    }
    case 'terraform': {
      const match = /^\s*resource\s+"([a-z0-9_]+)"\s+"([A-Za-z_][A-Za-z0-9_-]*)"/.exec(text);
      if (!match || match[1] !== TERRAFORM_TYPES[resource.kind]) return undefined;
      // `count` and `for_each` instances: `[0]`, `["email"]` (nothing else is written into the HCL).
      const instanceKey = /(\[(?:\d+|"[A-Za-z0-9_.-]*")\])$/.exec(resource.id)?.[1] ?? '';
      return `${match[1]}.${match[2]}${instanceKey}`;
    }
    case 'cdk':
      // A construct of the user's app: the generated construct receives it as a property.
      return resource.id;
  }
}

/** The parameter asking for a resource's name: its placeholder with the attribute word replaced by `Name`. */
export function getParameterName(resource: WorkflowResource): string {
  return resource.placeholder.replace(/(Arn|Url|Name)$/, '') + 'Name';
}

export function bindResource(plan: Plan, resource: WorkflowResource, target: IacTarget, repositoryFormat?: IacTarget): Binding {
  if (resource.kind === 'workflow') {
    const workflow = plan.workflows.find((candidate) => candidate.name === resource.id);
    if (workflow) return { how: 'workflow', resource, workflow };
  }
  const family = getTargetFamily(target);
  if (resource.declaredAt && resource.kind !== 'external' && getFileFamily(resource.declaredAt.file, repositoryFormat) === family) {
    const logicalId = getDeclaredId(resource, family);
    if (logicalId) return { how: 'declared', resource, logicalId };
  }
  if (resource.name && !resource.name.includes('*')) return { how: 'name', resource, name: resource.name };
  return { how: 'parameter', resource, parameter: getParameterName(resource), ...(resource.name ? { pattern: resource.name } : {}) };
}

/** Bindings of every resource of a workflow, by resource id. */
export function bindWorkflow(plan: Plan, workflow: WorkflowPlan, target: IacTarget, repositoryFormat?: IacTarget): Map<string, Binding> {
  return new Map(workflow.resources.map((resource) => [resource.id, bindResource(plan, resource, target, repositoryFormat)]));
}
