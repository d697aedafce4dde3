import type { ArrowFunction, ConstructorDeclaration, FunctionDeclaration, FunctionExpression, GetAccessorDeclaration, MethodDeclaration } from 'ts-morph';
import type { Value } from './values.js';

export type FunctionNode = FunctionDeclaration | FunctionExpression | ArrowFunction | MethodDeclaration | ConstructorDeclaration | GetAccessorDeclaration;

/** A binding: a value, or a lazy one (an import, read when first used so that import cycles still work). */
interface Binding {
  value?: Value;
  get?: () => Value;
}

/** Names visible at a point of the evaluated code; `this` is stored under the name `this`. */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  /** `file`: the module the scope belongs to, relative to the analysed folder. */
  constructor(
    readonly parent: Scope | undefined,
    readonly file: string,
  ) {}

  declare(name: string, value: Value): void {
    this.bindings.set(name, { value });
  }

  declareLazy(name: string, get: () => Value): void {
    this.bindings.set(name, { get });
  }

  /** The value of a name, or undefined when no scope declares it. */
  lookup(name: string): Value | undefined {
    const binding = this.find(name);
    if (!binding) return undefined;
    if (binding.value === undefined && binding.get) {
      const get = binding.get;
      binding.get = undefined;
      binding.value = get();
    }
    return binding.value;
  }

  /** Assign an existing binding (the innermost); returns false when no scope declares the name. */
  assign(name: string, value: Value): boolean {
    const binding = this.find(name);
    if (!binding) return false;
    binding.value = value;
    binding.get = undefined;
    return true;
  }

  /** The innermost binding of a name. */
  private find(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.find(name);
  }

  has(name: string): boolean {
    return this.bindings.has(name);
  }
}
