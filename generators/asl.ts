import type { GeneratedFile, Generator } from '../src/types/generator.js';
import type { CatchRule, Condition, ResultHandling, RetryRule, Step, StepInput, WorkflowPlan } from '../src/types/plan.js';
import { Expression, toJsonataCondition, toJsonataOutput, toJsonataValue, toJsonataPath, wrap } from './asl-jsonata.js';
import { getAslFileName } from './shared/placeholders.js';

/** An ASL document, as plain JSON. */
export type AslDefinition = Record<string, unknown>;

/** Where a workflow's definition is written, relative to the output folder; the IaC generators refer to it. */
export function getAslPath(workflow: WorkflowPlan): string {
  return getAslFileName(workflow);
}

/**
 * The ASL generator: one `statemachines/<name>.asl.json` per workflow, in the plan's query language. Resources are
 * `${Placeholder}` strings that the IaC generators substitute (DefinitionSubstitutions).
 */
export const asl: Generator = {
  id: 'asl',
  description: 'Amazon States Language definitions (statemachines/<name>.asl.json)',
  generate: (plan) => plan.workflows.map((workflow): GeneratedFile => ({ path: getAslPath(workflow), contents: `${JSON.stringify(renderAsl(workflow), null, 2)}\n` })),
};

/** The workflow's model as an ASL definition. */
export function renderAsl(workflow: WorkflowPlan): AslDefinition {
  const renderer = new AslRenderer(workflow);
  const definition: AslDefinition = { Comment: workflow.model.comment };
  if (workflow.queryLanguage === 'JSONata') definition.QueryLanguage = 'JSONata';
  Object.assign(definition, renderer.renderSequence(workflow.model.steps, undefined));
  return definition;
}

/** Where a sequence goes when its last step is done: the name of the next state, or the end. */
type Continuation = string | undefined;

class AslRenderer {
  private readonly jsonata: boolean;
  private readonly placeholders: Map<string, string>;

  constructor(workflow: WorkflowPlan) {
    this.jsonata = workflow.queryLanguage === 'JSONata';
    this.placeholders = new Map(workflow.resources.map((resource) => [resource.id, resource.placeholder]));
  }

  /** `{ StartAt, States }` for a branch, an iteration or the whole machine. */
  renderSequence(steps: readonly Step[], continuation: Continuation): { StartAt: string; States: Record<string, unknown> } {
    const states: Record<string, unknown> = {};
    const startAt = this.addSequence(states, steps, continuation);
    if (startAt === undefined) throw new Error('an empty sequence has no StartAt');
    return { StartAt: startAt, States: states };
  }

  /** Adds a sequence's states to `states`; returns the name of its first state (the continuation when empty). */
  private addSequence(states: Record<string, unknown>, steps: readonly Step[], continuation: Continuation): Continuation {
    steps.forEach((step, index) => {
      const next = steps[index + 1]?.name ?? continuation;
      // Claim the name first, so that States lists a sequence in order, before the branches and catches it leads to.
      states[step.name] = null;
      states[step.name] = this.renderStep(states, step, next);
    });
    return steps[0]?.name ?? continuation;
  }

  private renderStep(states: Record<string, unknown>, step: Step, next: Continuation): Record<string, unknown> {
    switch (step.type) {
      case 'task':
        return this.withFlow(states, step, next, {
          Type: 'Task',
          Comment: step.comment,
          Resource: 'arn:aws:states:::lambda:invoke',
          ...this.renderArguments({ FunctionName: `\${${this.placeholders.get(step.function) ?? 'UnknownFunctionArn'}}` }, 'Payload', step.input),
          ...this.renderResult(step.result),
          ...(step.timeoutSeconds !== undefined ? { TimeoutSeconds: step.timeoutSeconds } : {}),
        }, step.retry, step.catch);
      case 'service': {
        const suffix = step.integration === 'sync' ? '.sync:2' : step.integration === 'wait-for-task-token' ? '.waitForTaskToken' : '';
        return this.withFlow(states, step, next, {
          Type: 'Task',
          Comment: step.comment,
          Resource: `arn:aws:states:::${step.service}:${step.action}${suffix}`,
          ...this.renderParameters(step.parameters),
          ...this.renderResult(step.result),
          ...(step.timeoutSeconds !== undefined ? { TimeoutSeconds: step.timeoutSeconds } : {}),
        }, step.retry, step.catch);
      }
      case 'map':
        return this.withFlow(states, step, next, {
          Type: 'Map',
          Comment: step.comment,
          ItemProcessor: {
            ProcessorConfig: step.mode === 'distributed' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
            ...this.renderSequence(step.steps, undefined),
          },
          ...(step.itemReader ? { ItemReader: { Resource: step.itemReader.resource, ...this.renderParameters(step.itemReader.parameters) } } : {}),
          ...(step.itemsPath !== undefined ? (this.jsonata ? { Items: wrap(toJsonataPath(step.itemsPath)) } : { ItemsPath: step.itemsPath }) : {}),
          ...(step.itemSelector ? { ItemSelector: this.jsonata ? toJsonataTemplate(step.itemSelector) : step.itemSelector } : {}),
          ...(step.maxConcurrency !== undefined ? { MaxConcurrency: step.maxConcurrency } : {}),
          ...(step.toleratedFailurePercentage !== undefined ? { ToleratedFailurePercentage: step.toleratedFailurePercentage } : {}),
          ...this.renderResult(step.result),
        }, step.retry, step.catch);
      case 'parallel':
        return this.withFlow(states, step, next, {
          Type: 'Parallel',
          Comment: step.comment,
          Branches: step.branches.map((branch) => this.renderSequence(branch.steps, undefined)),
          ...this.renderResult(step.result),
        }, step.retry, step.catch);
      case 'choice':
        return this.renderChoice(states, step, next);
      case 'wait':
        return { Type: 'Wait', Comment: step.comment, Seconds: step.seconds, ...toNext(next) };
      case 'pass':
        return {
          Type: 'Pass',
          Comment: step.comment,
          ...this.renderPassValue(step.input, step.value, step.result),
          ...toNext(next),
        };
      case 'succeed':
        return { Type: 'Succeed', Comment: step.comment, ...(step.outputPath !== undefined ? this.renderOutputPath(step.outputPath) : {}) };
      case 'fail':
        return {
          Type: 'Fail',
          Comment: step.comment,
          ...(step.error !== undefined ? { Error: step.error } : {}),
          ...(step.errorPath !== undefined ? (this.jsonata ? { Error: wrap(toJsonataPath(step.errorPath)) } : { ErrorPath: step.errorPath }) : {}),
          ...(step.cause !== undefined ? { Cause: step.cause } : {}),
          ...(step.causePath !== undefined ? (this.jsonata ? { Cause: wrap(toJsonataPath(step.causePath)) } : { CausePath: step.causePath }) : {}),
        };
    }
  }

  /** Retry, Catch (whose steps join this state's `States`) and Next/End. */
  private withFlow(states: Record<string, unknown>, _step: Step, next: Continuation, state: Record<string, unknown>, retry: readonly RetryRule[], rules: readonly CatchRule[]): Record<string, unknown> {
    if (retry.length > 0) state.Retry = retry.map(renderRetry);
    if (rules.length > 0) {
      state.Catch = rules.map((rule) => {
        // A catch's steps end the workflow (or branch) unless they end in Succeed or Fail themselves.
        const target = this.addSequence(states, rule.steps, undefined);
        if (target === undefined) throw new Error('a Catch needs steps');
        return { ErrorEquals: rule.errorEquals, ...this.renderCatchResult(rule.resultPath), Next: target };
      });
    }
    return { ...state, ...toNext(next) };
  }

  private renderChoice(states: Record<string, unknown>, step: Extract<Step, { type: 'choice' }>, next: Continuation): Record<string, unknown> {
    const targetOf = (steps: readonly Step[], label: string): string => {
      const target = this.addSequence(states, steps, next);
      if (target !== undefined) return target;
      // An empty branch at the very end: a Succeed that passes the state on.
      const name = `${step.name}${label}`;
      states[name] = { Type: 'Succeed', Comment: `nothing to do when ${label === 'Otherwise' ? 'no condition holds' : 'the condition holds'}` };
      return name;
    };
    const choices = step.branches.map((branch) => ({
      ...(this.jsonata ? { Condition: wrap(toJsonataCondition(branch.condition)) } : toJsonPathRule(branch.condition)),
      Next: targetOf(branch.steps, 'Matched'),
    }));
    const otherwise = step.otherwise.length > 0 || next === undefined ? targetOf(step.otherwise, 'Otherwise') : next;
    return { Type: 'Choice', Comment: step.comment, Choices: choices, Default: otherwise };
  }

  /** Lambda: `{ FunctionName, Payload }`; the payload from a path, or a template. */
  private renderArguments(fixed: Record<string, unknown>, key: string, input: StepInput): Record<string, unknown> {
    if (this.jsonata) return { Arguments: { ...fixed, [key]: wrap(input.kind === 'path' ? toJsonataPath(input.path) : toJsonataValue(input.template)) } };
    return { Parameters: { ...fixed, ...(input.kind === 'path' ? { [`${key}.$`]: input.path } : { [key]: input.template }) } };
  }

  /** A service's API parameters, in ASL `Parameters` notation in the model. */
  private renderParameters(parameters: Record<string, unknown>): Record<string, unknown> {
    return this.jsonata ? { Arguments: toJsonataTemplate(parameters) } : { Parameters: parameters };
  }

  private renderResult(result: ResultHandling): Record<string, unknown> {
    if (this.jsonata) {
      const output = toJsonataOutput(result);
      return output === undefined ? {} : { Output: wrap(output) };
    }
    return {
      ...(result.resultSelector ? { ResultSelector: result.resultSelector } : {}),
      ...(result.resultPath !== '$' ? { ResultPath: result.resultPath } : {}),
      ...(result.outputPath !== undefined ? { OutputPath: result.outputPath } : {}),
    };
  }

  private renderCatchResult(resultPath: string | null): Record<string, unknown> {
    if (!this.jsonata) return { ResultPath: resultPath };
    if (resultPath === null) return { Output: wrap('$states.input') };
    if (resultPath === '$') return { Output: wrap('$states.errorOutput') };
    return { Output: wrap(`$merge([$states.input, ${toJsonataValue({ [resultPath.slice(2)]: new Expression('$states.errorOutput') })}])`) };
  }

  private renderOutputPath(path: string): Record<string, unknown> {
    return this.jsonata ? { Output: wrap(toJsonataPath(path)) } : { OutputPath: path };
  }

  private renderPassValue(input: StepInput | undefined, value: unknown, result: ResultHandling): Record<string, unknown> {
    if (this.jsonata) {
      const produced = input ? (input.kind === 'path' ? toJsonataPath(input.path) : toJsonataValue(input.template)) : value !== undefined ? toJsonataValue(value) : undefined;
      const output = toJsonataOutput(result, produced ?? '$states.input');
      return output === undefined ? {} : { Output: wrap(output) };
    }
    return {
      ...(input?.kind === 'path' ? { InputPath: input.path } : {}),
      ...(input?.kind === 'template' ? { Parameters: input.template } : {}),
      ...(input === undefined && value !== undefined ? { Result: value } : {}),
      ...(result.resultPath !== '$' ? { ResultPath: result.resultPath } : {}),
      ...(result.outputPath !== undefined ? { OutputPath: result.outputPath } : {}),
    };
  }
}

function toNext(next: Continuation): Record<string, unknown> {
  return next === undefined ? { End: true } : { Next: next };
}

function renderRetry(rule: RetryRule): Record<string, unknown> {
  return {
    ErrorEquals: rule.errorEquals,
    IntervalSeconds: rule.intervalSeconds,
    MaxAttempts: rule.maxAttempts,
    BackoffRate: rule.backoffRate,
    ...(rule.maxDelaySeconds !== undefined ? { MaxDelaySeconds: rule.maxDelaySeconds } : {}),
    ...(rule.jitterStrategy !== undefined ? { JitterStrategy: rule.jitterStrategy } : {}),
  };
}

/** A template in ASL `Parameters` notation as JSONata `Arguments`: `"key.$": path` becomes `"key": "{% expr %}"`. */
function toJsonataTemplate(template: unknown): unknown {
  if (Array.isArray(template)) return template.map(toJsonataTemplate);
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') out[key.slice(0, -2)] = wrap(toJsonataPath(value));
    else out[key] = toJsonataTemplate(value);
  }
  return out;
}

/** A condition as a JSONPath Choice rule (without `Next`). */
export function toJsonPathRule(condition: Condition): Record<string, unknown> {
  switch (condition.kind) {
    case 'and':
      return { And: condition.conditions.map(toJsonPathRule) };
    case 'or':
      return { Or: condition.conditions.map(toJsonPathRule) };
    case 'not':
      return { Not: toJsonPathRule(condition.condition) };
    case 'compare':
      return toJsonPathComparison(condition);
  }
}

function toJsonPathComparison(condition: Extract<Condition, { kind: 'compare' }>): Record<string, unknown> {
  const variable = condition.path;
  const { value } = condition;
  switch (condition.operator) {
    case 'exists':
      return { Variable: variable, IsPresent: true };
    case 'not-exists':
      return { Variable: variable, IsPresent: false };
    case 'truthy':
      return { And: getTruthyRules(variable) };
    case 'falsy':
      return { Not: { And: getTruthyRules(variable) } };
    case '==':
      return toEquals(variable, value);
    case '!=':
      return { Not: toEquals(variable, value) };
    default: {
      const names: Record<string, string> = { '>': 'GreaterThan', '>=': 'GreaterThanEquals', '<': 'LessThan', '<=': 'LessThanEquals' };
      const prefix = typeof value === 'string' ? 'String' : 'Numeric';
      return { Variable: variable, [`${prefix}${names[condition.operator]}`]: value };
    }
  }
}

function toEquals(variable: string, value: Condition extends never ? never : string | number | boolean | null | undefined): Record<string, unknown> {
  if (value === null || value === undefined) return { Variable: variable, IsNull: true };
  if (typeof value === 'string') return { Variable: variable, StringEquals: value };
  if (typeof value === 'boolean') return { Variable: variable, BooleanEquals: value };
  return { Variable: variable, NumericEquals: value };
}

/** JavaScript truthiness in Choice rules: present, not null, not false, not "", not 0. */
function getTruthyRules(variable: string): Record<string, unknown>[] {
  return [
    { Variable: variable, IsPresent: true },
    { Not: { Variable: variable, IsNull: true } },
    { Not: { Variable: variable, BooleanEquals: false } },
    { Not: { Variable: variable, StringEquals: '' } },
    { Not: { Variable: variable, NumericEquals: 0 } },
  ];
}
