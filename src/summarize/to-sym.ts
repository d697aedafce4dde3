import type { Expression, Node, ObjectExpression, PatternLike } from '@babel/types';
import type { ObjProp, Sym } from '../types/summary.js';
import type { SummaryState } from './state.js';

const UNWRAP_TYPES = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'ParenthesizedExpression',
  'AwaitExpression',
]);

const FUNCTION_TYPES = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);

/** `a.promise()`, `a.then(...)` and friends add nothing to what `a` is for our purposes. */
const PROMISE_METHODS = new Set(['promise']);

/** Strip type assertions, parentheses and `await`: they do not change which value flows. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  while (UNWRAP_TYPES.has(current.type)) {
    current = (current as { expression?: Node; argument?: Node }).expression ?? (current as { argument: Node }).argument;
  }
  return current;
}

/** The static name of a property key or member property, if it has one. */
export function getPropertyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/** Turn an expression into a symbolic value, reading bindings lazily through the current scope. */
export function toSym(node: Node | null | undefined, state: SummaryState, depth = 0): Sym {
  if (!node) return { k: 'nil' };
  if (depth > state.maxSymDepth) return { k: 'unknown', text: state.textOf(node, 40) };
  const next = depth + 1;
  const n = unwrapExpression(node);
  switch (n.type) {
    case 'StringLiteral':
      return { k: 'str', v: n.value };
    case 'NumericLiteral':
      return { k: 'num', v: n.value };
    case 'BooleanLiteral':
      return { k: 'bool', v: n.value };
    case 'NullLiteral':
      return { k: 'nil' };
    case 'TemplateLiteral': {
      const parts: Sym[] = [];
      n.quasis.forEach((quasi, i) => {
        if (quasi.value.cooked) parts.push({ k: 'str', v: quasi.value.cooked });
        const expression = n.expressions[i];
        if (expression) parts.push(toSym(expression, state, next));
      });
      return parts.length === 1 && parts[0].k === 'str' ? parts[0] : { k: 'cat', parts };
    }
    case 'BinaryExpression':
      if (n.operator === '+') return concat(toSym(n.left, state, next), toSym(n.right, state, next));
      return { k: 'unknown', text: state.textOf(n) };
    case 'Identifier':
      if (n.name === 'undefined') return { k: 'nil' };
      return { k: 'ref', name: n.name, scope: state.scope };
    case 'ThisExpression':
      return { k: 'ref', name: 'this', scope: state.scope };
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const prop = getPropertyName(n.property, n.computed);
      if (prop === undefined) return { k: 'unknown', text: state.textOf(n) };
      return toMember(toSym(n.object, state, next), prop);
    }
    case 'CallExpression':
    case 'OptionalCallExpression':
      return toCallSym(n, state, next);
    case 'NewExpression':
      return {
        k: 'new',
        callee: toSym(n.callee, state, next),
        args: n.arguments.map((arg) => toSym(arg, state, next)),
      };
    case 'ObjectExpression':
      return toObjectSym(n, state, next);
    case 'ArrayExpression':
      return {
        k: 'arr',
        items: n.elements.slice(0, 50).map((element) => (element ? toSym(element, state, next) : { k: 'nil' })),
      };
    case 'ConditionalExpression':
      return or([toSym(n.consequent, state, next), toSym(n.alternate, state, next)]);
    case 'LogicalExpression':
      if (n.operator === '&&') return toSym(n.right, state, next);
      return or([toSym(n.left, state, next), toSym(n.right, state, next)]);
    case 'SequenceExpression':
      return toSym(n.expressions[n.expressions.length - 1], state, next);
    case 'AssignmentExpression':
      return toSym(n.right, state, next);
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return { k: 'fn', id: state.getFunctionId(n) };
    case 'ClassExpression':
      return getClassSym(n, state);
    default:
      return { k: 'unknown', text: state.textOf(n, 40) };
  }
}

function toCallSym(n: Node & { callee: Node; arguments: Node[] }, state: SummaryState, next: number): Sym {
  const callee = n.callee;
  // require('x') is the module object of x.
  if (callee.type === 'Identifier' && callee.name === 'require' && n.arguments[0]?.type === 'StringLiteral') {
    return { k: 'import', source: n.arguments[0].value, name: '*' };
  }
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed) {
    const method = getPropertyName(callee.property, false);
    if (method && PROMISE_METHODS.has(method)) return toSym(callee.object, state, next);
  }
  // `String(x)` and `` `${x}` `` carry the same value for our purposes.
  if (callee.type === 'Identifier' && callee.name === 'String' && n.arguments.length === 1) {
    return toSym(n.arguments[0], state, next);
  }
  return {
    k: 'call',
    callee: toSym(callee, state, next),
    args: n.arguments.slice(0, 8).map((arg) => toSym(arg, state, next)),
  };
}

function toObjectSym(n: ObjectExpression, state: SummaryState, next: number): Sym {
  const props: ObjProp[] = [];
  const spreads: Sym[] = [];
  for (const property of n.properties.slice(0, 60)) {
    if (property.type === 'SpreadElement') {
      spreads.push(toSym(property.argument, state, next));
      continue;
    }
    const key = getPropertyName(property.key, property.computed);
    if (key === undefined) continue;
    if (property.type === 'ObjectMethod') {
      props.push({ key, value: { k: 'fn', id: state.getFunctionId(property) } });
    } else {
      const value = property.value as Node;
      const sym = toSym(value, state, next);
      props.push(state.textKeys.has(key) ? { key, value: sym, t: state.textOf(value) } : { key, value: sym });
    }
  }
  return spreads.length ? { k: 'obj', props, spreads } : { k: 'obj', props };
}

/** Member access, folding the forms of `process.env.X` into one `env` value. */
export function toMember(obj: Sym, prop: string): Sym {
  if (obj.k === 'get' && obj.prop === 'env' && obj.obj.k === 'ref' && obj.obj.name === 'process') {
    return prop === 'AWS_LAMBDA_FUNCTION_NAME' ? { k: 'self' } : { k: 'env', name: prop };
  }
  return { k: 'get', obj, prop };
}

export function concat(left: Sym, right: Sym): Sym {
  const parts = [...(left.k === 'cat' ? left.parts : [left]), ...(right.k === 'cat' ? right.parts : [right])];
  return { k: 'cat', parts };
}

export function or(options: Sym[]): Sym {
  const flat = options.flatMap((option) => (option.k === 'or' ? option.options : [option]));
  return flat.length === 1 ? flat[0] : { k: 'or', options: flat.slice(0, 8) };
}

/** Adds the Syms directly inside a Sym to `out` (the parts of a concatenation, a call's callee and arguments...). */
export function pushSymChildren(sym: Sym, out: Sym[]): void {
  switch (sym.k) {
    case 'cat':
      out.push(...sym.parts);
      return;
    case 'get':
      out.push(sym.obj);
      return;
    case 'obj':
      for (const prop of sym.props) out.push(prop.value);
      if (sym.spreads) out.push(...sym.spreads);
      return;
    case 'arr':
      out.push(...sym.items);
      return;
    case 'call':
    case 'new':
      out.push(sym.callee, ...sym.args);
      return;
    case 'or':
      out.push(...sym.options);
      return;
    case 'elem':
      out.push(sym.of);
      return;
    default:
      return;
  }
}

export function isFunctionNode(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type) || node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod';
}

/**
 * Declare the names of a binding pattern (`{ a, b: c = 1 }`, `[x]`, `...rest`) with the parts of `value` they
 * receive. Returns the names declared.
 */
export function bindPattern(
  pattern: PatternLike | Expression | Node,
  value: Sym,
  declare: (name: string, value: Sym) => void,
  state: SummaryState,
): void {
  switch (pattern.type) {
    case 'Identifier':
      declare(pattern.name, value);
      return;
    case 'AssignmentPattern':
      bindPattern(pattern.left, { k: 'or', options: [value, toSym(pattern.right, state)], defaulted: true }, declare, state);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        if (property.type === 'RestElement') {
          bindPattern(property.argument, value, declare, state);
          continue;
        }
        const key = getPropertyName(property.key, property.computed);
        const part = key === undefined ? ({ k: 'unknown', text: state.textOf(property) } as Sym) : toMember(value, key);
        bindPattern(property.value as Node, part, declare, state);
      }
      return;
    case 'ArrayPattern':
      pattern.elements.forEach((element, i) => {
        if (element) bindPattern(element, toMember(value, String(i)), declare, state);
      });
      return;
    case 'RestElement':
      bindPattern(pattern.argument, value, declare, state);
      return;
    case 'TSParameterProperty':
      bindPattern(pattern.parameter, value, declare, state);
      return;
    default:
      return;
  }
}

/** A class as an object of its methods and fields; `this.x = y` in the constructor adds fields as the walk meets them. */
export function getClassSym(node: Node & { body: { body: Node[] } }, state: SummaryState): Sym & { k: 'obj' } {
  const cached = state.classSyms.get(node);
  if (cached) return cached;
  const sym: Sym & { k: 'obj' } = { k: 'obj', props: [] };
  state.classSyms.set(node, sym);
  for (const member of node.body.body) {
    if ((member.type === 'ClassMethod' || member.type === 'ClassPrivateMethod') && member.kind !== 'get' && member.kind !== 'set') {
      const key = getPropertyName(member.key, Boolean((member as { computed?: boolean }).computed));
      if (key === undefined) continue;
      const fnId = state.getFunctionId(member);
      sym.props.push({ key, value: { k: 'fn', id: fnId } });
      if (member.kind === 'constructor') {
        // `constructor(private readonly lambda: LambdaClient)` declares the field `lambda`.
        member.params.forEach((param, index) => {
          if (param.type === 'TSParameterProperty') {
            sym.props.push({ key: getParamName(param.parameter), value: { k: 'param', fn: fnId, index } });
          }
        });
      }
    } else if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && member.value) {
      const key = getPropertyName(member.key, Boolean((member as { computed?: boolean }).computed));
      if (key !== undefined) sym.props.push({ key, value: toSym(member.value, state) });
    }
  }
  return sym;
}


export function getParamName(param: Node): string {
  switch (param.type) {
    case 'Identifier':
      return param.name;
    case 'AssignmentPattern':
      return getParamName(param.left);
    case 'RestElement':
      return `...${getParamName(param.argument)}`;
    case 'TSParameterProperty':
      return getParamName(param.parameter);
    case 'ObjectPattern':
      return '{…}';
    case 'ArrayPattern':
      return '[…]';
    default:
      return '?';
  }
}

