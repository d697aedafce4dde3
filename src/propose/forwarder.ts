import type { PayloadAnnotation } from '../types/annotations.js';
import type { GraphEdge } from '../types/graph.js';
import type { Step } from '../types/plan.js';
import { addFinding, ask, getEdgeEvidence, type Cursor, type Flow, type FlowContext } from './flow-context.js';
import type { HopOptions } from './hops.js';
import { toPascalCase } from './naming.js';

/** Calls a function may hand its event on with, that a workflow makes as a direct service integration. */
const FORWARDED_KINDS = new Set(['sqs', 'sns', 'eventbridge']);

/**
 * A function that only forwards: its one call sends a message built from its event alone (fields read from the
 * event, literals), with no condition around it. The analysis cannot see other work (a database write), so the
 * question defaults to keeping the function.
 */
export function getForwardedCall(ctx: FlowContext, functionId: string): { edge: GraphEdge; payload: PayloadAnnotation } | undefined {
  const calls = ctx.index.getCallsOf(functionId);
  const [edge] = calls;
  if (calls.length !== 1 || !edge || !FORWARDED_KINDS.has(edge.kind)) return undefined;
  const payload = edge.annotations?.payload;
  if (!payload || payload.encoding !== 'json' || (payload.spreads?.length ?? 0) > 0 || payload.fields.length === 0) return undefined;
  if ((edge.annotations?.conditions ?? []).length > 0 || (edge.annotations?.fanOuts ?? []).length > 0) return undefined;
  return { edge, payload };
}

/** The message as an ASL template over the forwarder's input at `input`, or undefined when a field is not from the event or a literal. */
export function toMessageTemplate(payload: PayloadAnnotation, input: string): Record<string, unknown> | undefined {
  const template: Record<string, unknown> = {};
  for (const field of payload.fields) {
    if (field.source === 'event' && field.path?.startsWith('$')) {
      template[`${field.key}.$`] = input === '$' ? field.path : `${input}${field.path.slice(1)}`;
      continue;
    }
    const literal = field.source === 'literal' ? parseLiteral(field.from) : undefined;
    if (literal === undefined) return undefined;
    template[field.key] = literal.value;
  }
  return template;
}

function parseLiteral(text: string): { value: string | number | boolean | null } | undefined {
  const quoted = /^(['"`])(.*)\1$/s.exec(text.trim());
  if (quoted && !/\$\{/.test(quoted[2]!)) return { value: quoted[2]! };
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return { value: Number(text) };
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  if (text === 'null') return { value: null };
  return undefined;
}

/**
 * Offers to replace a forwarding function with a direct service integration: a Pass builds the message from the
 * state, and the send (or the next state, when the queue or topic is collapsed) follows with no Lambda in between.
 * Undefined when the function is kept (or cannot be replaced here: only where its output becomes the state).
 */
export async function replaceForwarder(ctx: FlowContext, functionId: string, cursor: Cursor, options: HopOptions, follow: (edge: GraphEdge, cursor: Cursor) => Promise<Flow>): Promise<Flow | undefined> {
  if (cursor.mode !== 'raw' || !options.tail) return undefined;
  const forwarded = getForwardedCall(ctx, functionId);
  const template = forwarded && toMessageTemplate(forwarded.payload, cursor.input);
  if (!forwarded || !template) return undefined;
  const { edge, payload } = forwarded;
  const evidence = [getEdgeEvidence(ctx, edge), ctx.lines.getEvidence(payload.file, payload.line)];
  const service = edge.kind === 'sqs' ? 'sqs:sendMessage' : edge.kind === 'sns' ? 'sns:publish' : 'events:putEvents';
  const choice = await ask(ctx, {
    id: `forwarder:${functionId}`,
    kind: 'forwarder',
    question: `${functionId} only forwards fields of its event to ${edge.to} (${edge.file}:${edge.line}): replace it with a direct service integration (${service}), or keep the function?`,
    default: 'keep',
    alternatives: [
      { value: 'keep', description: `${functionId} stays a Task and returns the message` },
      { value: 'replace', description: `no Lambda: the workflow builds the message (${Object.keys(template).map((key) => key.replace(/\.\$$/, '')).join(', ')}) and sends it itself; ${functionId} can be deleted` },
    ],
    reason: 'the message comes from the event alone, but the function may do other work the analysis does not see: check it before replacing',
    evidence,
  });
  if (choice !== 'replace') return undefined;
  addFinding(ctx, 'forwarder-replaced', 'info', `${functionId} is replaced by a direct service integration: check that it did nothing else before deleting it`, evidence);
  const message: Step = {
    type: 'pass',
    name: ctx.names.allocate(`${toPascalCase(functionId)}Message`),
    comment: `the message ${functionId} built (${payload.file}:${payload.line}), without the function`,
    evidence,
    input: { kind: 'template', template },
    result: { resultPath: '$' },
  };
  const flow = await follow(edge, { mode: 'raw', input: '$' });
  return { steps: [message, ...flow.steps], output: flow.output };
}
