/**
 * What a simulation records in each world (the original chain, the generated workflow) and how the two are compared.
 * Every value is JSON, so a trace can be printed with `--format json` and compared field by field.
 */

/** How a run (of the whole chain or workflow, or of one function) ended. */
export type Outcome = { kind: 'returned'; value: unknown } | { kind: 'failed'; error: string; message: string };

/** One run of a function with its business input: the event it received, unwrapped from the SQS/SNS/EventBridge envelope. */
export interface Invocation {
  /** The Graph node id. */
  function: string;
  input: unknown;
  /** `ok`, or the name of the error it threw. */
  status: string;
  /** When it started, counted with the effects: 1, 2, 3... in the order things happened in this world. */
  seq: number;
}

/**
 * A call that leaves the chain: a DynamoDB write, an email sent, a message left on a queue or topic that nothing in
 * the simulation consumes (a dead-letter queue). Orchestration calls (an invoke, a send to a queue the chain
 * consumes) are not effects: the invocations they cause are compared instead.
 */
export interface Effect {
  /** The function that made the call; absent when the infrastructure did (a redrive, a workflow state). */
  function?: string;
  /** `dynamodb:PutItem`, `ses:SendEmail`, `message` for a message left on a queue, topic or bus. */
  action: string;
  /** The table, queue, topic... when there is one. */
  target?: string;
  params: unknown;
  /** When it happened, counted with the invocations. */
  seq: number;
}

/** Everything one world did for one scenario. */
export interface Trace {
  outcome: Outcome;
  invocations: Invocation[];
  effects: Effect[];
  /** Things the simulation could only approximate (an operation answered by a generic fake, a blocked connection). */
  notices: string[];
}

/** A failure to inject: the function's first `times` invocations throw an error named `error` (`times` absent: every one). */
export interface FaultSpec {
  function: string;
  times?: number;
  error: string;
}

export interface Scenario {
  /** A short name: the input file, and the faults injected. */
  name: string;
  input: unknown;
  /** Where the input came from: a file given with `--input`, or generated from the entry's trigger. */
  source: string;
  faults: FaultSpec[];
}

/** The first difference between the two worlds, named so a reviewer can find it. */
export interface Difference {
  /** `outcome`, `invocations` or `effects`. */
  aspect: 'outcome' | 'invocations' | 'effects';
  /** The function concerned, when there is one. */
  function?: string;
  /** The field (a path in the value: `body.status`, `input.items[0].sku`), when there is one. */
  field?: string;
  expected: string;
  got: string;
  /** One sentence: what differs. */
  summary: string;
}

export interface ScenarioResult {
  workflow: string;
  scenario: Scenario;
  verdict: 'same' | 'different';
  difference?: Difference;
  chain: Trace;
  workflowTrace: Trace;
}
