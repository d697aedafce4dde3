import type { AwsService, NodeKind } from '../types/graph.js';
import type { IacValue, Inventory } from '../types/inventory.js';
import type { BoundPart, BoundPattern } from './bind-environment.js';
import { WILD, canMatch, isPlain, showPattern, toNamedToken } from './glob.js';

/** The inventory kind each service's calls target. */
export const SERVICE_KIND: Record<AwsService, NodeKind> = {
  lambda: 'function',
  sqs: 'queue',
  sns: 'topic',
  eventbridge: 'bus',
  sfn: 'state-machine',
};

/** The default EventBridge bus: a node of its own, since rules and `PutEvents` without a bus name meet on it. */
export const DEFAULT_BUS_ID = 'default';

/** Generated names start with the stack name: the same unknown that `!Sub '${AWS::StackName}-x'` names hold. */
const STACK_NAME = toNamedToken('${AWS::StackName}');

interface Entity {
  /** Position in the inventory: candidates are listed in this order. */
  order: number;
  id: string;
  kind: NodeKind;
  /** Deployed name as far as known: named unknowns for IaC values we cannot evaluate, `WILD` for generated parts. */
  name: string;
  /** No name in the IaC: the deployment tool generates it (`<stack>-<logicalId>-<suffix>`). */
  generated: boolean;
}

export type MatchResult =
  | { ok: true; targets: string[]; dynamic: boolean; fromRef: boolean }
  | { ok: true; external: string }
  | { ok: false; reason: string };

/** Inventory entities by kind, with their deployed names as patterns. */
export class TargetIndex {
  private readonly byKind = new Map<NodeKind, Entity[]>();
  /** Entities whose name is plain text, by kind and name: a plain target finds them without scanning every entity. */
  private readonly plainByKind = new Map<NodeKind, Map<string, Entity[]>>();
  /** Entities whose name has unknown parts: these are matched one by one. */
  private readonly patternsByKind = new Map<NodeKind, Entity[]>();
  private readonly kindById = new Map<string, NodeKind>();

  constructor(inventory: Inventory) {
    let order = 0;
    const add = (kind: NodeKind, id: string, name: IacValue | undefined, generated: boolean) => {
      const isGenerated = !name && generated;
      const entity = { order: order++, id, kind, name: name ? toNamePattern(name) : isGenerated ? `${STACK_NAME}-${id}-${WILD}` : id, generated: isGenerated };
      push(this.byKind, kind, entity);
      if (isPlain(entity.name)) {
        const plain = this.plainByKind.get(kind) ?? new Map<string, Entity[]>();
        push(plain, entity.name, entity);
        this.plainByKind.set(kind, plain);
      } else {
        push(this.patternsByKind, kind, entity);
      }
      this.kindById.set(id, kind);
    };
    // Without an explicit name, CloudFormation and CDK name resources `<stack>-<logicalId>-<suffix>`.
    for (const f of inventory.functions) add('function', f.id, f.name, f.format !== 'serverless');
    for (const q of inventory.queues) add('queue', q.id, q.name, true);
    for (const t of inventory.topics) add('topic', t.id, t.name, true);
    for (const b of inventory.buses) add('bus', b.id, b.name, true);
    for (const m of inventory.stateMachines) add('state-machine', m.id, m.name, true);
    add('bus', DEFAULT_BUS_ID, { kind: 'literal', value: 'default' }, false);
  }

  getKind(id: string): NodeKind | undefined {
    return this.kindById.get(id);
  }

  /** Match a target (environment already bound) to the entities of `service` it can name. */
  match(pattern: BoundPattern, service: AwsService, self: string): MatchResult {
    const kind = SERVICE_KIND[service];
    const refs = pattern.parts.filter((part): part is BoundPart & { t: 'ref' } => part.t === 'ref');
    if (refs.length > 0) {
      // `QUEUE_URL: !Ref OrdersQueue`: the IaC says which resource it is.
      const targets = refs.map((ref) => ref.target).filter((id) => this.kindById.get(id) === kind);
      if (targets.length > 0) return { ok: true, targets: [...new Set(targets)], dynamic: false, fromRef: true };
      const other = refs[0].target;
      const otherKind = this.kindById.get(other);
      return {
        ok: false,
        reason: otherKind
          ? `it refers to ${other}, which is a ${otherKind}, not a ${kind}`
          : `it refers to ${other}, which is not a ${kind} declared in the IaC`,
      };
    }
    if (pattern.parts.some((part) => part.t === 'self')) {
      if (service === 'lambda' && pattern.parts.length === 1) return { ok: true, targets: [self], dynamic: false, fromRef: false };
      return { ok: false, reason: 'it is built from the function’s own name' };
    }
    const text = pattern.parts.map((part) => (part.t === 'lit' ? part.v : part.t === 'named' ? toNamedToken(part.text) : WILD)).join('');
    const name = extractName(text, service);
    if (![...name].some((char) => char !== WILD && !'-_:/.'.includes(char))) {
      const wild = pattern.parts.find((part) => part.t === 'wild');
      return { ok: false, reason: `the target depends on ${wild && wild.t === 'wild' ? wild.why : 'a value only known at run time'}` };
    }
    const dynamic = name.includes(WILD);
    // A generated name is only ever matched by a complete name: a partly dynamic one would match anything.
    const candidates = this.getCandidates(kind, name).filter(
      (entity) => entity.name.replaceAll(WILD, '') !== '' && !(dynamic && entity.generated) && canMatch(name, entity.name),
    );
    if (candidates.length === 0) {
      if (!dynamic) return { ok: true, external: name };
      return { ok: false, reason: `'${showPattern(name)}' matches no ${kind} in the IaC` };
    }
    if (dynamic && candidates.length > 12) {
      return { ok: false, reason: `'${showPattern(name)}' matches ${candidates.length} ${kind}s; too unspecific to draw` };
    }
    return { ok: true, targets: candidates.map((entity) => entity.id), dynamic, fromRef: false };
  }

  /** The entities a name may match, in inventory order: for plain text, those of that name and those with unknown parts. */
  private getCandidates(kind: NodeKind, name: string): Entity[] {
    if (!isPlain(name)) return this.byKind.get(kind) ?? [];
    const exact = this.plainByKind.get(kind)?.get(name) ?? [];
    const patterns = this.patternsByKind.get(kind) ?? [];
    if (patterns.length === 0) return exact;
    return [...exact, ...patterns].sort((a, b) => a.order - b.order);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toNamePattern(value: IacValue): string {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'join':
      return value.parts.map(toNamePattern).join('');
    case 'unknown':
      return toNamedToken(value.text);
    case 'ref':
      return toNamedToken(`${value.target}.${value.attribute}`);
  }
}

/**
 * The resource name inside a target string: a function name inside its ARN or `name:alias`, a queue name at the
 * end of its URL or ARN, a topic, bus or state machine name at the end of its ARN.
 */
export function extractName(text: string, service: AwsService): string {
  switch (service) {
    case 'lambda': {
      const arn = /function:([^:]+)/.exec(text);
      if (arn) return arn[1];
      if (!text.startsWith('arn:') && text.includes(':')) return text.slice(0, text.indexOf(':'));
      return text;
    }
    case 'sqs':
      if (text.includes('/')) return text.slice(text.lastIndexOf('/') + 1);
      if (text.startsWith('arn:')) return text.slice(text.lastIndexOf(':') + 1);
      return text;
    case 'sns':
      return text.startsWith('arn:') ? text.slice(text.lastIndexOf(':') + 1) : text;
    case 'eventbridge': {
      const arn = /event-bus\/(.+)$/.exec(text);
      return arn ? arn[1] : text;
    }
    case 'sfn': {
      const arn = /(?:stateMachine|execution):([^:]+)/.exec(text);
      return arn ? arn[1] : text;
    }
  }
}
