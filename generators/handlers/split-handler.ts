import { Node, ts, type Block, type SourceFile, type Statement } from 'ts-morph';
import type { FunctionPart, MovedCall } from '../../src/types/plan.js';
import { getAwaitedTypeText, getBody, getParameters, getReturnTypeNode, findHandler } from './handler-function.js';
import { toCamel } from './hand-on.js';
import type { ModuleLoader } from './payload.js';
import type { HandlerTask } from './refactor-file.js';
import { getSite, type Site } from './sites.js';
import { applyEdits, getIndentAt, getIndentUnit, getReferences, getRelativeFile, getStatementText, isValueReference, parseSource, reindent, type TextEdit } from './source.js';
import type { Problem, Transformation } from './types.js';

/**
 * A `parts` function: the handler is cut at the calls whose result it waits for. Each part of the plan becomes an
 * exported function named as the plan names it (`beforeFraudCheck`, `afterFraudCheck`, `onValidatePaymentError`)
 * holding the handler's own code from where the part starts (the handler's start, the return of a call, the catch
 * clause of a failed call) to where it ends (the next call, whose payload it returns, or the handler's end), and the
 * original export becomes the dispatcher the workflow invokes with the envelope of docs/plan.md.
 */
export function splitHandler(file: string, text: string, task: HandlerTask, calls: readonly MovedCall[], own: readonly number[], loadModule: ModuleLoader, typed: boolean, toOriginal: (line: number) => number = (line) => line): { text: string; applied: Transformation[]; problems: Problem[] } {
  const source = parseSource(file, text);
  const handler = findHandler(source, task.exportName);
  const fail = (node: Node, reason: string, hint: string) => ({ text, applied: [], problems: [{ file: getRelativeFile(node), line: node.getStartLineNumber(), reason, hint }] });
  if (!handler) return { text, applied: [], problems: [{ file, line: 1, reason: `the handler export ${task.exportName} is not found`, hint: 'check the function\'s handler in the IaC' }] };
  const body = getBody(handler.fn);
  if (!body) return fail(handler.fn, 'the handler has no block body', 'write the handler with a block body');
  const params = getParameters(handler.fn);
  if (params.length > 2 || params.some((parameter) => !Node.isIdentifier(parameter.getNameNode()))) return fail(handler.fn, 'the handler takes destructured or more than two parameters', 'take `(event, context)`, then run lambda2sfn again');

  // The sites of the handler's moved calls, by plan call.
  const siteOf = new Map<number, Site>();
  for (const index of own) {
    const site = getSite(source, index, loadModule);
    if (!site.ok) return { text, applied: [], problems: [site.problem] };
    if (site.site.fn !== handler.fn) return fail(site.site.statement, 'the call is made in a helper the handler calls, with other work around it', 'make the call in the handler itself, then run lambda2sfn again');
    siteOf.set(index, site.site);
  }
  const indexOf = (call: MovedCall | undefined) => (call ? calls.findIndex((candidate, i) => own.includes(i) && candidate.file === call.file && candidate.line === call.line && candidate.to === call.to) : -1);
  const resumed = new Set(task.fn.parts.flatMap((part) => (part.role === 'after-call' && part.after ? [indexOf(part.after)] : [])));
  const handled = new Set(task.fn.parts.flatMap((part) => (part.role === 'on-error' && part.after ? [indexOf(part.after)] : [])));

  const context: SplitContext = { source, body, handler: handler.fn, file, typed, unit: getIndentUnit(text), eventName: params[0]?.getName(), contextName: params[1]?.getName(), siteOf, calls, toOriginal };
  const raws: RawPart[] = [];
  for (const part of task.fn.parts) {
    const raw = buildRawPart(context, part, indexOf, resumed, handled);
    if ('problem' in raw) return { text, applied: [], problems: [raw.problem] };
    raws.push(raw);
  }
  const rendered = renderParts(context, task, raws);
  if ('problem' in rendered) return { text, applied: [], problems: [rendered.problem] };
  const leading = handler.statement.getLeadingCommentRanges()[0];
  const edits: TextEdit[] = [{ start: leading ? leading.getPos() : handler.statement.getStart(), end: handler.statement.getEnd(), text: rendered.text }];
  if (handler.style === 'local-const' || handler.style === 'local-function') edits.push(...exportParts(source, task.exportName, task.fn.parts.map((part) => part.name)));
  const applied: Transformation[] = [
    { kind: 'split', file, line: handler.statement.getStartLineNumber(), description: `${task.fn.id} split into ${raws.map((raw) => raw.part.name).join(', ')}; ${task.exportName} dispatches on step` },
    ...raws.flatMap((raw) => raw.notes),
  ];
  return { text: applyEdits(text, edits), applied, problems: [] };
}

interface SplitContext {
  source: SourceFile;
  body: Block;
  handler: Node;
  file: string;
  typed: boolean;
  unit: string;
  eventName: string | undefined;
  contextName: string | undefined;
  siteOf: Map<number, Site>;
  calls: readonly MovedCall[];
  /** Lines of the text being split, as lines of the original file (for what comments cite). */
  toOriginal: (line: number) => number;
}

interface RawPart {
  part: FunctionPart;
  /** The part's statements, at the indentation of a function body, with `__l2s_split(...)` markers where it ends. */
  lines: string[];
  /** The site whose result the part receives (after-call), and the try whose catch it starts in (on-error). */
  after?: Site;
  catchName?: string;
  /** Hand-on calls inside the part: their payload is returned with every return that follows them. */
  handOns: Site[];
  end?: Site;
  notes: Transformation[];
}

/** One step of the way from the handler's body to a statement: the block and the statement's index in it. */
interface PathStep {
  block: Block;
  index: number;
}

type PathResult = { ok: true; path: PathStep[] } | { ok: false; problem: Problem };

function getPath(context: SplitContext, statement: Node): PathResult {
  const path: PathStep[] = [];
  let current: Node = statement;
  for (;;) {
    const block = current.getParent();
    if (!block || !Node.isBlock(block)) return problemAt(current, 'the call is not in a block of the handler', 'write the call as a statement of the handler');
    path.unshift({ block, index: block.getStatements().indexOf(current as Statement) });
    if (block === context.body) return { ok: true, path };
    const owner = block.getParent();
    if (!owner) return problemAt(block, 'the call is outside the handler', 'make the call in the handler');
    if (Node.isIfStatement(owner) && (owner.getThenStatement() === block || owner.getElseStatement() === block)) current = owner;
    else if (Node.isCatchClause(owner)) current = owner.getParentOrThrow();
    else if (Node.isTryStatement(owner) && owner.getTryBlock() === block) current = owner;
    else if (Node.isBlock(owner) || Node.isSourceFile(owner)) current = block;
    else if (Node.isIterationStatement(owner)) return problemAt(owner, `the call sits in a loop (line ${owner.getStartLineNumber()}) with other work between iterations`, 'make the loop only build the items, then fan out with `Promise.all(items.map(...))`, or keep the orchestration in code');
    else if (Node.isFunctionLikeDeclaration(owner)) return problemAt(owner, 'the call is made inside a callback', 'make the call in the handler itself');
    else return problemAt(owner, `the call sits in a ${owner.getKindName()} the split does not follow`, 'move the call into the handler\'s own blocks (if, try)');
    if (Node.isTryStatement(current) && current.getFinallyBlock()) return problemAt(current, 'the call sits in a try with a finally block, which would run in every part', 'move the finally work after the try, then run lambda2sfn again');
  }
}

function problemAt(node: Node, reason: string, hint: string): { ok: false; problem: Problem } {
  return { ok: false, problem: { file: getRelativeFile(node), line: node.getStartLineNumber(), reason, hint } };
}

function buildRawPart(context: SplitContext, part: FunctionPart, indexOf: (call: MovedCall | undefined) => number, resumed: Set<number>, handled: Set<number>): RawPart | { problem: Problem } {
  const beforeIndexes = part.before.map((call) => indexOf(call));
  if (beforeIndexes.some((index) => index < 0 || !context.siteOf.has(index))) return { problem: { file: context.file, line: part.before[0]?.line ?? 1, reason: `the part ${part.name} ends at a call that is not a call of this handler`, hint: 'run lambda2sfn propose again' } };
  const endsAtCall = beforeIndexes.some((index) => resumed.has(index));
  const endSite = endsAtCall ? context.siteOf.get(beforeIndexes[0]!) : undefined;
  if (endSite && beforeIndexes.some((index) => context.siteOf.get(index)!.statement !== endSite.statement)) {
    return { problem: { file: context.file, line: endSite.statement.getStartLineNumber(), reason: `the part ${part.name} ends at calls in different statements`, hint: 'make the calls in one Promise.all' } };
  }
  const handOns = endsAtCall ? [] : [...new Set(beforeIndexes.map((index) => context.siteOf.get(index)!))];
  const afterIndex = indexOf(part.after);
  const after = part.role === 'start' ? undefined : context.siteOf.get(afterIndex);
  if (part.role !== 'start' && !after) return { problem: { file: context.file, line: part.after?.line ?? 1, reason: `the part ${part.name} starts after a call that is not a call of this handler`, hint: 'run lambda2sfn propose again' } };
  if (after && endSite && endSite.statement.getStart() < after.statement.getEnd()) {
    return {
      problem: {
        file: context.file,
        line: after.statement.getStartLineNumber(),
        reason: `the plan's part ${part.name} runs from the call to ${part.after?.to} to the call to ${part.before[0]?.to}, but the handler makes that call first (line ${part.before[0]?.line})`,
        hint: 'the parts must follow the order the handler runs its calls: run lambda2sfn propose again, or fix the parts in the plan',
      },
    };
  }

  // Where the part starts and ends, as paths of blocks.
  let start: PathStep[] = [{ block: context.body, index: 0 }];
  let catchName: string | undefined;
  const prelude: string[] = [];
  if (part.role === 'after-call') {
    const path = getPath(context, after!.statement);
    if (!path.ok) return { problem: path.problem };
    start = path.path.map((step, i) => (i === path.path.length - 1 ? { ...step, index: step.index + 1 } : step));
  } else if (part.role === 'on-error') {
    const attempt = after!.statement.getFirstAncestor((ancestor) => Node.isTryStatement(ancestor) && ancestor.getTryBlock().containsRange(after!.statement.getPos(), after!.statement.getEnd()) && ancestor.getCatchClause() !== undefined);
    if (!attempt || !Node.isTryStatement(attempt)) return { problem: { file: context.file, line: after!.statement.getStartLineNumber(), reason: `no catch clause handles the failure of the call to ${part.after?.to}`, hint: 'run lambda2sfn propose again' } };
    const path = getPath(context, attempt);
    if (!path.ok) return { problem: path.problem };
    const catchClause = attempt.getCatchClause()!;
    catchName = catchClause.getVariableDeclaration()?.getName();
    start = [...path.path, { block: catchClause.getBlock(), index: 0 }];
  }
  // Parts that start inside a catch clause (on-error, and after a compensation there) rebuild the caught error.
  const inCatch = start.some((step) => Node.isCatchClause(step.block.getParent()));
  if (inCatch && !catchName) {
    const clause = start.map((step) => step.block.getParent()).find((owner) => Node.isCatchClause(owner));
    if (clause && Node.isCatchClause(clause)) catchName = clause.getVariableDeclaration()?.getName();
  }
  let end: PathStep[] | undefined;
  if (endSite) {
    const path = getPath(context, endSite.statement);
    if (!path.ok) return { problem: path.problem };
    end = path.path;
  }
  for (const handOn of handOns) {
    const path = getPath(context, handOn.statement);
    if (!path.ok) return { problem: path.problem };
  }
  const emitter = new Emitter(context, handOns, endSite, part.role === 'after-call' ? after : undefined, handled);
  const lines = emitter.emit(start, end, context.unit);
  if (emitter.problem) return { problem: emitter.problem };
  return { part, lines: [...prelude, ...lines], ...(after ? { after } : {}), ...(catchName ? { catchName } : {}), handOns, ...(endSite ? { end: endSite } : {}), notes: emitter.notes };
}

/**
 * Writes the statements between two places of the handler, re-entering the if/try/blocks the start is in (an if
 * is tested again: its condition reads the same values, restored from `vars`) and closing those the end is in.
 */
class Emitter {
  problem: Problem | undefined;
  notes: Transformation[] = [];

  constructor(
    private readonly context: SplitContext,
    private readonly handOns: Site[],
    private readonly end: Site | undefined,
    private readonly after: Site | undefined,
    private readonly handled: ReadonlySet<number>,
  ) {}

  /** Where the part ends: `__l2s_split(reached, payload)`, the payload re-indented for the return that replaces it. */
  private splitMarker(reached: boolean, indent: string): string {
    if (!reached || !this.end) return `${indent}__l2s_split(false, null);`;
    const from = getIndentAt(this.end.statement.getSourceFile().getFullText(), this.end.statement.getStart());
    return `${indent}__l2s_split(true, ${reindent(this.end.payload.trim(), from, indent + this.context.unit)});`;
  }

  emit(start: PathStep[], end: PathStep[] | undefined, indent: string): string[] {
    return this.emitBlock(start[0]!.block, start, end, indent);
  }

  private emitBlock(block: Block, start: PathStep[] | undefined, end: PathStep[] | undefined, indent: string): string[] {
    const statements = block.getStatements();
    const lines: string[] = [];
    let from = start ? start[0]!.index : 0;
    if (start && start.length > 1) {
      const compound = statements[from]!;
      const sameEnd = end && end[0]!.index === from ? end.slice(1) : undefined;
      lines.push(...this.reenter(compound, start.slice(1), sameEnd, indent));
      if (sameEnd || exitsFrom(start.slice(1))) return lines;
      from += 1;
    }
    for (let i = from; i < statements.length; i++) {
      const statement = statements[i]!;
      if (end && i === end[0]!.index) {
        if (end.length === 1) {
          lines.push(this.splitMarker(true, indent));
          return lines;
        }
        lines.push(...this.truncate(statement, end.slice(1), indent));
        if (Node.isIfStatement(statement)) lines.push(this.splitMarker(false, indent));
        return lines;
      }
      const handOn = this.handOns.find((site) => site.statement === statement);
      if (handOn) {
        lines.push(`${indent}__l2s_hand_on(${handOn.payload.trim()});`);
        continue;
      }
      lines.push(getStatementText(statement, indent));
    }
    return lines;
  }

  /** Re-enters the compound statement holding the start (the start is in one of its blocks). */
  private reenter(compound: Statement, start: PathStep[], end: PathStep[] | undefined, indent: string): string[] {
    const inner = start[0]!.block;
    const deeper = indent + this.context.unit;
    if (Node.isIfStatement(compound)) {
      const negate = compound.getElseStatement() === inner;
      const condition = compound.getExpression().getText();
      return [`${indent}if (${negate ? `!(${condition})` : condition}) {`, ...this.emitBlock(inner, start, end, deeper), `${indent}}`];
    }
    if (Node.isTryStatement(compound)) {
      if (compound.getTryBlock() === inner) {
        const rest = inner.getStatements().slice(start[0]!.index);
        const catchClause = compound.getCatchClause();
        if (rest.length === 0 && start.length === 1) return this.reviewDroppedCatch(catchClause, indent);
        if (catchClause?.getText().includes('/*@l2s:')) {
          this.problem = { file: getRelativeFile(compound), line: compound.getStartLineNumber(), reason: 'code after the call shares a try whose catch makes a call the workflow moves', hint: 'keep only the call in that try, then run lambda2sfn again' };
          return [];
        }
        if (catchClause && catchClause.getBlock().getStatements().length > 0) {
          this.notes.push({ kind: 'compensation', file: this.context.file, line: catchClause.getStartLineNumber(), description: 'the catch there stays around the code after the call; failures of the call itself go to the workflow\'s Catch' });
        }
        const catchText = catchClause ? getStatementText(catchClause, indent).trimStart() : '';
        return [`${indent}try {`, ...this.emitBlock(inner, start, end, deeper), `${indent}} ${catchText}`.trimEnd()];
      }
      // Inside the catch clause: its statements run at this level (the error is rebuilt from the envelope).
      return this.emitBlock(inner, start, end, indent);
    }
    return [`${indent}{`, ...this.emitBlock(inner, start, end, deeper), `${indent}}`];
  }

  /**
   * The catch of a try that held only the call: failures of the call now reach the workflow's Catch. When the plan
   * has no on-error part for it, what the catch did is lost: say so where it was, and in the report.
   */
  private reviewDroppedCatch(catchClause: import('ts-morph').CatchClause | undefined, indent: string): string[] {
    if (!catchClause || catchClause.getBlock().getStatements().length === 0 || !this.after) return [];
    if (this.after.tags.some((tag) => this.handled.has(tag))) return [];
    const to = this.after.tags.map((tag) => this.context.calls[tag]?.to).filter(Boolean).join(', ');
    const line = this.context.toOriginal(catchClause.getStartLineNumber());
    this.notes.push({ kind: 'review', file: this.context.file, line: catchClause.getStartLineNumber(), description: `the catch there handled failures of ${to}; the workflow has no Catch that runs it, so such a failure now fails the workflow` });
    return [`${indent}// lambda2sfn: review — the catch at ${this.context.file}:${line} handled failures of ${to}; the workflow has no Catch that runs it, so such a failure now fails the workflow. Add a Catch with an on-error part to the plan, or handle the failure in ${to}.`];
  }

  /** Writes the compound statement holding the end, up to the end. */
  private truncate(compound: Statement, end: PathStep[], indent: string): string[] {
    const inner = end[0]!.block;
    const deeper = indent + this.context.unit;
    if (Node.isIfStatement(compound)) {
      const condition = compound.getExpression().getText();
      const otherwise = compound.getElseStatement();
      if (compound.getThenStatement() === inner) {
        const elseText = otherwise ? ` else ${reindent(otherwise.getText(), getIndentAt(compound.getSourceFile().getFullText(), compound.getStart()), indent)}` : '';
        return [`${indent}if (${condition}) {`, ...this.emitBlock(inner, undefined, end, deeper), `${indent}}${elseText}`];
      }
      const thenText = reindent(compound.getThenStatement().getText(), getIndentAt(compound.getSourceFile().getFullText(), compound.getStart()), indent);
      return [`${indent}if (${condition}) ${thenText} else {`, ...this.emitBlock(inner, undefined, end, deeper), `${indent}}`];
    }
    if (Node.isTryStatement(compound) && compound.getTryBlock() === inner) {
      const before = inner.getStatements().slice(0, end[0]!.index);
      if (before.length === 0) return this.emitBlock(inner, undefined, end, indent);
      if (end.length === 1) {
        const catchClause = compound.getCatchClause();
        if (catchClause && !alwaysExits(catchClause.getBlock())) {
          this.problem = { file: getRelativeFile(compound), line: compound.getStartLineNumber(), reason: 'code before the call shares its try, and the catch goes on after the try', hint: 'move the call into a try of its own, then run lambda2sfn again' };
          return [];
        }
        const catchText = catchClause ? getStatementText(catchClause, indent).trimStart() : '';
        return [`${indent}try {`, ...before.map((statement) => getStatementText(statement, deeper)), `${indent}} ${catchText}`.trimEnd(), this.splitMarker(true, indent)];
      }
    }
    if (Node.isBlock(compound)) return [`${indent}{`, ...this.emitBlock(inner, undefined, end, deeper), `${indent}}`];
    this.problem = { file: getRelativeFile(compound), line: compound.getStartLineNumber(), reason: 'the call sits where a part cannot end', hint: 'move the call out of the nested try' };
    return [];
  }
}

/** Whether the code from the innermost start on always leaves the handler (its block ends in return or throw), at every level. */
function exitsFrom(start: PathStep[]): boolean {
  return start.some((step) => alwaysExits(step.block));
}

function alwaysExits(block: Block): boolean {
  const last = block.getStatements().at(-1);
  return last !== undefined && (Node.isReturnStatement(last) || Node.isThrowStatement(last));
}

interface Rendered {
  text: string;
}

/** The names the handler declares in its own code (not in callbacks): what can cross from one part to the next. */
function getHandlerLocals(handler: Node): Map<string, Node> {
  const locals = new Map<string, Node>();
  for (const node of handler.getDescendants()) {
    if (!(Node.isVariableDeclaration(node) || Node.isBindingElement(node) || Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node))) continue;
    if (node.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor)) !== handler && !(Node.isFunctionDeclaration(node) && node.getParent()?.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === handler)) continue;
    if (Node.isVariableDeclaration(node) && (!Node.isIdentifier(node.getNameNode()) || Node.isCatchClause(node.getParent()))) continue;
    const name = node.getName();
    if (name) locals.set(name, node);
  }
  return locals;
}

interface PartAnalysis {
  raw: RawPart;
  /** The part function's text, parsed: for finding what it reads and writes. */
  parsed: SourceFile;
  needs: Set<string>;
  writes: Set<string>;
  declared: Set<string>;
}

function renderParts(context: SplitContext, task: HandlerTask, raws: RawPart[]): Rendered | { problem: Problem } {
  const locals = getHandlerLocals(context.handler);
  const typed = context.typed;
  const fnName = toPascal(task.fn.id);
  const names = { vars: `${fnName}Vars`, input: `${fnName}PartInput`, output: `${fnName}PartOutput`, parts: `${toCamel(task.fn.id)}Parts` };

  // Declarations without a value (`let payment: PaymentResult;`) move to the part that first assigns them.
  const moved = new Map<string, string>();
  const analyses: PartAnalysis[] = raws.map((raw) => analyse(context, raw, locals));
  for (const analysis of analyses) {
    for (const statement of analysis.parsed.getDescendantsOfKind(ts.SyntaxKind.VariableStatement)) {
      const declarations = statement.getDeclarations();
      const only = declarations[0];
      if (declarations.length !== 1 || !only || only.getInitializer() || !Node.isIdentifier(only.getNameNode())) continue;
      const name = only.getName();
      if (getReferences(analysis.parsed, name).length > 1) continue;
      moved.set(name, `${statement.getDeclarationKind()} ${name}${only.getTypeNode() ? `: ${only.getTypeNode()!.getText()}` : ''}`);
      analysis.raw.lines = analysis.raw.lines.filter((line) => line.trim() !== statement.getText().trim());
    }
  }
  const reanalysed = raws.map((raw) => analyse(context, raw, locals));
  for (const analysis of reanalysed) {
    for (const name of analysis.needs) if (moved.has(name) && !analysis.declared.has(name) && isAssignedBeforeRead(analysis, name)) analysis.needs.delete(name);
  }
  const problems: Problem[] = [];
  const varTypes = new Map<string, string>();
  for (const analysis of reanalysed) {
    for (const name of analysis.needs) {
      const declaration = locals.get(name);
      if (declaration && (Node.isFunctionDeclaration(declaration) || Node.isClassDeclaration(declaration) || isFunctionValue(declaration))) {
        problems.push({ file: getRelativeFile(declaration), line: declaration.getStartLineNumber(), reason: `${name} is a function or class of the handler used on both sides of a call`, hint: 'a part can only pass data to the next: move it out of the handler, then run lambda2sfn again' });
      }
      if (!varTypes.has(name)) varTypes.set(name, getDeclaredType(context, name, locals.get(name)));
    }
  }
  if (problems.length > 0) return { problem: problems[0]! };

  const unit = context.unit;
  const out: string[] = [];
  const eventType = typed ? (getParameters(context.handler)[0]?.getTypeNode()?.getText() ?? 'any') : '';
  const returnNode = getReturnTypeNode(context.handler);
  const returnType = typed ? (returnNode ? getAwaitedTypeText(returnNode.getText()) : 'unknown') : '';
  const needsError = reanalysed.some((analysis) => analysis.raw.catchName !== undefined);
  const errorHelper = pickName(context.source, 'toError');
  const style = findHandler(context.source, task.exportName)!.style;

  out.push(`// lambda2sfn: ${task.fn.id} runs as parts, one Task each; the workflow passes each part the envelope below and the`);
  out.push(`// ${task.exportName} export dispatches on its step (docs/handlers.md).`);
  if (!typed) out.push('');
  if (typed) {
    out.push(`interface ${names.vars} {`);
    for (const [name, type] of [...varTypes].sort(([a], [b]) => a.localeCompare(b))) out.push(`${unit}${name}: ${type};`);
    out.push('}', '');
    if (needsError) out.push('/** A caught error as the workflow passes it on. */', 'interface StepError {', `${unit}Error: string;`, `${unit}Cause: string;`, '}', '');
    out.push(`interface ${names.input} {`, `${unit}step: string;`, `${unit}event: ${eventType};`, `${unit}vars: ${names.vars};`, `${unit}result: unknown;`, `${unit}error: ${needsError ? 'StepError' : '{ Error: string; Cause: string }'} | null;`, '}', '');
    out.push(`interface ${names.output} {`, `${unit}vars?: Partial<${names.vars}>;`, `${unit}payload?: unknown;`, `${unit}done?: boolean;`, `${unit}return?: ${returnType};`, '}', '');
  }
  if (needsError) {
    out.push(
      '/** The caught error, rebuilt from what the workflow passes on: its name is the error type, its message from the cause. */',
      `function ${errorHelper}(error${typed ? ': StepError | null' : ''})${typed ? ': Error' : ''} {`,
      `${unit}let message = error?.Cause ?? '';`,
      `${unit}try {`,
      `${unit}${unit}message = (JSON.parse(message)${typed ? ' as { errorMessage?: string }' : ''}).errorMessage ?? message;`,
      `${unit}} catch {`,
      `${unit}${unit}// The cause is not JSON: keep it as the message.`,
      `${unit}}`,
      `${unit}return Object.assign(new Error(message), { name: error?.Error ?? 'Error' });`,
      '}',
      '',
    );
  }

  for (const analysis of reanalysed) {
    const rendered = renderPart(context, analysis, reanalysed, moved, names, errorHelper, task, varTypes);
    if ('problem' in rendered) return rendered;
    out.push(`/** ${describePart(task.fn.id, analysis.raw)} */`);
    const signature = `async (${rendered.params}${context.contextName ? `, ${context.contextName}${typed ? ': unknown' : ''}` : ''})${typed ? `: Promise<${names.output}>` : ''}`;
    const bodyText = rendered.body;
    if (style === 'export-function') out.push(`export async function ${analysis.raw.part.name}(${rendered.params}${context.contextName ? `, ${context.contextName}${typed ? ': unknown' : ''}` : ''})${typed ? `: Promise<${names.output}>` : ''} {`, bodyText, '}', '');
    else if (style === 'export-const') out.push(`export const ${analysis.raw.part.name} = ${signature} => {`, bodyText, '};', '');
    else if (style === 'local-function') out.push(`async function ${analysis.raw.part.name}(${rendered.params})${typed ? `: Promise<${names.output}>` : ''} {`, bodyText, '}', '');
    else out.push(`const ${analysis.raw.part.name} = ${signature} => {`, bodyText, '};', '');
  }

  const partNames = raws.map((raw) => raw.part.name);
  out.push(`const ${names.parts}${typed ? `: Record<string, (input: ${names.input}${context.contextName ? ', context: unknown' : ''}) => Promise<${names.output}>>` : ''} = { ${partNames.join(', ')} };`, '');
  const leading = getLeadingComments(findHandler(context.source, task.exportName)!.statement);
  if (leading) out.push(leading);
  else out.push(`/** ${task.fn.id}: runs the part the workflow names in \`step\` and answers with the full envelope. */`);
  const dispatcherParams = `input${typed ? `: ${names.input}` : ''}${context.contextName ? `, ${context.contextName}${typed ? ': unknown' : ''}` : ''}`;
  const dispatcherBody = [
    `${unit}const part = ${names.parts}[input.step];`,
    `${unit}if (!part) throw new Error(\`${task.fn.id} has no part \${input.step}\`);`,
    `${unit}const output = await part(input${context.contextName ? `, ${context.contextName}` : ''});`,
    `${unit}return {`,
    `${unit}${unit}event: input.event,`,
    `${unit}${unit}vars: { ...input.vars, ...output.vars },`,
    `${unit}${unit}payload: output.payload ?? null,`,
    `${unit}${unit}done: output.done ?? false,`,
    `${unit}${unit}return: output.return ?? null,`,
    `${unit}${unit}error: input.error ?? null,`,
    `${unit}};`,
  ];
  if (style === 'export-const') out.push(`export const ${task.exportName} = async (${dispatcherParams}) => {`, ...dispatcherBody, '};');
  else if (style === 'export-function') out.push(`export async function ${task.exportName}(${dispatcherParams}) {`, ...dispatcherBody, '}');
  else if (style === 'cjs-export') {
    const left = findHandler(context.source, task.exportName)!.statement.getText().startsWith('module.exports') ? 'module.exports' : 'exports';
    out.push(`${left}.${task.exportName} = async (${dispatcherParams}) => {`, ...dispatcherBody, '};');
    for (const name of partNames) out.push(`${left}.${name} = ${name};`);
  } else if (style === 'local-function') out.push(`async function ${task.exportName}(${dispatcherParams}) {`, ...dispatcherBody, '}');
  else out.push(`const ${task.exportName} = async (${dispatcherParams}) => {`, ...dispatcherBody, '};');
  return { text: out.join('\n') };
}

function getLeadingComments(statement: Node): string | undefined {
  const ranges = statement.getLeadingCommentRanges();
  if (ranges.length === 0) return undefined;
  return ranges.map((range) => range.getText()).join('\n');
}

function describePart(fnId: string, raw: RawPart): string {
  const to = raw.end ? `up to the call to ${raw.part.before.map((call) => call.to).join(', ')} (${raw.part.before[0]!.file}:${raw.part.before[0]!.line}): returns its payload` : raw.handOns.length > 0 ? `to the end: returns the payload for ${raw.part.before.map((call) => call.to).join(', ')}` : 'to the end';
  if (raw.part.role === 'start') return `${fnId} from the start ${to}.`;
  if (raw.part.role === 'on-error') return `${fnId} when the call to ${raw.part.after?.to} failed (the catch at ${raw.part.catchClause ? `line ${raw.part.catchClause.line}` : 'its try'}) ${to}.`;
  return `${fnId} after the call to ${raw.part.after?.to}, with its result, ${to}.`;
}

function analyse(context: SplitContext, raw: RawPart, locals: Map<string, Node>): PartAnalysis {
  const text = `async function __part() {\n${raw.lines.join('\n')}\n}\n`;
  const parsed = parseSource(context.file.replace(/(\.\w+)$/, '.part$1'), text);
  const needs = new Set<string>();
  const writes = new Set<string>();
  const declared = new Set<string>();
  for (const node of parsed.getDescendants()) {
    if ((Node.isVariableDeclaration(node) && Node.isIdentifier(node.getNameNode())) || Node.isBindingElement(node)) declared.add(node.getName());
  }
  if (raw.part.role === 'after-call' && raw.after) for (const name of bindingNames(raw.after)) declared.add(name);
  for (const identifier of parsed.getDescendantsOfKind(ts.SyntaxKind.Identifier)) {
    const name = identifier.getText();
    if (!locals.has(name) || !isValueReference(identifier)) continue;
    const parent = identifier.getParent();
    if ((Node.isVariableDeclaration(parent) || Node.isBindingElement(parent)) && parent.getNameNode() === identifier) continue;
    if (isWrite(identifier)) writes.add(name);
    if (!declared.has(name)) needs.add(name);
  }
  if (raw.part.role === 'after-call' && raw.after?.binding.kind === 'assign') {
    const target = raw.after.binding.target;
    if (locals.has(target)) writes.add(target);
  }
  return { raw, parsed, needs, writes, declared };
}

function bindingNames(site: Site): string[] {
  return site.binding.kind === 'declare' ? site.binding.names : [];
}

function isWrite(identifier: Node): boolean {
  const parent = identifier.getParent();
  return (Node.isBinaryExpression(parent) && parent.getLeft() === identifier && /^(=|\+=|-=|\*=|\/=|%=|\*\*=|&&=|\|\|=|\?\?=|<<=|>>=|>>>=|&=|\|=|\^=)$/.test(parent.getOperatorToken().getText())) || Node.isPostfixUnaryExpression(parent) || (Node.isPrefixUnaryExpression(parent) && ['++', '--'].includes(parent.getText().slice(0, 2)));
}

function isAssignedBeforeRead(analysis: PartAnalysis, name: string): boolean {
  if (analysis.raw.part.role === 'after-call' && analysis.raw.after?.binding.kind === 'assign' && analysis.raw.after.binding.target === name) return true;
  const first = getReferences(analysis.parsed, name)[0];
  return first !== undefined && isWrite(first);
}

function isFunctionValue(declaration: Node): boolean {
  if (!Node.isVariableDeclaration(declaration)) return false;
  const init = declaration.getInitializer();
  return init !== undefined && (Node.isArrowFunction(init) || Node.isFunctionExpression(init) || Node.isClassExpression(init));
}

function getDeclaredType(context: SplitContext, name: string, declaration: Node | undefined): string {
  if (declaration && Node.isVariableDeclaration(declaration)) {
    const typeNode = declaration.getTypeNode();
    if (typeNode) return typeNode.getText();
    const init = declaration.getInitializer();
    if (init && Node.isAsExpression(init)) return init.getTypeNode()?.getText() ?? 'any';
    for (const site of context.siteOf.values()) {
      if (site.binding.kind === 'declare' && site.binding.names.includes(name) && site.resultType) return site.resultType;
    }
    if (init && (Node.isStringLiteral(init) || Node.isTemplateExpression(init) || Node.isNoSubstitutionTemplateLiteral(init))) return 'string';
    if (init && Node.isNumericLiteral(init)) return 'number';
  }
  return 'any';
}

function pickName(source: SourceFile, preferred: string): string {
  const taken = new Set(source.getDescendantsOfKind(ts.SyntaxKind.Identifier).map((identifier) => identifier.getText()));
  if (!taken.has(preferred)) return preferred;
  for (let i = 2; ; i++) if (!taken.has(`${preferred}${i}`)) return `${preferred}${i}`;
}

export function toPascal(id: string): string {
  const camel = toCamel(id);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

interface PartNames {
  vars: string;
  input: string;
  output: string;
  parts: string;
}

/**
 * The part's final body: the variables it needs from `vars`, the result (or error) it receives, returns rewritten to
 * the part's output (`done` for the handler's own returns), and the end markers as returns of the payload.
 */
function renderPart(context: SplitContext, analysis: PartAnalysis, all: PartAnalysis[], moved: Map<string, string>, names: PartNames, errorHelper: string, task: HandlerTask, varTypes: Map<string, string>): { params: string; body: string } | { problem: Problem } {
  const { raw, parsed } = analysis;
  const unit = context.unit;
  const typed = context.typed;
  const fn = parsed.getFunctionOrThrow('__part');
  const fnBody = fn.getBodyOrThrow() as Block;
  const full = parsed.getFullText();
  const edits: TextEdit[] = [];

  // What later parts (and the workflow's Choices) read that this part sets.
  const others = all.filter((other) => other !== analysis);
  const provided = new Set<string>([...analysis.declared, ...analysis.writes].filter((name) => others.some((other) => other.needs.has(name)) || raw.part.vars.includes(name)));
  for (const name of raw.part.vars) if (!analysis.declared.has(name) && !analysis.writes.has(name)) provided.delete(name);
  const inScopeAt = (node: Node) =>
    [...provided].filter((name) => {
      const declaration = parsed.getDescendants().find((candidate) => (Node.isVariableDeclaration(candidate) || Node.isBindingElement(candidate)) && candidate.getName() === name && candidate.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn);
      if (!declaration) return true;
      const block = declaration.getFirstAncestor((a) => Node.isBlock(a));
      return block === fnBody || (block !== undefined && block.containsRange(node.getPos(), node.getEnd()));
    });
  const varsText = (node: Node) => {
    const list = inScopeAt(node).sort();
    return list.length > 0 ? `vars: { ${list.join(', ')} }` : undefined;
  };

  // Hand-on markers: the payload, kept where later code could change it.
  const handOnMarkers = parsed.getDescendantsOfKind(ts.SyntaxKind.CallExpression).filter((call) => call.getExpression().getText() === '__l2s_hand_on');
  const payloads: string[] = [];
  for (const [i, marker] of handOnMarkers.entries()) {
    const statement = marker.getParentOrThrow();
    const payload = marker.getArguments()[0]!.getText();
    const stable = /^[A-Za-z_$][\w$]*$/.test(payload) && !getReferences(fnBody, payload).some((reference) => isWrite(reference) && reference.getStart() > statement.getEnd());
    const label = `${toCamel(raw.part.before[i]?.to ?? 'next')}Payload`;
    if (stable) {
      edits.push(removeLine(full, statement));
      payloads.push(payload);
    } else {
      edits.push({ start: statement.getStart(), end: statement.getEnd(), text: `const ${label} = ${payload};` });
      payloads.push(label);
    }
  }
  const handOnPayload = payloads.length === 0 ? undefined : payloads.length === 1 ? payloads[0]! : `[${payloads.join(', ')}]`;
  const lastHandOn = handOnMarkers.at(-1);

  // The handler's own returns: the part's output.
  for (const statement of fn.getDescendantsOfKind(ts.SyntaxKind.ReturnStatement)) {
    if (statement.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) !== fn) continue;
    const value = statement.getExpression()?.getText();
    const afterHandOn = lastHandOn !== undefined && statement.getStart() > lastHandOn.getEnd();
    if (lastHandOn && !afterHandOn && handOnMarkers[0]!.getStart() < statement.getStart()) {
      return { problem: { file: context.file, line: 1, reason: `${task.fn.id} returns between the calls it hands on`, hint: 'hand the work on in one place, at the end' } };
    }
    const indent = getIndentAt(full, statement.getStart());
    const fields = [afterHandOn ? `payload: ${handOnPayload}` : 'done: true', ...(value !== undefined ? [`return: ${reindent(value, indent, indent + unit)}`] : [])];
    edits.push({ start: statement.getStart(), end: statement.getEnd(), text: formatReturn(fields, indent, unit) });
  }
  // The end markers: return the payload of the call the part ends at (or null when the code skipped it).
  for (const marker of parsed.getDescendantsOfKind(ts.SyntaxKind.CallExpression).filter((call) => call.getExpression().getText() === '__l2s_split')) {
    const statement = marker.getParentOrThrow();
    const payload = marker.getArguments()[1]!.getText();
    const fields = [varsText(statement), `payload: ${payload}`].filter((field) => field !== undefined);
    edits.push({ start: statement.getStart(), end: statement.getEnd(), text: formatReturn(fields, getIndentAt(full, statement.getStart()), unit) });
  }
  // A part that can run to its end.
  const last = fnBody.getStatements().at(-1);
  const fallsThrough = !last || !(Node.isReturnStatement(last) || Node.isThrowStatement(last) || (Node.isExpressionStatement(last) && last.getText().startsWith('__l2s_split(')));
  let tail = '';
  if (fallsThrough) {
    const fields = handOnPayload ? [`payload: ${handOnPayload}`] : [];
    tail = `${unit}return {${fields.length > 0 ? ` ${fields.join(', ')} ` : ''}};`;
  }

  // The start: variables from earlier parts, the result or the error received.
  const head: string[] = [];
  const needs = [...analysis.needs].sort();
  const assigned = needs.filter((name) => analysis.writes.has(name));
  const readOnly = needs.filter((name) => !analysis.writes.has(name));
  if (readOnly.length > 0) head.push(`${unit}const { ${readOnly.join(', ')} } = vars;`);
  if (assigned.length > 0) head.push(`${unit}let { ${assigned.join(', ')} } = vars;`);
  if (raw.catchName && getReferences(fnBody, raw.catchName).length > 0) head.push(`${unit}const ${raw.catchName} = ${errorHelper}(error);`);
  let usesResult = false;
  if (raw.part.role === 'after-call' && raw.after) {
    const binding = raw.after.binding;
    const type = typed ? getResultType(context, raw.after, binding) : undefined;
    const value = `result${type ? ` as ${type}` : ''}`;
    const decoded = binding.kind === 'declare' && raw.after.rawInvoke && binding.names.length === 1 ? decodeRawResponse(fnBody, binding.names[0]!, edits) : false;
    if (decoded) usesResult = true;
    else if (binding.kind === 'declare') {
      head.push(`${unit}${binding.head} = ${value};`);
      usesResult = true;
    } else if (binding.kind === 'assign') {
      const declaration = moved.get(binding.target);
      const assignedLater = getReferences(fnBody, binding.target).some(isWrite);
      if (declaration && !analysis.needs.has(binding.target)) {
        const [keyword, ...rest] = declaration.split(' ');
        void keyword;
        head.push(`${unit}${assignedLater ? 'let' : 'const'} ${rest.join(' ')} = ${value};`);
      } else head.push(`${unit}${binding.target} = ${value};`);
      usesResult = true;
    }
  }
  for (const name of needs) if (!varTypes.has(name)) varTypes.set(name, 'any');

  let bodyText = applyEdits(full, edits);
  const reparsed = parseSource(context.file.replace(/(\.\w+)$/, '.part$1'), bodyText);
  const block = reparsed.getFunctionOrThrow('__part').getBodyOrThrow() as Block;
  const inner = block.getStatements().map((statement) => getStatementText(statement, unit));
  bodyText = [...head, ...inner, ...(tail ? [tail] : [])].join('\n');
  const fields = [context.eventName && new RegExp(`\\b${context.eventName}\\b`).test(bodyText) ? (context.eventName === 'event' ? 'event' : `event: ${context.eventName}`) : undefined, needs.length > 0 ? 'vars' : undefined, usesResult ? 'result' : undefined, raw.catchName && bodyText.includes(`${errorHelper}(error)`) ? 'error' : undefined].filter((field) => field !== undefined);
  const params = `${fields.length > 0 ? `{ ${fields.join(', ')} }` : '_input'}${typed ? `: ${names.input}` : ''}`;
  return { params, body: bodyText };
}

/**
 * An SDK invoke's raw response (`const res = await lambda.send(new InvokeCommand(...))`) was decoded by the code
 * (`JSON.parse(Buffer.from(res.Payload).toString())`) and checked (`if (res.FunctionError) throw ...`): the workflow
 * passes the decoded result and fails the Task on a function error, so the decoding reads `result` and the check
 * goes. Returns whether the response is read nowhere else (then it needs no binding).
 */
function decodeRawResponse(body: Block, name: string, edits: TextEdit[]): boolean {
  let decodes = 0;
  const handled: Node[] = [];
  for (const call of body.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== 'JSON.parse' || !call.getArguments()[0]?.getText().includes(`${name}.Payload`)) continue;
    edits.push({ start: call.getStart(), end: call.getEnd(), text: 'result' });
    handled.push(call);
    decodes++;
  }
  for (const statement of body.getDescendantsOfKind(ts.SyntaxKind.IfStatement)) {
    if (!statement.getExpression().getText().includes(`${name}.FunctionError`)) continue;
    const full = body.getSourceFile().getFullText();
    edits.push(removeLine(full, statement));
    handled.push(statement);
  }
  const others = getReferences(body, name).filter((reference) => !handled.some((node) => node.containsRange(reference.getPos(), reference.getEnd())));
  return decodes > 0 && others.length === 0;
}

/**
 * A handler declared locally and exported by name (`export { handler }`, `module.exports = { handler }`): the
 * parts are exported next to it, so that each can be called (and tested) by its name.
 */
function exportParts(source: SourceFile, exportName: string, parts: string[]): TextEdit[] {
  for (const declaration of source.getExportDeclarations()) {
    const named = declaration.getNamedExports();
    if (declaration.getModuleSpecifier() || !named.some((specifier) => (specifier.getAliasNode()?.getText() ?? specifier.getName()) === exportName)) continue;
    const last = named.at(-1)!;
    return [{ start: last.getEnd(), end: last.getEnd(), text: parts.map((part) => `, ${part}`).join('') }];
  }
  for (const statement of source.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    const expression = statement.getExpression();
    if (!Node.isBinaryExpression(expression) || expression.getLeft().getText() !== 'module.exports') continue;
    const object = expression.getRight();
    if (!Node.isObjectLiteralExpression(object) || !object.getProperty(exportName)) continue;
    const last = object.getProperties().at(-1)!;
    return [{ start: last.getEnd(), end: last.getEnd(), text: parts.map((part) => `, ${part}`).join('') }];
  }
  return [];
}

/** `return { a, b };` on one line when it fits, else one field per line. */
function formatReturn(fields: string[], indent: string, unit: string): string {
  const oneLine = `return { ${fields.join(', ')} };`;
  if (oneLine.length + indent.length <= 120 && !oneLine.includes('\n')) return oneLine;
  return `return {\n${fields.map((field) => `${indent}${unit}${field},`).join('\n')}\n${indent}};`;
}

function removeLine(full: string, node: Node): TextEdit {
  const start = full.lastIndexOf('\n', node.getStart() - 1) + 1;
  let end = node.getEnd();
  if (full[end] === '\n') end++;
  return { start, end, text: '' };
}

/** The type of the result a part receives: the call's declared result type, or the type of the variable it is assigned to. */
function getResultType(context: SplitContext, site: Site, binding: Site['binding']): string | undefined {
  if (binding.kind === 'declare' && /:/.test(binding.head.replace(/^(const|let|var)\s+/, '').replace(/[{[][^}\]]*[}\]]/g, ''))) {
    const annotated = binding.head.slice(binding.head.indexOf(':', binding.head.search(/[\w}\]]\s*:/)) + 1).trim();
    if (annotated) return annotated;
  }
  if (site.resultType) return site.resultType;
  if (binding.kind === 'assign') {
    const declaration = context.handler.getDescendantsOfKind(ts.SyntaxKind.VariableDeclaration).find((candidate) => candidate.getName() === binding.target);
    const typeNode = declaration?.getTypeNode();
    if (typeNode) return typeNode.getText();
  }
  return 'any';
}
