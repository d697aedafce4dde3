import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { createRootReader } from '../src/root-reader.js';
import { SafePathAllocator } from '../src/safe-path.js';
import { DEFAULT_LIMITS } from '../src/types/analyzers.js';
import type { Plan, WorkflowPlan } from '../src/types/plan.js';
import { addMarkers, formatMarker } from './handlers/markers.js';
import { createModuleLoader, type ModuleLoader } from './handlers/payload.js';
import { isChanged, refactorFile, type HandlerTask, type RefactoredFile } from './handlers/refactor-file.js';
import type { Problem } from './handlers/types.js';
import { listSteps } from './shared/placeholders.js';
import type { GeneratedFile, Generator, GeneratorOptions } from './types.js';

export type { RefactoredFile } from './handlers/refactor-file.js';
export type { Problem, Transformation } from './handlers/types.js';

/** The handlers of a plan, refactored: what was written, and what was kept with markers. */
export interface HandlersResult {
  files: RefactoredFile[];
  /** Functions whose handler could not be read or found (no file written for them). */
  skipped: Problem[];
}

/**
 * Refactors the handler of every function of every workflow of the plan, reading the original sources from the
 * plan's `sourceRoot` (read-only: nothing is written here). One file per handler file, even when it holds several
 * functions of the plan.
 */
export function refactorHandlers(plan: Plan, options: GeneratorOptions): HandlersResult {
  const root = options.root ?? path.resolve(options.planDir ?? '.', plan.sourceRoot);
  const reader = createRootReader(root, DEFAULT_LIMITS.maxFileBytes);
  const loadModule = createModuleLoader((file) => reader.readText(file));
  const byFile = new Map<string, HandlerTask[]>();
  const skipped: Problem[] = [];
  for (const workflow of plan.workflows) {
    const consumers = getConsumers(workflow);
    for (const fn of workflow.functions) {
      if (!fn.handler) {
        if (fn.movedCalls.length > 0 || fn.invocation === 'parts') skipped.push({ file: '', line: 0, reason: `${fn.id} has no known handler file`, hint: 'set its handler in the IaC, then run lambda2sfn again' });
        continue;
      }
      const separator = fn.handler.lastIndexOf(':');
      const file = fn.handler.slice(0, separator);
      const exportName = fn.handler.slice(separator + 1);
      const needsWork = fn.invocation === 'parts' || fn.movedCalls.length > 0 || consumers.has(fn.id);
      if (!needsWork) continue;
      const tasks = byFile.get(file) ?? [];
      if (tasks.some((task) => task.fn.id === fn.id)) continue;
      tasks.push({ workflow, fn, exportName, consumer: consumers.has(fn.id) });
      byFile.set(file, tasks);
    }
  }
  const files: RefactoredFile[] = [];
  for (const [file, tasks] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const text = reader.readText(file);
    if (text === undefined) {
      skipped.push(...tasks.map((task) => ({ file, line: 0, reason: `the handler of ${task.fn.id} cannot be read`, hint: 'check the plan\'s sourceRoot and the function\'s handler' })));
      continue;
    }
    const refactored = refactorSafely(file, text, tasks, loadModule);
    if (isChanged(refactored)) files.push(refactored);
  }
  return { files, skipped };
}

/**
 * A handler the refactoring cannot handle (a shape it does not expect) is kept as it was with a marker, and the
 * rest of the run goes on: one odd file never stops the migration.
 */
function refactorSafely(file: string, text: string, tasks: HandlerTask[], loadModule: ModuleLoader): RefactoredFile {
  try {
    return refactorFile(file, text, tasks, loadModule);
  } catch (error) {
    const problems: Problem[] = [{ file, line: 1, reason: `lambda2sfn could not refactor this handler (${(error as Error).message})`, hint: 'refactor it by hand, and report the case to the lambda2sfn developers' }];
    return { file, original: text, text: addMarkers(text, problems), kept: true, functions: tasks.map((task) => task.fn.id), transformations: [], problems };
  }
}

/**
 * Functions that may have consumed a queue or a topic the workflow replaced: every function a Task of the workflow
 * runs whole (not the entry), when the workflow now makes an SQS send or SNS publish itself. Only those whose code
 * reads `event.Records` change.
 */
function getConsumers(workflow: WorkflowPlan): Set<string> {
  const consumers = new Set<string>();
  const hops = workflow.functions.some((fn) => fn.movedCalls.some((call) => call.kind === 'sqs' || call.kind === 'sns'));
  if (!hops) return consumers;
  for (const step of listSteps(workflow.model.steps)) {
    if (step.type === 'task' && step.function !== workflow.chain.entry && !step.part) consumers.add(step.function);
  }
  return consumers;
}

/** `handlers/README.md`: the files written, what changed in each, and every marker left. */
function renderReadme(result: HandlersResult): string {
  const lines = ['# Refactored handlers (lambda2sfn)', '', 'Each file replaces the file of the same path under the analysed folder. See docs/handlers.md for the transformations and the split-handler envelope.', ''];
  lines.push('## Files written', '');
  const outputs = getHandlerOutputPaths(result);
  for (const file of result.files) lines.push(`- \`${outputs.get(file.file)}\` (${file.functions.join(', ')})${file.kept ? ': **kept as it was**, with markers' : ''}`);
  lines.push('');
  for (const file of result.files) {
    lines.push(`## ${file.file}`, '');
    if (file.kept) for (const problem of file.problems) lines.push(`- kept: ${problem.reason} (${problem.file}:${problem.line}). ${problem.hint}`);
    else for (const change of file.transformations) lines.push(`- ${change.kind} (line ${change.line}): ${change.description}`);
    lines.push('');
  }
  if (result.skipped.length > 0) {
    lines.push('## Not refactored', '');
    for (const problem of result.skipped) lines.push(`- ${problem.reason}: ${problem.hint}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Every marker left in kept handlers, as written in the code. */
export function getMarkers(result: HandlersResult): string[] {
  return result.files.flatMap((file) => file.problems.map(formatMarker));
}

const HANDLERS_DIR = 'handlers';
const README = `${HANDLERS_DIR}/README.md`;
const DIFF = `${HANDLERS_DIR}/handlers.diff`;

/**
 * Where each refactored file is written (by its path in the analysed folder): the same path under `handlers/`,
 * every segment through safe-path.ts, so a handler named `../x` or `CON` in a hand-edited plan stays inside and
 * `Orders.ts` next to `orders.ts` stays apart; the README and the diff keep their names.
 */
export function getHandlerOutputPaths(result: HandlersResult): Map<string, string> {
  const allocator = new SafePathAllocator();
  for (const reserved of [README, DIFF]) allocator.allocate(reserved.split('/'));
  return new Map(
    result.files.map((file) => {
      const names = path.posix.normalize(file.file).split('/');
      const extension = path.posix.extname(names.at(-1)!);
      return [file.file, allocator.allocate([HANDLERS_DIR, ...names.slice(0, -1), names.at(-1)!.slice(0, names.at(-1)!.length - extension.length)], extension)];
    }),
  );
}

export const handlers = {
  id: 'handlers',
  description: 'the handlers refactored for the workflow: orchestration removed, split into parts where the workflow waits for a call',
  generate(plan: Plan, options: GeneratorOptions): GeneratedFile[] {
    const result = refactorHandlers(plan, options);
    const outputs = getHandlerOutputPaths(result);
    const files: GeneratedFile[] = result.files.map((file) => ({ path: outputs.get(file.file)!, contents: file.text }));
    files.push({ path: README, contents: renderReadme(result) });
    if (options.diff) {
      const patch = result.files.map((file) => createTwoFilesPatch(`a/${file.file}`, `b/${file.file}`, file.original, file.text, undefined, undefined, { context: 3 })).join('');
      files.push({ path: DIFF, contents: patch });
    }
    return files;
  },
} satisfies Generator;
