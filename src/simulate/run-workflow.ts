import type { Outcome } from './types.js';
import type { SimulatedDefinition, TaskTarget } from './workflow-definition.js';
import type { World } from './world.js';

type Json = Record<string, unknown>;

const machines = new WeakMap<SimulatedDefinition, InstanceType<typeof import('aws-local-stepfunctions').StateMachine>>();

/**
 * aws-local-stepfunctions needs `Promise.withResolvers` (Node 22); on Node 20 every Task would fail with a TypeError
 * that a `States.ALL` Catch could hide. Polyfilled before the runner is loaded.
 */
function polyfillWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers !== 'function') promise.withResolvers = withResolvers;
}

function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const created = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: created, resolve, reject };
}

const toText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Runs the workflow's definition with aws-local-stepfunctions: every Task runs its function's handler (the
 * refactored one) through the world, with the `lambda:invoke` result shape, or answers its service integration
 * through the world; retry waits and Wait states take no time. Asynchronous deliveries the run caused are drained.
 */
export async function runWorkflow(world: World, prepared: SimulatedDefinition, input: unknown): Promise<Outcome> {
  polyfillWithResolvers();
  const { StateMachine, ExecutionError, ExecutionTimeoutError } = await import('aws-local-stepfunctions');
  // Made once per definition: the runner validates the definition (asl-validator) when it is made.
  let machine = machines.get(prepared);
  if (!machine) {
    machine = new StateMachine(prepared.definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
    machines.set(prepared, machine);
  }
  const handlers = Object.fromEntries([...prepared.tasks].map(([name, target]) => [name, (state: unknown) => runTask(world, target, state as Json)]));
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: Object.fromEntries(prepared.retried.map((name) => [name, 0])),
      waitTimeOverrides: Object.fromEntries(prepared.waits.map((name) => [name, 0])),
    },
  });
  let outcome: Outcome;
  try {
    outcome = { kind: 'returned', value: await execution.result };
  } catch (error) {
    if (error instanceof ExecutionError) {
      const cause = (error as Error & { cause?: Error }).cause;
      outcome = { kind: 'failed', error: cause?.name ?? 'States.Runtime', message: cause?.message ?? error.message };
    } else if (error instanceof ExecutionTimeoutError) {
      outcome = { kind: 'failed', error: 'States.Timeout', message: 'the execution timed out' };
    } else {
      throw error;
    }
  }
  await world.drain();
  return outcome;
}

async function runTask(world: World, target: TaskTarget, state: Json): Promise<unknown> {
  if (target.kind === 'service') return runServiceTask(world, target, state);
  const payload = target.lambdaInvoke ? state.Payload : state;
  const envelope = payload as { step?: string; event?: unknown } | undefined;
  const options = target.startPart === undefined ? {} : envelope?.step === target.startPart ? { input: envelope.event ?? null } : { record: 'continue' as const };
  const result = await world.invoke(target.function, payload ?? {}, options);
  if (!result.ok) {
    // What Step Functions reports for a function error: the error type as the name, Lambda's error document as the cause.
    throw Object.assign(new Error(JSON.stringify({ errorMessage: result.error.message, errorType: result.error.name, trace: [] })), { name: result.error.name });
  }
  return target.lambdaInvoke ? { ExecutedVersion: '$LATEST', Payload: result.value, StatusCode: 200 } : result.value;
}

/** A service integration, answered by the world as the call the state stands for; the result as Step Functions gives it. */
async function runServiceTask(world: World, target: Extract<TaskTarget, { kind: 'service' }>, state: Json): Promise<unknown> {
  switch (target.service) {
    case 'sqs':
      return world.call('sqs', 'SendMessage', { ...state, MessageBody: toText(state.MessageBody) });
    case 'sns':
      return world.call('sns', 'Publish', { ...state, Message: toText(state.Message) });
    case 'events':
      return world.call('eventbridge', 'PutEvents', { Entries: ((state.Entries ?? []) as Json[]).map((entry) => ({ ...entry, Detail: toText(entry.Detail ?? {}) })) });
    case 'states':
      return world.call('sfn', 'StartExecution', { stateMachineArn: state.StateMachineArn, input: toText(state.Input ?? {}), ...(state.Name ? { name: state.Name } : {}) });
    case 'dynamodb':
      return world.call('dynamodb', target.action.charAt(0).toUpperCase() + target.action.slice(1), state);
  }
}
