// Names derived from the code: state names, workflow names, placeholders. Never "Task 1".

/** ASL limits state names to 80 characters. */
const MAX_STATE_NAME = 80;

/** `validatePayment` → `ValidatePayment`, `orders-dev-fulfil_order` → `OrdersDevFulfilOrder`, `app/bus` → `AppBus`. */
export function toPascalCase(text: string): string {
  const words = splitWords(text);
  const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `N${pascal}`;
}

/** `placeOrder` → `place-order`: for file names and state machine names. */
export function toKebabCase(text: string): string {
  const kebab = splitWords(text)
    .map((word) => word.toLowerCase())
    .join('-');
  return kebab === '' ? 'workflow' : kebab.slice(0, 80).replace(/-+$/, '');
}

/** `validatePayment` → `validatePayment`, `fraud-check` → `fraudCheck`: for part names (exports). */
export function toCamelCase(text: string): string {
  const pascal = toPascalCase(text);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** Words of an identifier: split at non-alphanumerics and at lower→upper case changes (keeping acronyms: `OrdersDLQ`). */
function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

/**
 * Hands out names that are unique within one workflow (ASL wants state names unique in the whole machine):
 * the first request gets the base name, later ones a qualifier or a number.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** The base name when free, else `base` + `qualifier`, else numbered. */
  allocate(base: string, qualifier?: string): string {
    const candidates = [base, ...(qualifier ? [`${base}${qualifier}`] : [])].map((name) => name.slice(0, MAX_STATE_NAME));
    let name = candidates.find((candidate) => !this.taken.has(candidate));
    for (let n = 2; name === undefined; n++) {
      const suffix = String(n);
      const numbered = `${candidates[0]!.slice(0, MAX_STATE_NAME - suffix.length)}${suffix}`;
      if (!this.taken.has(numbered)) name = numbered;
    }
    this.taken.add(name);
    return name;
  }
}

const PLACEHOLDER_SUFFIX: Record<string, string> = {
  function: 'FunctionArn',
  queue: 'QueueUrl',
  topic: 'TopicArn',
  bus: 'EventBusName',
  'state-machine': 'StateMachineArn',
  workflow: 'StateMachineArn',
  external: 'Arn',
};

/**
 * The DefinitionSubstitutions key of a resource: the id in PascalCase and the kind's suffix, without repeating a
 * word the id already ends with (`OrdersQueue` → `OrdersQueueUrl`, `validatePayment` → `ValidatePaymentFunctionArn`).
 */
export function toPlaceholder(id: string, kind: string): string {
  const base = toPascalCase(id);
  const suffix = PLACEHOLDER_SUFFIX[kind] ?? 'Arn';
  const [first] = suffix.match(/^[A-Z][a-z]+/) ?? [''];
  return first !== '' && base.endsWith(first) ? `${base}${suffix.slice(first.length)}` : `${base}${suffix}`;
}
