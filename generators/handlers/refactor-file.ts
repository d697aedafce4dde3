import type { MovedCall, WorkflowFunction, WorkflowPlan } from '../../src/types/plan.js';
import { removeHandOnCalls } from './hand-on.js';
import { inlineHelpers } from './inline-helpers.js';
import { identityLines, mapLines } from './line-map.js';
import { addMarkers } from './markers.js';
import type { ModuleLoader } from './payload.js';
import { removeRetries } from './remove-retries.js';
import { removeUnused } from './remove-unused.js';
import { isTypeScriptFile, parseSource } from './source.js';
import { splitHandler } from './split-handler.js';
import { stripTags, tagCalls } from './tags.js';
import type { Problem, Transformation } from './types.js';
import { unpackRecords } from './unpack-records.js';

/** One function of a workflow whose handler lives in the file being refactored. */
export interface HandlerTask {
  workflow: WorkflowPlan;
  fn: WorkflowFunction;
  /** The handler's export name. */
  exportName: string;
  /** The function used to consume a queue or a topic, and the workflow now passes it the message directly. */
  consumer: boolean;
}

export interface RefactoredFile {
  /** Path relative to the analysed folder. */
  file: string;
  original: string;
  /** The refactored text; for a kept file, the original with marker comments. */
  text: string;
  kept: boolean;
  functions: string[];
  transformations: Transformation[];
  problems: Problem[];
}

/**
 * Refactors one handler file for every function of the plan it holds. The transformations run one after the other
 * on the text, each on a fresh parse: retries around moved calls, helpers that only wrap a moved call, queue and
 * topic records, then the handing-on calls (`whole`) or the split into parts (`parts`), then what is left unused.
 * Any transformation that is not safe keeps the whole file as it was, with a marker comment at each place.
 */
export function refactorFile(file: string, original: string, tasks: readonly HandlerTask[], loadModule: ModuleLoader): RefactoredFile {
  const typed = isTypeScriptFile(file);
  const calls: MovedCall[] = tasks.flatMap((task) => task.fn.movedCalls);
  const transformations: Transformation[] = [];
  const problems: Problem[] = [];
  const functions = tasks.map((task) => task.fn.id);
  const keep = (found: Problem[]): RefactoredFile => ({ file, original, text: addMarkers(original, found), kept: true, functions, transformations: [], problems: found });

  const syntaxError = getSyntaxError(file, original);
  if (syntaxError) return keep([{ file, line: syntaxError.line, reason: `the file does not parse (${syntaxError.message})`, hint: 'fix the syntax error, then run lambda2sfn again' }]);
  for (const call of calls) {
    if (call.file !== file) {
      problems.push({ file, line: 1, reason: `the call to ${call.to} is made in ${call.file}:${call.line}, another module`, hint: `refactor ${call.file} by hand (other handlers may share it), or move the call into this handler` });
    }
  }
  if (problems.length > 0) return keep(problems);
  const tagged = tagCalls(file, original, calls);
  if (tagged.missing.length > 0) {
    return keep(tagged.missing.map((index) => ({ file, line: calls[index]!.line, reason: `the call to ${calls[index]!.to} the plan names (\`${calls[index]!.text}\`) is not at this line`, hint: 'the code changed since the plan was made: run lambda2sfn propose again' })));
  }
  let text = tagged.text;
  let lines = identityLines(text);
  // Each transformation reports lines of the text it was given: cite them as lines of the original.
  const step = (result: { text: string; applied: Transformation[]; problems: Problem[] }): boolean => {
    const toOriginal = (line: number) => lines[line] ?? line;
    transformations.push(...result.applied.map((change) => (change.file === file ? { ...change, line: toOriginal(change.line) } : change)));
    problems.push(...result.problems.map((problem) => (problem.file === file ? { ...problem, line: toOriginal(problem.line) } : problem)));
    if (result.text !== text) lines = mapLines(text, result.text, lines);
    text = result.text;
    return result.problems.length === 0;
  };
  if (!step(removeRetries(file, text))) return keep(problems);
  for (const task of tasks) {
    if (!step(inlineHelpers(file, text, task.exportName))) return keep(problems);
  }
  for (const task of tasks.filter((candidate) => candidate.consumer)) {
    if (!step(unpackRecords(file, text, task.exportName, typed))) return keep(problems);
  }
  for (const task of tasks) {
    const own = calls.flatMap((call, index) => (task.fn.movedCalls.includes(call) ? [index] : []));
    const result = task.fn.invocation === 'parts' ? splitHandler(file, text, task, calls, own, loadModule, typed, (line) => lines[line] ?? line) : removeHandOnCalls(file, text, task.exportName, calls, own, loadModule, typed);
    if (!step(result)) return keep(problems);
  }
  const cleaned = removeUnused(file, stripTags(text), original);
  if (cleaned.removed.length > 0) {
    transformations.push({ kind: 'unused-removed', file, line: 1, description: `no longer used, removed: ${[...new Set(cleaned.removed)].join(', ')}` });
  }
  return { file, original, text: cleaned.text, kept: false, functions, transformations, problems: [] };
}

/** The first syntax error of the file, if it has one: a file that does not parse is not refactored. */
function getSyntaxError(file: string, text: string): { line: number; message: string } | undefined {
  const source = parseSource(file, text);
  const diagnostics = (source.compilerNode as unknown as { parseDiagnostics?: { start?: number; messageText: unknown }[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (!first) return undefined;
  const message = typeof first.messageText === 'string' ? first.messageText : 'syntax error';
  return { line: source.getLineAndColumnAtPos(first.start ?? 0).line, message };
}

/** Whether the refactoring changed the file (a leaf function the workflow invokes as it was is not written). */
export function isChanged(file: RefactoredFile): boolean {
  return file.kept || file.text !== file.original;
}
