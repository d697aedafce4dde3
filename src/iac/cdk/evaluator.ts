import { posix } from 'node:path';
import {
  Node,
  SyntaxKind,
  ts,
  type ArrayBindingPattern,
  type BinaryExpression,
  type CallExpression,
  type ClassDeclaration,
  type ClassExpression,
  type ExportDeclaration,
  type ImportDeclaration,
  type Expression,
  type ForInStatement,
  type ForOfStatement,
  type ForStatement,
  type NewExpression,
  type ObjectBindingPattern,
  type ObjectLiteralExpression,
  type PrefixUnaryExpression,
  type SourceFile,
  type Statement,
  type SwitchStatement,
} from 'ts-morph';
import type { Diagnostic, Severity, SourceLocation } from '../../types/diagnostics.js';
import { callArrayMethod, callGlobalFunction, callStringMethod, fromPlainJson } from './builtin-methods.js';
import { getMemberName, getModulePrefix, isThirdPartyName } from './package-names.js';
import { Scope, type FunctionNode } from './scope.js';
import type { SourceFiles } from './source-files.js';
import {
  getText,
  getTruthiness,
  isNullish,
  joinParts,
  NULL,
  toBool,
  toObj,
  toStr,
  toStrParts,
  toUnknown,
  UNDEF,
  type CdkConstruct,
  type ClassValue,
  type FunctionValue,
  type Value,
} from './values.js';
import { toVirtualPath } from './virtual-paths.js';

/** What the CDK classes and functions do: implemented by the library modules, called by the evaluator. */
export interface Library {
  /** `new X(...)` of a package class; undefined when X is not a class the library models. `self`: a subclass instance (super call). */
  construct(name: string, args: Value[], node: Node, self?: CdkConstruct): Value | undefined;
  /** A package function or static method (`Duration.seconds`, `path.join`, `Stack.of`); undefined: not modelled. */
  call(name: string, args: Value[], node: Node): Value | undefined;
  /** A method of a construct (`fn.addEnvironment`) or of a package value (`api.root.addResource`). */
  method(receiver: Value, name: string, args: Value[], node: Node): Value | undefined;
  /** A property of a construct (`queue.queueUrl`, `api.root`) or of a package value. */
  property(receiver: Value, name: string, node: Node): Value | undefined;
  /** A package symbol read as a value (`Aws.REGION`); undefined keeps the symbol. */
  symbol(name: string): Value | undefined;
  /** A construct of the tree under `scope` (a construct value) with the id `id`, located at `node`. */
  newConstruct(kind: CdkConstruct['kind'], cls: string, scope: Value, id: Value, node: Node): CdkConstruct;
  /** The kind a subclass of this package class gets (`stack` for `Stack`), or undefined when it is not a construct. */
  getBaseKind(name: string): CdkConstruct['kind'] | undefined;
}

type Completion = { type: 'normal' } | { type: 'return'; value: Value } | { type: 'break' } | { type: 'continue' } | { type: 'throw' };
const NORMAL: Completion = { type: 'normal' };

interface ModuleRecord {
  file: string;
  scope: Scope;
  exports: Map<string, () => Value>;
  stars: string[];
  /** `module` of CommonJS code, whose `exports` property is what `require` returns. */
  moduleObject: Value & { t: 'obj' };
  done: boolean;
}

const MAX_STEPS = 400_000;
const MAX_CALL_DEPTH = 64;
/** Iterations of one loop (or items of one `forEach`/`map`) read; more would be generated resources, not architecture. */
export const MAX_LOOP_ITERATIONS = 1_000;
const GLOBALS = new Set(['process', 'JSON', 'Object', 'Math', 'console', 'String', 'Number', 'Boolean', 'Array', 'Date', 'Promise', 'Symbol', 'Error']);

class BudgetExceeded extends Error {}

/** Array methods that call their callback once per item. */
const ARRAY_LOOPS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find']);

/**
 * A small symbolic interpreter for the JavaScript a CDK app is written in: module imports across the app's files,
 * classes and `super`, functions and closures, loops over known arrays, object and array literals, template
 * strings. What it cannot know (a value from the deploy environment, a branch on one) stays symbolic: both
 * branches of an unknown condition are read, loops over unknown values are reported. Never runs the code.
 */
export class Evaluator {
  readonly diagnostics: Diagnostic[] = [];
  /** Class declarations instantiated during evaluation (their stacks are not read again on their own). */
  readonly instantiated = new Set<Node>();
  private readonly modules = new Map<string, ModuleRecord>();
  private readonly reported = new Set<string>();
  private readonly globalScope = new Scope(undefined, '.');
  private steps = 0;
  private depth = 0;
  /** The call or `new` nodes of the functions being evaluated, innermost last. */
  private readonly frames: Node[] = [];
  /** The `new` being evaluated for each class constructor on the stack, for locations and super calls. */
  private readonly constructing: { cls: ClassValue; self: Value; newNode: Node }[] = [];

  constructor(
    private readonly files: SourceFiles,
    private readonly library: Library,
  ) {}

  // ── modules ────────────────────────────────────────────────────────────────

  /** Evaluates a file of the app once (its top-level statements); undefined when it cannot be read. */
  runModule(file: string): ModuleRecord | undefined {
    const existing = this.modules.get(file);
    if (existing) return existing;
    const sourceFile = this.files.get(file);
    if (!sourceFile) return undefined;
    const scope = new Scope(this.globalScope, file);
    const exportsObject = toObj();
    const moduleObject = toObj([['exports', exportsObject]]);
    scope.declare('module', moduleObject);
    scope.declare('exports', exportsObject);
    const record: ModuleRecord = { file, scope, exports: new Map(), stars: [], moduleObject, done: false };
    this.modules.set(file, record);
    this.bindImports(record, sourceFile);
    this.collectExports(record, sourceFile);
    try {
      this.execStatements(sourceFile.getStatements(), scope, true);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      this.report('cdk-unresolved', 'warning', 'the app is too large to read completely within the evaluation budget; the inventory is partial', sourceFile);
    }
    record.done = true;
    return record;
  }

  /** The top-level class declarations of a file, as values (for stacks that no app instantiates). */
  getClasses(file: string): ClassValue[] {
    const record = this.runModule(file);
    if (!record) return [];
    const sourceFile = this.files.get(file)!;
    const classes: ClassValue[] = [];
    for (const declaration of sourceFile.getClasses()) {
      const name = declaration.getName();
      const value = name ? record.scope.lookup(name) : undefined;
      if (value?.t === 'class') classes.push(value);
    }
    return classes;
  }

  private bindImports(record: ModuleRecord, sourceFile: SourceFile): void {
    for (const declaration of sourceFile.getImportDeclarations()) {
      // A damaged import (`import x from ;`) has no string to follow.
      const specifier = getSpecifierText(declaration);
      if (specifier === undefined) continue;
      const defaultImport = declaration.getDefaultImport();
      const namespaceImport = declaration.getNamespaceImport();
      if (defaultImport) record.scope.declareLazy(defaultImport.getText(), () => this.importMember(record.file, specifier, 'default'));
      if (namespaceImport) record.scope.declareLazy(namespaceImport.getText(), () => this.importMember(record.file, specifier, '*'));
      for (const named of declaration.getNamedImports()) {
        const local = named.getAliasNode()?.getText() ?? named.getName();
        record.scope.declareLazy(local, () => this.importMember(record.file, specifier, named.getName()));
      }
    }
    // `import x = require('y')`
    for (const statement of sourceFile.getStatements()) {
      if (!Node.isImportEqualsDeclaration(statement)) continue;
      const reference = statement.getModuleReference();
      if (Node.isExternalModuleReference(reference)) {
        const specifier = reference.getExpressionIfKind(SyntaxKind.StringLiteral)?.getLiteralValue();
        if (specifier !== undefined) record.scope.declareLazy(statement.getName(), () => this.importMember(record.file, specifier, '*'));
      }
    }
  }

  private collectExports(record: ModuleRecord, sourceFile: SourceFile): void {
    const local = (name: string) => () => record.scope.lookup(name) ?? toUnknown(name);
    for (const statement of sourceFile.getStatements()) {
      if (Node.isVariableStatement(statement) && statement.isExported()) {
        for (const declaration of statement.getDeclarations()) {
          for (const name of getBoundNames(declaration.getNameNode())) record.exports.set(name, local(name));
        }
      } else if ((Node.isClassDeclaration(statement) || Node.isFunctionDeclaration(statement) || Node.isEnumDeclaration(statement)) && statement.isExported()) {
        const name = statement.getName();
        if (name) record.exports.set(statement.isDefaultExport() ? 'default' : name, local(name));
        if (name && statement.isDefaultExport()) record.exports.set(name, local(name));
      } else if (Node.isExportDeclaration(statement)) {
        const specifier = getSpecifierText(statement);
        const namespace = statement.getNamespaceExport();
        if (specifier !== undefined && !statement.hasNamedExports() && !namespace) {
          const target = this.files.resolveImport(record.file, specifier);
          if (target) record.stars.push(target);
          continue;
        }
        if (specifier !== undefined && namespace) {
          record.exports.set(namespace.getName(), () => this.importMember(record.file, specifier, '*'));
          continue;
        }
        for (const named of statement.getNamedExports()) {
          const exported = named.getAliasNode()?.getText() ?? named.getName();
          const name = named.getName();
          record.exports.set(exported, specifier === undefined ? local(name) : () => this.importMember(record.file, specifier, name));
        }
      }
    }
  }

  /** A member (`default`, `*` for the namespace, or a name) of what `specifier` names, seen from `fromFile`. */
  private importMember(fromFile: string, specifier: string, member: string): Value {
    const target = this.files.resolveImport(fromFile, specifier);
    if (target === undefined) {
      if (specifier.startsWith('.')) return toUnknown(`${specifier}${member === '*' || member === 'default' ? '' : `#${member}`}`);
      const prefix = getModulePrefix(specifier);
      return member === '*' || member === 'default' ? { t: 'ext', name: prefix } : { t: 'ext', name: getMemberName(prefix, member) };
    }
    if (target.endsWith('.json')) {
      const json = this.readJson(target);
      return member === '*' || member === 'default' ? json : (json.t === 'obj' ? json.props.get(member) : undefined) ?? UNDEF;
    }
    const record = this.runModule(target);
    if (!record) return toUnknown(specifier);
    if (member === '*') return this.getNamespace(record, new Set());
    return this.getExport(record, member, new Set()) ?? (member === 'default' ? this.getCommonJsExports(record) : UNDEF);
  }

  private readJson(file: string): Value {
    const text = this.files.readText(file);
    try {
      return text === undefined ? toUnknown(file) : fromPlainJson(JSON.parse(text) as unknown);
    } catch {
      return toUnknown(file);
    }
  }

  private getExport(record: ModuleRecord, name: string, seen: Set<string>): Value | undefined {
    if (seen.has(record.file)) return undefined;
    seen.add(record.file);
    const own = record.exports.get(name);
    if (own) return own();
    const commonJs = this.getCommonJsExports(record);
    if (commonJs.t === 'obj' && commonJs.props.has(name)) return commonJs.props.get(name);
    if (commonJs.t === 'class' && commonJs.name === name) return commonJs;
    for (const star of record.stars) {
      const target = this.runModule(star);
      const found = target ? this.getExport(target, name, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private getNamespace(record: ModuleRecord, seen: Set<string>): Value {
    const commonJs = this.getCommonJsExports(record);
    if (record.exports.size === 0 && record.stars.length === 0) return commonJs;
    const namespace = toObj(commonJs.t === 'obj' ? commonJs.props : []);
    seen.add(record.file);
    for (const star of record.stars) {
      const target = seen.has(star) ? undefined : this.runModule(star);
      const inner = target ? this.getNamespace(target, seen) : undefined;
      if (inner?.t === 'obj') for (const [key, value] of inner.props) namespace.props.set(key, value);
    }
    for (const [key, get] of record.exports) namespace.props.set(key, get());
    return namespace;
  }

  private getCommonJsExports(record: ModuleRecord): Value {
    return record.moduleObject.props.get('exports') ?? UNDEF;
  }

  // ── statements ─────────────────────────────────────────────────────────────

  /** Runs statements in `scope` after hoisting its functions and classes. Internal errors become diagnostics per statement. */
  private execStatements(statements: readonly Statement[], scope: Scope, topLevel = false): Completion {
    this.hoist(statements, scope);
    for (const statement of statements) {
      let completion: Completion;
      try {
        completion = this.execStatement(statement, scope);
      } catch (error) {
        if (error instanceof BudgetExceeded) throw error;
        if (error instanceof RangeError) this.report('cdk-too-deep', 'warning', 'this statement nests or recurses too deeply to read; it is skipped', statement);
        else this.report('iac-internal-error', 'error', `cdk: ${String(error)}`, statement);
        continue;
      }
      if (completion.type !== 'normal') return topLevel ? NORMAL : completion;
    }
    return NORMAL;
  }

  private hoist(statements: readonly Statement[], scope: Scope): void {
    for (const statement of statements) {
      if (Node.isFunctionDeclaration(statement) && statement.getName() && statement.hasBody()) {
        scope.declare(statement.getName()!, { t: 'fn', node: statement, scope });
      } else if (Node.isClassDeclaration(statement) && statement.getName()) {
        scope.declare(statement.getName()!, this.toClass(statement, scope));
      }
    }
  }

  private execStatement(statement: Statement, scope: Scope): Completion {
    this.step();
    if (Node.isVariableStatement(statement)) {
      for (const declaration of statement.getDeclarations()) {
        const initializer = declaration.getInitializer();
        this.bindPattern(declaration.getNameNode(), initializer ? this.evaluate(initializer, scope) : UNDEF, scope);
      }
      return NORMAL;
    }
    if (Node.isExpressionStatement(statement)) {
      this.evaluate(statement.getExpression(), scope);
      return NORMAL;
    }
    if (Node.isBlock(statement)) return this.execStatements(statement.getStatements(), new Scope(scope, scope.file));
    if (Node.isIfStatement(statement)) return this.execIf(statement.getExpression(), statement.getThenStatement(), statement.getElseStatement(), scope);
    if (Node.isReturnStatement(statement)) {
      const expression = statement.getExpression();
      return { type: 'return', value: expression ? this.evaluate(expression, scope) : UNDEF };
    }
    if (Node.isForOfStatement(statement) || Node.isForInStatement(statement)) return this.execForOf(statement, scope);
    if (Node.isForStatement(statement)) return this.execFor(statement, scope);
    if (Node.isWhileStatement(statement) || Node.isDoStatement(statement)) {
      this.report('cdk-unresolved', 'info', 'a while loop is not followed: constructs created in it are not in the inventory', statement);
      return NORMAL;
    }
    if (Node.isSwitchStatement(statement)) return this.execSwitch(statement, scope);
    if (Node.isTryStatement(statement)) {
      const result = this.execStatements(statement.getTryBlock().getStatements(), new Scope(scope, scope.file));
      const finallyBlock = statement.getFinallyBlock();
      if (finallyBlock) this.execStatements(finallyBlock.getStatements(), new Scope(scope, scope.file));
      return result.type === 'throw' ? NORMAL : result;
    }
    if (Node.isThrowStatement(statement)) return { type: 'throw' };
    if (Node.isBreakStatement(statement)) return { type: 'break' };
    if (Node.isContinueStatement(statement)) return { type: 'continue' };
    if (Node.isLabeledStatement(statement)) return this.execStatement(statement.getStatement(), scope);
    if (Node.isExportAssignment(statement)) {
      const value = this.evaluate(statement.getExpression(), scope);
      const record = this.modules.get(scope.file);
      if (record && !statement.isExportEquals()) record.exports.set('default', () => value);
      else if (record) record.moduleObject.props.set('exports', value);
      return NORMAL;
    }
    if (Node.isEnumDeclaration(statement)) {
      const props = new Map<string, Value>();
      let next = 0;
      for (const member of statement.getMembers()) {
        const initializer = member.getInitializer();
        const value = initializer ? this.evaluate(initializer, scope) : { t: 'num' as const, v: next };
        if (value.t === 'num') next = value.v + 1;
        props.set(member.getName(), value);
      }
      scope.declare(statement.getName(), { t: 'obj', props });
      return NORMAL;
    }
    // Declarations already hoisted, imports bound, types: nothing to run.
    return NORMAL;
  }

  private execIf(condition: Expression, then: Statement, otherwise: Statement | undefined, scope: Scope): Completion {
    const verdict = getTruthiness(this.evaluate(condition, scope));
    if (verdict === true) return this.execStatement(then, scope);
    if (verdict === false) return otherwise ? this.execStatement(otherwise, scope) : NORMAL;
    // Decided at deploy time: read both branches; a `throw` in one of them does not end the other path.
    const first = this.execStatement(then, scope);
    const second = otherwise ? this.execStatement(otherwise, scope) : NORMAL;
    if (first.type === 'return') return first;
    if (second.type === 'return') return second;
    return NORMAL;
  }

  private execForOf(statement: ForOfStatement | ForInStatement, scope: Scope): Completion {
    const iterable = this.evaluate(statement.getExpression(), scope);
    let items: Value[];
    if (Node.isForInStatement(statement)) items = iterable.t === 'obj' ? [...iterable.props.keys()].map(toStr) : iterable.t === 'arr' ? iterable.items.map((_, i) => toStr(String(i))) : [];
    else items = iterable.t === 'arr' ? iterable.items : iterable.t === 'str' && getText(iterable) !== undefined ? [...getText(iterable)!].map(toStr) : [];
    if (iterable.t !== 'arr' && iterable.t !== 'obj' && items.length === 0) {
      this.report('cdk-unresolved', 'info', `the loop over ${statement.getExpression().getText()} is not followed: its items are not known statically`, statement);
      return NORMAL;
    }
    const initializer = statement.getInitializer();
    if (items.length > MAX_LOOP_ITERATIONS) this.reportLongLoop(statement);
    for (const item of items.slice(0, MAX_LOOP_ITERATIONS)) {
      const inner = new Scope(scope, scope.file);
      if (Node.isVariableDeclarationList(initializer)) {
        for (const declaration of initializer.getDeclarations()) this.bindPattern(declaration.getNameNode(), item, inner);
      } else if (Node.isIdentifier(initializer)) scope.assign(initializer.getText(), item);
      const completion = this.execStatement(statement.getStatement(), inner);
      if (completion.type === 'break') break;
      if (completion.type === 'return' || completion.type === 'throw') return completion;
    }
    return NORMAL;
  }

  private execFor(statement: ForStatement, scope: Scope): Completion {
    const loopScope = new Scope(scope, scope.file);
    const initializer = statement.getInitializer();
    if (Node.isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.getDeclarations()) {
        const init = declaration.getInitializer();
        this.bindPattern(declaration.getNameNode(), init ? this.evaluate(init, loopScope) : UNDEF, loopScope);
      }
    } else if (initializer) this.evaluate(initializer, loopScope);
    for (let iteration = 0; ; iteration++) {
      const condition = statement.getCondition();
      const verdict = condition ? getTruthiness(this.evaluate(condition, loopScope)) : true;
      if (verdict === false) break;
      if (iteration >= MAX_LOOP_ITERATIONS) {
        this.reportLongLoop(statement);
        break;
      }
      if (verdict === undefined) {
        this.report('cdk-unresolved', 'info', 'the bounds of this for loop are not known statically: its body is not followed', statement);
        break;
      }
      const completion = this.execStatement(statement.getStatement(), new Scope(loopScope, scope.file));
      if (completion.type === 'break') break;
      if (completion.type === 'return' || completion.type === 'throw') return completion;
      const incrementor = statement.getIncrementor();
      if (incrementor) this.evaluate(incrementor, loopScope);
    }
    return NORMAL;
  }

  private execSwitch(statement: SwitchStatement, scope: Scope): Completion {
    const discriminant = getText(this.evaluate(statement.getExpression(), scope));
    const clauses = statement.getCaseBlock().getClauses();
    const inner = new Scope(scope, scope.file);
    let start = -1;
    if (discriminant !== undefined) {
      start = clauses.findIndex((clause) => Node.isCaseClause(clause) && getText(this.evaluate(clause.getExpression(), scope)) === discriminant);
      if (start < 0) start = clauses.findIndex((clause) => Node.isDefaultClause(clause));
      if (start < 0) return NORMAL;
      for (const clause of clauses.slice(start)) {
        const completion = this.execStatements(clause.getStatements(), inner);
        if (completion.type === 'break') break;
        if (completion.type !== 'normal') return completion;
      }
      return NORMAL;
    }
    // Unknown discriminant: each clause may run.
    for (const clause of clauses) {
      const completion = this.execStatements(clause.getStatements(), new Scope(scope, scope.file));
      if (completion.type === 'return') return completion;
    }
    return NORMAL;
  }

  private bindPattern(name: Node, value: Value, scope: Scope): void {
    if (Node.isIdentifier(name)) {
      scope.declare(name.getText(), value);
    } else if (Node.isObjectBindingPattern(name)) {
      this.bindObjectPattern(name, value, scope);
    } else if (Node.isArrayBindingPattern(name)) {
      this.bindArrayPattern(name, value, scope);
    }
  }

  private bindObjectPattern(pattern: ObjectBindingPattern, value: Value, scope: Scope): void {
    const used = new Set<string>();
    for (const element of pattern.getElements()) {
      const nameNode = element.getNameNode();
      if (element.getDotDotDotToken()) {
        const rest = value.t === 'obj' ? toObj([...value.props].filter(([key]) => !used.has(key))) : toUnknown(nameNode.getText());
        this.bindPattern(nameNode, rest, scope);
        continue;
      }
      const propertyNode = element.getPropertyNameNode();
      const key = propertyNode ? this.getPropertyName(propertyNode, scope) : nameNode.getText();
      if (key !== undefined) used.add(key);
      let item = key === undefined ? toUnknown(element.getText()) : this.getProperty(value, key, element);
      const initializer = element.getInitializer();
      if (initializer && item.t === 'undef') item = this.evaluate(initializer, scope);
      this.bindPattern(nameNode, item, scope);
    }
  }

  private bindArrayPattern(pattern: ArrayBindingPattern, value: Value, scope: Scope): void {
    pattern.getElements().forEach((element, index) => {
      if (!Node.isBindingElement(element)) return;
      const rest = element.getDotDotDotToken();
      let item: Value =
        value.t === 'arr' ? (rest ? { t: 'arr', items: value.items.slice(index) } : (value.items[index] ?? UNDEF)) : toUnknown(element.getText());
      const initializer = element.getInitializer();
      if (initializer && item.t === 'undef') item = this.evaluate(initializer, scope);
      this.bindPattern(element.getNameNode(), item, scope);
    });
  }

  // ── expressions ────────────────────────────────────────────────────────────

  evaluate(node: Node, scope: Scope): Value {
    this.step();
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return toStr(node.getLiteralValue());
    if (Node.isNumericLiteral(node)) return { t: 'num', v: node.getLiteralValue() };
    if (Node.isTrueLiteral(node)) return toBool(true);
    if (Node.isFalseLiteral(node)) return toBool(false);
    if (Node.isNullLiteral(node)) return NULL;
    if (Node.isTemplateExpression(node)) {
      const parts = [{ k: 'lit' as const, v: node.getHead().getLiteralText() }];
      const all = [...parts, ...node.getTemplateSpans().flatMap((span) => [
        ...toStrParts(this.evaluate(span.getExpression(), scope), span.getExpression().getText()),
        { k: 'lit' as const, v: span.getLiteral().getLiteralText() },
      ])];
      return { t: 'str', parts: joinParts(all) };
    }
    if (Node.isIdentifier(node)) return this.lookup(node.getText(), scope);
    if (Node.isThisExpression(node)) return scope.lookup('this') ?? toUnknown('this');
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isTypeAssertion(node) ||
      Node.isNonNullExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isAwaitExpression(node)
    ) {
      return this.evaluate(node.getExpression(), scope);
    }
    if (Node.isPropertyAccessExpression(node)) {
      if (Node.isSuperExpression(node.getExpression())) return this.getSuperMember(node.getName(), scope, node);
      return this.getProperty(this.evaluate(node.getExpression(), scope), node.getName(), node);
    }
    if (Node.isElementAccessExpression(node)) {
      const object = this.evaluate(node.getExpression(), scope);
      const argument = node.getArgumentExpression();
      const key = argument ? getText(this.evaluate(argument, scope)) : undefined;
      return key === undefined ? toUnknown(node.getText()) : this.getProperty(object, key, node);
    }
    if (Node.isCallExpression(node)) return this.evaluateCall(node, scope);
    if (Node.isNewExpression(node)) return this.evaluateNew(node, scope);
    if (Node.isObjectLiteralExpression(node)) return this.evaluateObject(node, scope);
    if (Node.isArrayLiteralExpression(node)) {
      const items: Value[] = [];
      for (const element of node.getElements()) {
        if (Node.isSpreadElement(element)) {
          const spread = this.evaluate(element.getExpression(), scope);
          if (spread.t === 'arr') items.push(...spread.items);
        } else if (Node.isOmittedExpression(element)) items.push(UNDEF);
        else items.push(this.evaluate(element, scope));
      }
      return { t: 'arr', items };
    }
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { t: 'fn', node, scope };
    if (Node.isClassExpression(node)) return this.toClass(node, scope);
    if (Node.isBinaryExpression(node)) return this.evaluateBinary(node, scope);
    if (Node.isConditionalExpression(node)) {
      const verdict = getTruthiness(this.evaluate(node.getCondition(), scope));
      if (verdict === true) return this.evaluate(node.getWhenTrue(), scope);
      if (verdict === false) return this.evaluate(node.getWhenFalse(), scope);
      return toUnknown(node.getText());
    }
    if (Node.isPrefixUnaryExpression(node)) return this.evaluatePrefix(node, scope);
    if (Node.isPostfixUnaryExpression(node)) {
      const operand = node.getOperand();
      const before = this.evaluate(operand, scope);
      if (before.t === 'num' && Node.isIdentifier(operand)) {
        scope.assign(operand.getText(), { t: 'num', v: before.v + (node.getOperatorToken() === SyntaxKind.PlusPlusToken ? 1 : -1) });
      }
      return before;
    }
    if (Node.isTypeOfExpression(node)) {
      const value = this.evaluate(node.getExpression(), scope);
      const type = { str: 'string', num: 'number', bool: 'boolean', undef: 'undefined', fn: 'function', class: 'function', obj: 'object', arr: 'object', null: 'object' }[value.t as string];
      return type ? toStr(type) : toUnknown(node.getText());
    }
    if (Node.isMetaProperty(node)) return this.evaluateMetaProperty(node.getName(), scope, node);
    return toUnknown(node.getText());
  }

  private lookup(name: string, scope: Scope): Value {
    const value = scope.lookup(name);
    if (value !== undefined) return value;
    if (name === 'undefined') return UNDEF;
    if (name === '__dirname') return toStr(toVirtualPath(posix.dirname(scope.file)));
    if (name === '__filename') return toStr(`${toVirtualPath('.')}/${scope.file}`);
    if (GLOBALS.has(name)) return { t: 'ext', name };
    if (name === 'require') return { t: 'ext', name: 'require' };
    return toUnknown(name);
  }

  private evaluateMetaProperty(name: string, scope: Scope, node: Node): Value {
    // import.meta.url / dirname / filename of an ESM CDK app
    const parent = node.getParent();
    if (name === 'meta' && Node.isPropertyAccessExpression(parent)) return toObj([
      ['url', toStr(`file://${toVirtualPath('.')}/${scope.file}`)],
      ['dirname', toStr(toVirtualPath(posix.dirname(scope.file)))],
      ['filename', toStr(`${toVirtualPath('.')}/${scope.file}`)],
    ]);
    return toUnknown(node.getText());
  }

  private evaluateObject(node: ObjectLiteralExpression, scope: Scope): Value {
    const props = new Map<string, Value>();
    const object: Value = { t: 'obj', props };
    for (const property of node.getProperties()) {
      if (Node.isPropertyAssignment(property)) {
        const key = this.getPropertyName(property.getNameNode(), scope);
        const initializer = property.getInitializer();
        if (key !== undefined && initializer) props.set(key, this.evaluate(initializer, scope));
      } else if (Node.isShorthandPropertyAssignment(property)) {
        props.set(property.getName(), this.lookup(property.getName(), scope));
      } else if (Node.isSpreadAssignment(property)) {
        const spread = this.evaluate(property.getExpression(), scope);
        if (spread.t === 'obj') for (const [key, value] of spread.props) props.set(key, value);
      } else if (Node.isMethodDeclaration(property)) {
        const key = this.getPropertyName(property.getNameNode(), scope);
        if (key !== undefined) props.set(key, { t: 'fn', node: property, scope, self: object });
      }
    }
    return object;
  }

  private getPropertyName(name: Node, scope: Scope): string | undefined {
    if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
    if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
    if (Node.isNumericLiteral(name)) return String(name.getLiteralValue());
    if (Node.isComputedPropertyName(name)) return getText(this.evaluate(name.getExpression(), scope));
    return undefined;
  }

  private evaluateBinary(node: BinaryExpression, scope: Scope): Value {
    const operator = node.getOperatorToken().getKind();
    const left = node.getLeft();
    if (operator === SyntaxKind.EqualsToken) {
      const value = this.evaluate(node.getRight(), scope);
      this.assign(left, value, scope);
      return value;
    }
    const compound = COMPOUND_ASSIGNMENT[operator];
    if (compound !== undefined) {
      const value = this.combine(compound, this.evaluate(left, scope), this.evaluate(node.getRight(), scope), node);
      this.assign(left, value, scope);
      return value;
    }
    const leftValue = this.evaluate(left, scope);
    if (operator === SyntaxKind.AmpersandAmpersandToken) {
      const verdict = getTruthiness(leftValue);
      return verdict === false ? leftValue : verdict === true ? this.evaluate(node.getRight(), scope) : toUnknown(node.getText());
    }
    if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken) {
      const verdict = operator === SyntaxKind.BarBarToken ? getTruthiness(leftValue) : isNullish(leftValue) ? false : leftValue.t === 'unknown' ? undefined : true;
      if (verdict === true) return leftValue;
      // `process.env.STAGE ?? 'dev'`: a value only known at deploy time takes its default, as `${opt:stage, 'dev'}` does.
      return this.evaluate(node.getRight(), scope);
    }
    return this.combine(operator, leftValue, this.evaluate(node.getRight(), scope), node);
  }

  private combine(operator: SyntaxKind, left: Value, right: Value, node: Node): Value {
    switch (operator) {
      case SyntaxKind.PlusToken:
        if (left.t === 'num' && right.t === 'num') return { t: 'num', v: left.v + right.v };
        if (left.t === 'str' || right.t === 'str' || left.t === 'unknown' || right.t === 'unknown') {
          return { t: 'str', parts: joinParts([...toStrParts(left, node.getText()), ...toStrParts(right, node.getText())]) };
        }
        return toUnknown(node.getText());
      case SyntaxKind.MinusToken:
      case SyntaxKind.AsteriskToken:
      case SyntaxKind.SlashToken:
      case SyntaxKind.PercentToken:
      case SyntaxKind.AsteriskAsteriskToken: {
        if (left.t !== 'num' || right.t !== 'num') return toUnknown(node.getText());
        const [a, b] = [left.v, right.v];
        const result = operator === SyntaxKind.MinusToken ? a - b : operator === SyntaxKind.AsteriskToken ? a * b : operator === SyntaxKind.SlashToken ? a / b : operator === SyntaxKind.PercentToken ? a % b : a ** b;
        return { t: 'num', v: result };
      }
      case SyntaxKind.EqualsEqualsEqualsToken:
      case SyntaxKind.EqualsEqualsToken:
      case SyntaxKind.ExclamationEqualsEqualsToken:
      case SyntaxKind.ExclamationEqualsToken: {
        const equal = getEquality(left, right, operator === SyntaxKind.EqualsEqualsToken || operator === SyntaxKind.ExclamationEqualsToken);
        if (equal === undefined) return toUnknown(node.getText());
        const negate = operator === SyntaxKind.ExclamationEqualsEqualsToken || operator === SyntaxKind.ExclamationEqualsToken;
        return toBool(negate ? !equal : equal);
      }
      case SyntaxKind.LessThanToken:
      case SyntaxKind.LessThanEqualsToken:
      case SyntaxKind.GreaterThanToken:
      case SyntaxKind.GreaterThanEqualsToken: {
        if (left.t !== 'num' || right.t !== 'num') return toUnknown(node.getText());
        const [a, b] = [left.v, right.v];
        return toBool(operator === SyntaxKind.LessThanToken ? a < b : operator === SyntaxKind.LessThanEqualsToken ? a <= b : operator === SyntaxKind.GreaterThanToken ? a > b : a >= b);
      }
      default:
        return toUnknown(node.getText());
    }
  }

  private evaluatePrefix(node: PrefixUnaryExpression, scope: Scope): Value {
    const operand = node.getOperand();
    const value = this.evaluate(operand, scope);
    switch (node.getOperatorToken()) {
      case SyntaxKind.ExclamationToken: {
        const verdict = getTruthiness(value);
        return verdict === undefined ? toUnknown(node.getText()) : toBool(!verdict);
      }
      case SyntaxKind.MinusToken:
        return value.t === 'num' ? { t: 'num', v: -value.v } : toUnknown(node.getText());
      case SyntaxKind.PlusToken:
        return value.t === 'num' ? value : toUnknown(node.getText());
      case SyntaxKind.PlusPlusToken:
      case SyntaxKind.MinusMinusToken: {
        if (value.t !== 'num') return toUnknown(node.getText());
        const next: Value = { t: 'num', v: value.v + (node.getOperatorToken() === SyntaxKind.PlusPlusToken ? 1 : -1) };
        this.assign(operand, next, scope);
        return next;
      }
      default:
        return toUnknown(node.getText());
    }
  }

  private assign(target: Node, value: Value, scope: Scope): void {
    if (Node.isIdentifier(target)) {
      if (!scope.assign(target.getText(), value)) scope.declare(target.getText(), value);
    } else if (Node.isPropertyAccessExpression(target)) {
      this.setProperty(this.evaluate(target.getExpression(), scope), target.getName(), value);
    } else if (Node.isElementAccessExpression(target)) {
      const argument = target.getArgumentExpression();
      const key = argument ? getText(this.evaluate(argument, scope)) : undefined;
      if (key !== undefined) this.setProperty(this.evaluate(target.getExpression(), scope), key, value);
    } else if (Node.isParenthesizedExpression(target) || Node.isNonNullExpression(target) || Node.isAsExpression(target)) {
      this.assign(target.getExpression(), value, scope);
    }
  }

  private setProperty(target: Value, key: string, value: Value): void {
    if (target.t === 'obj') target.props.set(key, value);
    else if (target.t === 'construct') target.c.fields.set(key, value);
    else if (target.t === 'class') target.statics.set(key, value);
    else if (target.t === 'arr' && /^\d+$/.test(key)) target.items[Number(key)] = value;
  }

  /** `object.key`: object literals, arrays, strings, class statics, constructs (fields, getters, then the library). */
  getProperty(object: Value, key: string, node: Node): Value {
    switch (object.t) {
      case 'obj': {
        if (object.props.has(key)) return object.props.get(key)!;
        const member = object.cls ? this.getInstanceMember(object.cls, key, object, node) : undefined;
        return member ?? UNDEF;
      }
      case 'arr':
        if (key === 'length') return { t: 'num', v: object.items.length };
        return /^\d+$/.test(key) ? (object.items[Number(key)] ?? UNDEF) : toUnknown(node.getText());
      case 'str': {
        const text = getText(object);
        if (key === 'length' && text !== undefined) return { t: 'num', v: text.length };
        return text !== undefined && /^\d+$/.test(key) ? toStr(text.charAt(Number(key))) : toUnknown(node.getText());
      }
      case 'class':
        return this.getStatic(object, key, node);
      case 'ext': {
        const name = getMemberName(object.name, key);
        return this.library.symbol(name) ?? { t: 'ext', name };
      }
      case 'construct': {
        const c = object.c;
        if (c.fields.has(key)) return c.fields.get(key)!;
        const cls = c.classValue;
        const member = cls ? this.getInstanceMember(cls, key, object, node) : undefined;
        return member ?? this.library.property(object, key, node) ?? toUnknown(node.getText());
      }
      case 'undef':
      case 'null':
        // `props?.stage`, or a property of an optional prop that was not given.
        return UNDEF;
      default:
        return this.library.property(object, key, node) ?? toUnknown(node.getText());
    }
  }

  /** A method (bound) or getter of an instance of a class of the app, looked up along its base classes. */
  private getInstanceMember(cls: ClassValue, key: string, self: Value, node: Node): Value | undefined {
    for (let current: ClassValue | undefined = cls; current; current = this.getUserBase(current)) {
      const declaration = current.node as ClassDeclaration | ClassExpression;
      const method = declaration.getMethods().find((m) => !m.isStatic() && m.getName() === key && m.hasBody());
      if (method) return { t: 'fn', node: method, scope: current.scope, home: current, self };
      const getter = declaration.getGetAccessors().find((g) => !g.isStatic() && g.getName() === key);
      if (getter) return this.callFunction({ t: 'fn', node: getter, scope: current.scope, home: current, self }, [], node);
    }
    return undefined;
  }

  private getStatic(cls: ClassValue, key: string, node: Node): Value {
    if (!cls.staticsReady) {
      cls.staticsReady = true;
      const declaration = cls.node as ClassDeclaration | ClassExpression;
      const scope = new Scope(cls.scope, cls.scope.file);
      scope.declare('this', cls);
      for (const property of declaration.getProperties()) {
        const initializer = property.getInitializer();
        if (property.isStatic() && initializer) cls.statics.set(property.getName(), this.evaluate(initializer, scope));
      }
    }
    if (cls.statics.has(key)) return cls.statics.get(key)!;
    const declaration = cls.node as ClassDeclaration | ClassExpression;
    const method = declaration.getStaticMethod(key);
    if (method?.hasBody()) return { t: 'fn', node: method, scope: cls.scope, home: cls, self: cls };
    const base = this.getBase(cls);
    if (base?.t === 'class') return this.getStatic(base, key, node);
    if (base?.t === 'ext') return this.getProperty(base, key, node);
    return toUnknown(node.getText());
  }

  private getSuperMember(key: string, scope: Scope, node: Node): Value {
    const home = scope.lookup('%class');
    const self = scope.lookup('this') ?? UNDEF;
    const base = home?.t === 'class' ? this.getBase(home) : undefined;
    if (base?.t === 'class') return this.getInstanceMember(base, key, self, node) ?? toUnknown(node.getText());
    return self.t === 'construct' ? (this.library.property(self, key, node) ?? toUnknown(node.getText())) : toUnknown(node.getText());
  }

  // ── calls ──────────────────────────────────────────────────────────────────

  private evaluateArguments(args: readonly Node[], scope: Scope): Value[] {
    const values: Value[] = [];
    for (const arg of args) {
      if (Node.isSpreadElement(arg)) {
        const spread = this.evaluate(arg.getExpression(), scope);
        if (spread.t === 'arr') values.push(...spread.items);
        else values.push(toUnknown(arg.getText()));
      } else values.push(this.evaluate(arg, scope));
    }
    return values;
  }

  private evaluateCall(node: CallExpression, scope: Scope): Value {
    const callee = node.getExpression();
    if (Node.isSuperExpression(callee)) {
      this.callSuper(this.evaluateArguments(node.getArguments(), scope), scope, node);
      return UNDEF;
    }
    if (Node.isPropertyAccessExpression(callee) || Node.isElementAccessExpression(callee)) {
      const receiverNode = callee.getExpression();
      if (Node.isSuperExpression(receiverNode) && Node.isPropertyAccessExpression(callee)) {
        const member = this.getSuperMember(callee.getName(), scope, callee);
        return this.callValue(member, this.evaluateArguments(node.getArguments(), scope), node);
      }
      const receiver = this.evaluate(receiverNode, scope);
      let name: string | undefined;
      if (Node.isPropertyAccessExpression(callee)) name = callee.getName();
      else {
        const argument = callee.getArgumentExpression();
        name = argument ? getText(this.evaluate(argument, scope)) : undefined;
      }
      if (name === undefined) return toUnknown(node.getText());
      if (isNullish(receiver) && callee.hasQuestionDotToken()) return UNDEF;
      return this.callMethod(receiver, name, node, scope);
    }
    const fn = this.evaluate(callee, scope);
    if (fn.t === 'ext' && fn.name === 'require') {
      const first = node.getArguments()[0];
      const specifier = first ? getText(this.evaluate(first, scope)) : undefined;
      return specifier === undefined ? toUnknown(node.getText()) : this.importMember(scope.file, specifier, '*');
    }
    return this.callValue(fn, this.evaluateArguments(node.getArguments(), scope), node);
  }

  private callMethod(receiver: Value, name: string, node: CallExpression, scope: Scope): Value {
    const args = () => this.evaluateArguments(node.getArguments(), scope);
    switch (receiver.t) {
      case 'str':
        return callStringMethod(receiver, name, args()) ?? toUnknown(node.getText());
      case 'arr':
        if (receiver.items.length > MAX_LOOP_ITERATIONS && ARRAY_LOOPS.has(name)) this.reportLongLoop(node);
        return callArrayMethod(receiver, name, args(), (callback, callArgs) => this.callValue(callback, callArgs, node), MAX_LOOP_ITERATIONS) ?? toUnknown(node.getText());
      case 'ext': {
        const full = getMemberName(receiver.name, name);
        const values = args();
        return callGlobalFunction(full, values) ?? this.library.call(full, values, node) ?? { t: 'call', name: full, args: values, node };
      }
      case 'construct':
      case 'obj': {
        const member = receiver.t === 'obj' ? receiver.props.get(name) : receiver.c.fields.get(name);
        const cls = receiver.t === 'obj' ? receiver.cls : receiver.c.classValue;
        const method = member ?? (cls ? this.getInstanceMember(cls, name, receiver, node) : undefined);
        if (method && (method.t === 'fn' || method.t === 'class')) return this.callValue(method, args(), node, receiver);
        if (receiver.t === 'construct') return this.library.method(receiver, name, args(), node) ?? toUnknown(node.getText());
        return toUnknown(node.getText());
      }
      case 'class': {
        const member = this.getStatic(receiver, name, node);
        return this.callValue(member, args(), node, receiver);
      }
      case 'fn':
        if (name === 'call') {
          const [self, ...rest] = args();
          return this.callFunction(receiver, rest, node, self);
        }
        return toUnknown(node.getText());
      default:
        return this.library.method(receiver, name, args(), node) ?? toUnknown(node.getText());
    }
  }

  private callValue(fn: Value, args: Value[], node: Node, self?: Value): Value {
    if (fn.t === 'fn') return this.callFunction(fn, args, node, self);
    if (fn.t === 'ext') return callGlobalFunction(fn.name, args) ?? this.library.call(fn.name, args, node) ?? { t: 'call', name: fn.name, args, node };
    return toUnknown(node.getText());
  }

  /** Calls a function of the app with its own scope; `self` is `this` for functions that are not arrows. */
  callFunction(fn: FunctionValue, args: Value[], node: Node, self?: Value): Value {
    if (this.depth >= MAX_CALL_DEPTH) {
      this.report('cdk-unresolved', 'info', 'calls nest too deeply (recursion?); the innermost call is not followed', node);
      return toUnknown(node.getText());
    }
    const declaration = fn.node;
    const scope = new Scope(fn.scope, fn.scope.file);
    if (!Node.isArrowFunction(declaration)) scope.declare('this', self ?? fn.self ?? UNDEF);
    if (fn.home) scope.declare('%class', fn.home);
    this.bindParameters(declaration, args, scope, self ?? fn.self);
    const body = declaration.getBody();
    this.depth++;
    this.frames.push(node);
    try {
      if (!body) return UNDEF;
      if (!Node.isBlock(body)) return this.evaluate(body, scope);
      const completion = this.execStatements(body.getStatements(), scope);
      return completion.type === 'return' ? completion.value : UNDEF;
    } finally {
      this.frames.pop();
      this.depth--;
    }
  }

  /**
   * The call of a helper function being evaluated (`createFunction(this, 'Orders', ...)`, a `.map` callback), when
   * the innermost frame is one; undefined inside a class constructor. Constructs made by helpers are located there.
   */
  getHelperCall(): Node | undefined {
    const frame = this.frames[this.frames.length - 1];
    return frame && Node.isCallExpression(frame) ? frame : undefined;
  }

  private bindParameters(declaration: FunctionNode, args: Value[], scope: Scope, self: Value | undefined): void {
    declaration.getParameters().forEach((parameter, index) => {
      let value: Value = parameter.isRestParameter() ? { t: 'arr', items: args.slice(index) } : (args[index] ?? UNDEF);
      const initializer = parameter.getInitializer();
      if (initializer && value.t === 'undef') value = this.evaluate(initializer, scope);
      this.bindPattern(parameter.getNameNode(), value, scope);
      // `constructor(private readonly queue: Queue)`: a parameter property is a field.
      if (parameter.isParameterProperty() && self && Node.isIdentifier(parameter.getNameNode())) this.setProperty(self, parameter.getName(), value);
    });
  }

  // ── classes ────────────────────────────────────────────────────────────────

  private toClass(node: ClassDeclaration | ClassExpression, scope: Scope): ClassValue {
    return { t: 'class', name: node.getName() ?? 'anonymous class', node, scope, statics: new Map(), staticsReady: false };
  }

  /** The evaluated `extends` expression of a class, or undefined when it has none. */
  getBase(cls: ClassValue): Value | undefined {
    if (cls.base !== undefined) return cls.base ?? undefined;
    const heritage = (cls.node as ClassDeclaration | ClassExpression).getExtends();
    cls.base = heritage ? this.evaluate(heritage.getExpression(), cls.scope) : null;
    return cls.base ?? undefined;
  }

  private getUserBase(cls: ClassValue): ClassValue | undefined {
    const base = this.getBase(cls);
    return base?.t === 'class' ? base : undefined;
  }

  /** The package class at the root of a class's `extends` chain (`core.Stack`), if any. */
  getRootBase(cls: ClassValue): string | undefined {
    const seen = new Set<ClassValue>();
    for (let current: ClassValue | undefined = cls; current && !seen.has(current); current = this.getUserBase(current)) {
      seen.add(current);
      const base = this.getBase(current);
      if (base?.t === 'ext') return base.name;
    }
    return undefined;
  }

  private evaluateNew(node: NewExpression, scope: Scope): Value {
    const cls = this.evaluate(node.getExpression(), scope);
    const args = this.evaluateArguments(node.getArguments() ?? [], scope);
    if (cls.t === 'class') return this.instantiate(cls, args, node);
    if (cls.t === 'ext') return this.newPackageClass(cls.name, args, node);
    return toUnknown(node.getText());
  }

  /** `new Cls(...)` for a class of the app: a construct when it extends one (its scope and id from the arguments). */
  instantiate(cls: ClassValue, args: Value[], node: Node): Value {
    this.instantiated.add(cls.node);
    const rootBase = this.getRootBase(cls);
    const kind = rootBase ? this.library.getBaseKind(rootBase) : undefined;
    let self: Value;
    if (kind) {
      const c = this.library.newConstruct(kind, cls.name, args[0] ?? UNDEF, args[1] ?? UNDEF, node);
      c.classValue = cls;
      self = { t: 'construct', c };
    } else self = { t: 'obj', props: new Map(), cls };
    this.runConstructor(cls, self, args, node);
    return self;
  }

  private runConstructor(cls: ClassValue, self: Value, args: Value[], newNode: Node): void {
    if (this.depth >= MAX_CALL_DEPTH) return;
    const declaration = cls.node as ClassDeclaration | ClassExpression;
    const constructor = declaration.getConstructors().find((ctor) => ctor.hasBody());
    const base = this.getBase(cls);
    if (!constructor) {
      // Implicit `constructor(...args) { super(...args); }`.
      if (base) this.callBase(base, self, args, newNode);
      this.initializeFields(cls, self);
      return;
    }
    if (!base) this.initializeFields(cls, self);
    this.constructing.push({ cls, self, newNode });
    try {
      this.callFunction({ t: 'fn', node: constructor, scope: cls.scope, home: cls, self }, args, newNode, self);
    } finally {
      this.constructing.pop();
    }
  }

  private callSuper(args: Value[], scope: Scope, node: Node): void {
    const home = scope.lookup('%class');
    const self = scope.lookup('this');
    const frame = this.constructing[this.constructing.length - 1];
    if (home?.t !== 'class' || !self || !frame) return;
    const base = this.getBase(home);
    if (base) this.callBase(base, self, args, frame.newNode);
    this.initializeFields(home, self);
    void node;
  }

  private callBase(base: Value, self: Value, args: Value[], newNode: Node): void {
    if (base.t === 'class') this.runConstructor(base, self, args, newNode);
    else if (base.t === 'ext' && self.t === 'construct') {
      // A subclass of an L2 construct (`class OrdersFunction extends NodejsFunction`): the library builds it on `self`.
      this.library.construct(base.name, args, newNode, self.c);
    }
  }

  private initializeFields(cls: ClassValue, self: Value): void {
    const declaration = cls.node as ClassDeclaration | ClassExpression;
    const scope = new Scope(cls.scope, cls.scope.file);
    scope.declare('this', self);
    scope.declare('%class', cls);
    for (const property of declaration.getProperties()) {
      const initializer = property.getInitializer();
      if (!property.isStatic() && initializer) this.setProperty(self, property.getName(), this.evaluate(initializer, scope));
    }
  }

  private newPackageClass(name: string, args: Value[], node: Node): Value {
    const modelled = this.library.construct(name, args, node);
    if (modelled) return modelled;
    if (isThirdPartyName(name)) this.reportUnknownConstruct(name, args, node);
    return { t: 'inst', name, args, node };
  }

  /** A construct from a package we cannot see into: say so when it looks like it creates functions. */
  private reportUnknownConstruct(name: string, args: Value[], node: Node): void {
    const props = args.find((arg) => arg.t === 'obj');
    const keys = props?.t === 'obj' ? [...props.props.keys()] : [];
    const functionKey = keys.find((key) => key === 'handler' || /lambdaFunctionProps$/i.test(key) || key === 'functionProps' || key === 'entry');
    if (!functionKey) return;
    const [pkg, cls] = splitPackageName(name);
    this.report(
      'cdk-unknown-construct',
      'info',
      `${cls} from ${pkg} takes \`${functionKey}\` but its source is not in the repository: the functions it creates are not in the inventory`,
      node,
      'calls to its functions stay unresolved or external; a construct package that is part of the repository (a workspace) is read',
    );
  }

  // ── diagnostics ────────────────────────────────────────────────────────────

  reportLongLoop(node: Node): void {
    this.report('cdk-unresolved', 'info', `this loop runs more than ${MAX_LOOP_ITERATIONS} times: only its first ${MAX_LOOP_ITERATIONS} iterations are read`, node);
  }

  report(code: string, severity: Severity, message: string, node: Node, hint?: string): void {
    const location = toLocation(node);
    const key = `${code}|${location.file}|${location.line}|${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ code, severity, message, file: location.file, line: location.line, ...(hint ? { hint } : {}) });
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) throw new BudgetExceeded();
  }
}

const COMPOUND_ASSIGNMENT: Partial<Record<SyntaxKind, SyntaxKind>> = {
  [SyntaxKind.PlusEqualsToken]: SyntaxKind.PlusToken,
  [SyntaxKind.MinusEqualsToken]: SyntaxKind.MinusToken,
  [SyntaxKind.AsteriskEqualsToken]: SyntaxKind.AsteriskToken,
};

/** Equality of two known primitives; undefined when either side is not known. */
function getEquality(left: Value, right: Value, loose: boolean): boolean | undefined {
  if (loose && isNullish(left) && isNullish(right)) return true;
  if (!isPrimitive(left) || !isPrimitive(right)) return undefined;
  if (left.t !== right.t) return loose && getText(left) !== undefined && getText(left) === getText(right);
  if (left.t === 'undef' || left.t === 'null') return true;
  return getText(left) === getText(right);
}

/** The module specifier of an import or export declaration, when it is a string (a damaged file may have none). */
function getSpecifierText(declaration: ImportDeclaration | ExportDeclaration): string | undefined {
  // The compiler node, not ts-morph's getter: that one throws when the specifier is not a string.
  const specifier = declaration.compilerNode.moduleSpecifier;
  return specifier && ts.isStringLiteral(specifier) ? specifier.text : undefined;
}

function isPrimitive(value: Value): boolean {
  return value.t === 'undef' || value.t === 'null' || value.t === 'num' || value.t === 'bool' || (value.t === 'str' && getText(value) !== undefined);
}

/** The names a declaration binds (`const { a, b: [c] } = ...` → a, c). */
function getBoundNames(name: Node): string[] {
  if (Node.isIdentifier(name)) return [name.getText()];
  if (Node.isObjectBindingPattern(name) || Node.isArrayBindingPattern(name)) {
    return name.getElements().flatMap((element) => (Node.isBindingElement(element) ? getBoundNames(element.getNameNode()) : []));
  }
  return [];
}

function splitPackageName(name: string): [string, string] {
  const body = name.replace(/^pkg:/, '');
  const dot = body.lastIndexOf('.');
  return dot < 0 ? [body, body] : [body.slice(0, dot), body.slice(dot + 1)];
}

/** The file (relative to the analysed folder) and line of a node. */
export function toLocation(node: Node): SourceLocation {
  return { file: node.getSourceFile().getFilePath().slice(1), line: node.getStartLineNumber() };
}
