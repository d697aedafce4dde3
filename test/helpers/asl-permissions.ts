/**
 * What an ASL document needs its role to allow, read from the document alone (Task resources and their
 * parameters), independently of how the generators derive their policy: the test compares the two.
 * A target is named by the placeholder the document uses (`${ValidatePaymentFunctionArn}`) and a form.
 */
export interface AslPermission {
  action: string;
  /** `placeholder:form` (`FraudCheckFunctionArn:arn`), `self:arn`, `sync-rule`, `bucket:<name>`. */
  target: string;
}

const PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/;

function getArguments(state: Record<string, unknown>): Record<string, unknown> {
  return (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
}

function placeholderOf(value: unknown): string {
  const match = typeof value === 'string' ? PLACEHOLDER.exec(value) : null;
  return match ? match[1]! : `<${JSON.stringify(value)}>`;
}

/** Every state of a document, nested ones included (Map iterations, Parallel branches). */
function listStates(machine: Record<string, unknown>): Record<string, unknown>[] {
  const states: Record<string, unknown>[] = [];
  for (const state of Object.values((machine.States ?? {}) as Record<string, Record<string, unknown>>)) {
    states.push(state);
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (processor) states.push(...listStates(processor));
    for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) states.push(...listStates(branch));
  }
  return states;
}

export function getAslPermissions(asl: Record<string, unknown>): AslPermission[] {
  const needs: AslPermission[] = [];
  const add = (action: string, target: string) => needs.push({ action, target });
  for (const state of listStates(asl)) {
    if (state.Type === 'Map' && (state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      add('states:StartExecution', 'self:arn');
      add('states:DescribeExecution', 'self:executions');
      const reader = state.ItemReader as Record<string, unknown> | undefined;
      if (reader) {
        const bucket = getArguments(reader).Bucket;
        if (reader.Resource === 'arn:aws:states:::s3:listObjectsV2') add('s3:ListBucket', `bucket:${String(bucket)}`);
        else add('s3:GetObject', `bucket:${String(bucket)}/${String(getArguments(reader).Key ?? '*')}`);
      }
    }
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const args = getArguments(state);
    const match = /^arn:aws:states:::([a-z]+):([A-Za-z]+)(\.sync(:2)?|\.waitForTaskToken)?$/.exec(resource);
    if (!match) {
      add(`unknown:${resource}`, '?');
      continue;
    }
    const [, service, api, pattern] = match;
    switch (`${service}:${api}`) {
      case 'lambda:invoke':
        add('lambda:InvokeFunction', `${placeholderOf(args.FunctionName)}:arn`);
        add('lambda:InvokeFunction', `${placeholderOf(args.FunctionName)}:qualified`);
        break;
      case 'sqs:sendMessage':
        add('sqs:SendMessage', `${placeholderOf(args.QueueUrl)}:arn`);
        break;
      case 'sns:publish':
        add('sns:Publish', `${placeholderOf(args.TopicArn)}:arn`);
        break;
      case 'events:putEvents':
        for (const entry of (args.Entries ?? []) as Record<string, unknown>[]) add('events:PutEvents', `${placeholderOf(entry.EventBusName)}:arn`);
        break;
      case 'states:startExecution':
        add('states:StartExecution', `${placeholderOf(args.StateMachineArn)}:arn`);
        if (pattern?.startsWith('.sync')) {
          add('states:DescribeExecution', `${placeholderOf(args.StateMachineArn)}:executions`);
          add('states:StopExecution', `${placeholderOf(args.StateMachineArn)}:executions`);
          for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) add(action, 'sync-rule');
        }
        break;
      default:
        add(`${service}:${api.charAt(0).toUpperCase()}${api.slice(1)}`, `${placeholderOf(Object.values(args)[0])}:arn`);
    }
  }
  return needs;
}

/** As a sorted, distinct list of `action on target` lines, for comparison. */
export function toPermissionLines(permissions: readonly AslPermission[]): string[] {
  return [...new Set(permissions.map((permission) => `${permission.action} on ${permission.target}`))].sort();
}
