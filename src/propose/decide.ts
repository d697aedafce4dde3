import { UsageError, InputError } from '../errors.js';
import type { Decision, DecisionAlternative, DecisionSource, Evidence, Plan } from '../types/plan.js';

/** A question the mapping needs answered; the answer becomes a Decision of the plan. */
export interface DecisionRequest {
  id: string;
  kind: string;
  question: string;
  default: string;
  alternatives: DecisionAlternative[];
  reason: string;
  evidence: Evidence[];
}

/** Answers a question in a prompt; returns one of the alternatives' values. */
export type AskDecision = (request: DecisionRequest, workflow: string) => Promise<string>;

export interface DecisionSources {
  /** Answers given on the command line: `id` (every workflow) or `workflow/id`, to a value. */
  flags: ReadonlyMap<string, string>;
  /** A plan to replay: its decisions are taken as they are. */
  plan?: Plan;
  /** Present when a person can answer; absent with `--yes` or without a terminal. */
  ask?: AskDecision;
  /** Told about every default taken without asking, so the command can say which. */
  onDefault?: (decision: Decision, workflow: string) => void;
}

/** Resolves the decisions of one workflow: a flag first, then the replayed plan, then a prompt, else the default. */
export type Decide = (request: DecisionRequest) => Promise<Decision>;

export function createDecide(sources: DecisionSources, workflow: string, usedFlags: Set<string>): Decide {
  const planned = new Map(sources.plan?.workflows.find((item) => item.name === workflow)?.decisions.map((decision) => [decision.id, decision]) ?? []);
  return async (request) => {
    const values = request.alternatives.map((alternative) => alternative.value);
    const flagKey = [`${workflow}/${request.id}`, request.id].find((key) => sources.flags.has(key));
    if (flagKey !== undefined) {
      usedFlags.add(flagKey);
      const value = sources.flags.get(flagKey)!;
      if (!values.includes(value)) {
        throw new UsageError(`--decide ${flagKey}=${value}: ${value} is not one of ${values.join(', ')}`, `the question was: ${request.question}`);
      }
      return toDecision(request, value, 'flag');
    }
    const previous = planned.get(request.id);
    if (previous) {
      if (!values.includes(previous.choice)) {
        throw new InputError(`the plan's decision ${workflow}/${request.id} chose ${JSON.stringify(previous.choice)}, which is no longer one of ${values.join(', ')}`, 'edit the plan, or remove the decision to take the default');
      }
      // Kept as recorded, so that a replayed plan is written back byte for byte; a "default" that is not the default was edited.
      const takenBy: DecisionSource = previous.takenBy === 'default' && previous.choice !== request.default ? 'plan' : previous.takenBy;
      return toDecision(request, previous.choice, takenBy);
    }
    if (request.alternatives.length > 1 && sources.ask) return toDecision(request, await sources.ask(request, workflow), 'prompt');
    const decision = toDecision(request, request.default, 'default');
    if (request.alternatives.length > 1) sources.onDefault?.(decision, workflow);
    return decision;
  };
}

function toDecision(request: DecisionRequest, choice: string, takenBy: DecisionSource): Decision {
  return {
    id: request.id,
    kind: request.kind,
    question: request.question,
    choice,
    default: request.default,
    alternatives: request.alternatives,
    reason: request.reason,
    evidence: request.evidence,
    takenBy,
  };
}
