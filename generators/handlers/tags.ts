import { Node, ts, type CallExpression, type SourceFile } from 'ts-morph';
import type { MovedCall } from '../../src/types/plan.js';
import { applyEdits, parseSource, type TextEdit } from './source.js';

/**
 * The moved calls are found once, by the line the plan gives, and marked with a comment (`/*@l2s:3*\/`) in front of
 * the call. Each transformation re-parses the text it receives and finds the calls again by their mark, however
 * much code moved around them; the marks left at the end are stripped.
 */
const TAG = /\/\*@l2s:(\d+)\*\//g;

export function tagOf(index: number): string {
  return `/*@l2s:${index}*/`;
}

export function stripTags(text: string): string {
  return text.replace(TAG, '');
}

/** Methods of the AWS SDK clients that the Graph links (v2 and v3 aggregated clients, v3 `send`). */
const SDK_METHODS = new Set(['send', 'invoke', 'invokeAsync', 'invokeWithResponseStream', 'sendMessage', 'sendMessageBatch', 'publish', 'publishBatch', 'putEvents', 'startExecution', 'startSyncExecution']);
/** Calls that sit on the same line as a moved call but are never the call itself. */
const NEVER_THE_CALL = new Set(['promise', 'all', 'allSettled', 'any', 'race', 'map', 'forEach', 'then', 'catch', 'finally', 'stringify', 'parse', 'encode', 'from', 'toString', 'resolve', 'log', 'info', 'warn', 'error', 'debug']);

function calleeName(call: CallExpression): string {
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) return callee.getText();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  return '';
}

/** SDK methods first, then other calls (wrappers), never the calls around them (`.promise()`, `Promise.all`, `JSON.stringify`). */
function rank(call: CallExpression): number {
  const name = calleeName(call);
  if (SDK_METHODS.has(name)) return 0;
  return NEVER_THE_CALL.has(name) ? 2 : 1;
}

/** The call of the original code the plan means: the SDK call or wrapper call that starts (else spans) the line. */
export function findCallAtLine(source: SourceFile, line: number): CallExpression | undefined {
  const calls = source.getDescendantsOfKind(ts.SyntaxKind.CallExpression);
  const starting = calls.filter((call) => call.getStartLineNumber() === line && rank(call) < 2);
  if (starting.length > 0) return starting.sort((a, b) => rank(a) - rank(b) || a.getStart() - b.getStart())[0];
  const spanning = calls.filter((call) => call.getStartLineNumber() <= line && call.getEndLineNumber() >= line && rank(call) < 2);
  return spanning.sort((a, b) => rank(a) - rank(b) || b.getStart() - a.getStart())[0];
}

export interface TaggedText {
  text: string;
  /** Indexes (into the calls given) of the calls not found at their line. */
  missing: number[];
}

/** Marks each call of `calls` that sits in `file`. */
export function tagCalls(file: string, text: string, calls: readonly MovedCall[]): TaggedText {
  const source = parseSource(file, text);
  const edits: TextEdit[] = [];
  const missing: number[] = [];
  const seen = new Set<number>();
  calls.forEach((moved, index) => {
    if (moved.file !== file) return;
    const call = findCallAtLine(source, moved.line);
    if (!call || seen.has(call.getStart())) {
      missing.push(index);
      return;
    }
    seen.add(call.getStart());
    edits.push({ start: call.getStart(), end: call.getStart(), text: tagOf(index) });
  });
  return { text: applyEdits(text, edits), missing };
}

/** The call marked with `index`, in a parse of the tagged text. */
export function findTaggedCall(source: SourceFile, index: number): CallExpression | undefined {
  const text = source.getFullText();
  const at = text.indexOf(tagOf(index));
  if (at < 0) return undefined;
  const start = at + tagOf(index).length;
  const node = source.getDescendantAtPos(start);
  return node?.getAncestors().find((ancestor): ancestor is CallExpression => Node.isCallExpression(ancestor) && ancestor.getStart() === start);
}

/** Indexes of the tags present in a text. */
export function getTagIndexes(text: string): number[] {
  return [...text.matchAll(TAG)].map((match) => Number(match[1]));
}
