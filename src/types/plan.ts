/**
 * The Plan: what `lambda2sfn propose` decided, saved as `lambda2sfn.plan.yaml`. A public contract, described by
 * `schema/plan.schema.json` and documented in `docs/plan.md`; every generator (ASL, IaC, IAM, handlers, report,
 * simulate) reads the plan alone. Properties are declared in the order the plan file writes them, and the schema
 * lists them in that order (a meta test keeps the two in step). Bump `PLAN_SCHEMA_VERSION` when a change is not
 * backwards compatible.
 */
export const PLAN_SCHEMA_VERSION = 1;

export interface Plan {
  /** Version of this format. Readers refuse versions they do not know. */
  schemaVersion: number;
  /** The lambda2sfn version that wrote the plan. */
  toolVersion: string;
  /** The analysed folder, relative to the folder of the plan file (POSIX separators). */
  sourceRoot: string;
  /** One entry per chain turned into a workflow. */
  workflows: WorkflowPlan[];
  /** Chains that were not turned into a workflow, with the reason. */
  skipped: SkippedChain[];
}

/** A place in the analysed code with the source line it cites: a path relative to the analysed folder, a 1-based line, the line's text (trimmed). */
export interface Evidence {
  file: string;
  line: number;
  text: string;
}

export interface SkippedChain {
  /** The entry function of the chain. */
  entry: string;
  /** Why it was not proposed (a cycle, recursion, not chosen). */
  reason: string;
  evidence: Evidence[];
}

export type WorkflowType = 'STANDARD' | 'EXPRESS';
export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface WorkflowPlan {
  /** Safe for file names and state machine names: letters, digits and `-` (`place-order`). The ASL is `<name>.asl.json`. */
  name: string;
  /** PascalCase, for IaC logical ids and construct names (`PlaceOrderWorkflow`). */
  logicalId: string;
  /** The chain of the Graph this workflow replaces. */
  chain: PlanChain;
  type: WorkflowType;
  queryLanguage: QueryLanguage;
  /** Every choice made while building the workflow, in the order they were taken. */
  decisions: Decision[];
  /** The functions of the workflow and how each is invoked (whole, or split into parts). */
  functions: WorkflowFunction[];
  /** Everything the workflow definition touches, with the placeholder the ASL uses for it. */
  resources: WorkflowResource[];
  /** The workflow as a tree of steps. */
  model: WorkflowModel;
  /** What a reviewer should know: risks, limits, approximations (rounded intervals, filter policies not applied...). */
  findings: PlanFinding[];
}

export interface PlanChain {
  /** The entry function (a Graph node id). */
  entry: string;
  /** What starts the entry function (`http`, `schedule`, ...), or `none`. */
  triggers: string[];
  /** Functions of the chain (Graph node ids), the entry first. */
  functions: string[];
  /** Every node the chain reaches (Graph node ids), the entry first. */
  nodes: string[];
}

/** How a decision was taken: the recommended default (`--yes`, no terminal, or a single option), answered in a prompt, given by a command-line flag, or changed by hand in a plan file. */
export type DecisionSource = 'default' | 'prompt' | 'flag' | 'plan';

export interface Decision {
  /** Stable within the workflow, used to find the decision again when the plan is replayed (`workflow-type`, `queue:OrdersQueue`). */
  id: string;
  /** What was decided: `workflow-type`, `query-language`, `queue`, `forwarder`, `unresolved-target`, `distributed-map`, `nested-workflow`. */
  kind: string;
  /** The question as asked. */
  question: string;
  /** The value chosen: one of the alternatives. */
  choice: string;
  /** The recommended value. */
  default: string;
  alternatives: DecisionAlternative[];
  /** Why the default is recommended. */
  reason: string;
  /** The code and configuration the question is about. */
  evidence: Evidence[];
  takenBy: DecisionSource;
}

export interface DecisionAlternative {
  value: string;
  description: string;
}

/**
 * How a function of the chain is invoked by the workflow. `whole`: its Task passes the payload directly as the
 * event and the function's return value is its result (for a function that hands work on, the payload of the next
 * step). `parts`: the function is split at the calls whose result it uses (and at guarded calls); one deployed
 * Lambda still runs every part, and its `handler` export dispatches on `step` (see `docs/plan.md`, "Split functions").
 */
export interface WorkflowFunction {
  /** The Graph node id. */
  id: string;
  /** The handler as `file:export`, when known. */
  handler?: string;
  /** The DefinitionSubstitutions key of its ARN (`ValidatePaymentFunctionArn`). */
  placeholder: string;
  invocation: 'whole' | 'parts';
  /** For `parts`: each part in the order they run, the first one first. */
  parts: FunctionPart[];
  /** Calls the code made that the workflow now makes instead: the refactored handler no longer makes them. */
  movedCalls: MovedCall[];
  /** The function's configured timeout in seconds, when known (the Tasks' TimeoutSeconds). */
  timeoutSeconds?: number;
}

export interface FunctionPart {
  /** The export of the refactored module, and the `step` value its Task passes (`beforeFraudCheck`, `afterFraudCheck`). */
  name: string;
  /** `start`: from the handler's start; `after-call`: from the return of a call; `on-error`: from the catch clause of a failed call. */
  role: 'start' | 'after-call' | 'on-error';
  /** For `after-call`: the call whose result the part receives; for `on-error`: the call whose failure it handles. */
  after?: MovedCall;
  /** The catch clause an `on-error` part starts in. */
  catchClause?: Evidence;
  /** The calls whose input the part returns as `payload` (one call: its input; several, as for a Parallel or a Map: an array in call order); empty when the part ends the handler. */
  before: MovedCall[];
  /** Variables of the handler that the workflow itself reads after this part (`order` for a Choice on `$.vars.order.total`): the part returns them in `vars`, besides those later parts need. */
  vars: string[];
  /** The state names of the Tasks that run this part. */
  states: string[];
}

/** A call of the original code, by its call site (an edge of the Graph). */
export interface MovedCall {
  /** The Graph node the call reaches. */
  to: string;
  /** The Graph edge kind (`invoke-sync`, `sqs`, ...). */
  kind: string;
  file: string;
  line: number;
  /** The call's source line. */
  text: string;
}

export interface WorkflowResource {
  /** The Graph node id, or for a nested workflow of this plan, its workflow name. */
  id: string;
  kind: 'function' | 'queue' | 'topic' | 'bus' | 'state-machine' | 'workflow' | 'external';
  /** The DefinitionSubstitutions key the ASL uses, without `${}` (`ValidatePaymentFunctionArn`, `OrdersQueueUrl`). */
  placeholder: string;
  /** What the placeholder stands for: the ARN, the queue URL, or the name. */
  attribute: 'arn' | 'url' | 'name';
  /** The deployed name, when known (`*` for parts that are not known). */
  name?: string;
  /** IAM actions the workflow's role needs on this resource (`lambda:InvokeFunction`, `sqs:SendMessage`). */
  actions: string[];
  /** Where the IaC declares it. */
  declaredAt?: Evidence;
}

export interface PlanFinding {
  /** Stable identifier (`payload-size`, `filter-policy`, `rounded-interval`, `cycle`, `unresolved-target`). */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  evidence: Evidence[];
}

export interface WorkflowModel {
  /** The state machine's Comment. */
  comment: string;
  /** The steps in the order they run; the first one is StartAt. */
  steps: Step[];
}

/** Every step starts with `type`, `name` (the state name: unique in the workflow, from the code, at most 80 characters), `comment` (citing file:line) and `evidence`. */
export type Step = TaskStep | ServiceStep | MapStep | ParallelStep | ChoiceStep | WaitStep | PassStep | SucceedStep | FailStep;

/**
 * What a step passes on. Paths are JSONPath over the state (`$`, `$.payload`, `$.result.Payload`); templates use the
 * ASL `Parameters` notation (`{ "event.$": "$" }`). The JSONata renderer translates both.
 */
export type StepInput = { kind: 'path'; path: string } | { kind: 'template'; template: Record<string, unknown> };

/** Where a result goes, as in ASL: `resultSelector` reshapes the raw result, `resultPath` places it in the state (`$` replaces the state, `$.result` sits next to the input, null keeps the input as it was), `outputPath` selects what is passed on. */
export interface ResultHandling {
  resultSelector?: Record<string, unknown>;
  resultPath: string | null;
  outputPath?: string;
}

export interface RetryRule {
  errorEquals: string[];
  intervalSeconds: number;
  /** Retries after the first attempt (a loop of 3 attempts gives 2). */
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitterStrategy?: 'FULL' | 'NONE';
  /** Why this rule: the recommended Lambda service-exception retry, or the retry loop it replaces (with any rounding said). */
  comment: string;
  evidence: Evidence[];
}

export interface CatchRule {
  errorEquals: string[];
  /** Where the error (`{ Error, Cause }`) goes in the state; null drops it. */
  resultPath: string | null;
  comment: string;
  evidence: Evidence[];
  /** The steps that run when the error is caught (compensation, dead-letter step...); they end in Fail or Succeed, or else the workflow ends after them. */
  steps: Step[];
}

/** A Lambda function (or a part of a split one) through `arn:aws:states:::lambda:invoke`. */
export interface TaskStep {
  type: 'task';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  /** The Graph node id of the function. */
  function: string;
  /** For a split function: the part this Task runs. */
  part?: string;
  /** What the function receives as its event (the `Payload`). */
  input: StepInput;
  result: ResultHandling;
  timeoutSeconds?: number;
  retry: RetryRule[];
  catch: CatchRule[];
}

/** A direct service integration, replacing a call or a function that only forwarded to the service. */
export interface ServiceStep {
  type: 'service';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  service: 'sqs' | 'sns' | 'events' | 'states' | 'dynamodb';
  /** The API action as in the integration ARN (`sendMessage`, `publish`, `putEvents`, `startExecution`, `putItem`). */
  action: string;
  /** `request-response`: call and go on; `sync`: wait for a nested execution (`startExecution.sync:2`); `wait-for-task-token`: wait for a callback. */
  integration: 'request-response' | 'sync' | 'wait-for-task-token';
  /** The resource (WorkflowResource id) the call reaches. */
  resource: string;
  /** The API parameters in ASL `Parameters` notation; placeholders are `${Key}` strings. */
  parameters: Record<string, unknown>;
  result: ResultHandling;
  timeoutSeconds?: number;
  retry: RetryRule[];
  catch: CatchRule[];
}

/** A fan-out over an array: inline, or distributed for S3 listings and very large arrays. */
export interface MapStep {
  type: 'map';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  mode: 'inline' | 'distributed';
  /** The array in the state (`$.payload`); for a distributed map reading S3, absent. */
  itemsPath?: string;
  /** What each iteration receives (ASL `ItemSelector` notation); absent: the item itself. */
  itemSelector?: Record<string, unknown>;
  /** Distributed map: where the items come from (`s3:listObjectsV2` with its parameters). */
  itemReader?: { resource: string; parameters: Record<string, unknown> };
  /** The limit of iterations running at once; absent when the code had none (0 in ASL: as many as possible). */
  maxConcurrency?: number;
  /** For `allSettled`-style fan-outs: the share of iterations that may fail. */
  toleratedFailurePercentage?: number;
  /** The steps each iteration runs. */
  steps: Step[];
  result: ResultHandling;
  retry: RetryRule[];
  catch: CatchRule[];
}

export interface ParallelStep {
  type: 'parallel';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  branches: ParallelBranch[];
  result: ResultHandling;
  retry: RetryRule[];
  catch: CatchRule[];
}

export interface ParallelBranch {
  /** What the branch stands for (`notifyCustomer`, `audit(order)`). */
  label: string;
  steps: Step[];
}

/** A condition of the code. The steps of the first matching branch run, else `otherwise`; then the flow goes on after the Choice. */
export interface ChoiceStep {
  type: 'choice';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  branches: ChoiceBranch[];
  otherwise: Step[];
}

export interface ChoiceBranch {
  condition: Condition;
  /** The test as written in the code. */
  sourceText: string;
  steps: Step[];
}

export type Condition = CompareCondition | AndCondition | OrCondition | NotCondition;

export interface CompareCondition {
  kind: 'compare';
  /** A JSONPath in the state. */
  path: string;
  operator: '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | 'not-exists' | 'truthy' | 'falsy';
  /** The value compared with; absent for `exists`, `not-exists`, `truthy`, `falsy`. */
  value?: string | number | boolean | null;
}

export interface AndCondition {
  kind: 'and';
  conditions: Condition[];
}

export interface OrCondition {
  kind: 'or';
  conditions: Condition[];
}

export interface NotCondition {
  kind: 'not';
  condition: Condition;
}

export interface WaitStep {
  type: 'wait';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  seconds: number;
}

export interface PassStep {
  type: 'pass';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  /** A value built from the state (ASL `Parameters`), placed at `result.resultPath`; absent: `value`, or the input. */
  input?: StepInput;
  /** A fixed value to place at `result.resultPath`; absent: the input passes through. */
  value?: unknown;
  result: ResultHandling;
}

/** Ends the workflow (or its branch) successfully; `outputPath` selects the output. */
export interface SucceedStep {
  type: 'succeed';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  outputPath?: string;
}

/** Ends the workflow (or its branch) with an error: a fixed one, or the one found at `errorPath`/`causePath` (a caught error passed on). */
export interface FailStep {
  type: 'fail';
  /** The state name: unique in the workflow, derived from the code (`ValidatePayment`, `PlaceOrderAfterFraudCheck`), at most 80 characters. */
  name: string;
  /** Cites the source (`src/handlers/place-order.ts:82`) and says what the step replaces. */
  comment: string;
  /** The code and configuration the step comes from. */
  evidence: Evidence[];
  error?: string;
  cause?: string;
  errorPath?: string;
  causePath?: string;
}
