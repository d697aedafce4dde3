import type { EntityKind } from './resource-attributes.js';

/** An inventory entity (or event rule) found in the Terraform configuration, before it has its node id. */
export interface EntityInfo {
  /** Terraform address (`module.api.aws_lambda_function.worker["email"]`); for registry modules, the module's. */
  address: string;
  /** Resource type (`aws_lambda_function`); a registry module's entity has the type of the resource it creates. */
  type: string;
  kind: EntityKind;
  /** Resource name with its instance key (`worker["email"]`); a registry module's function or queue: the module name. */
  localId: string;
  /** Module names with instance keys from the root module down to the entity's module. */
  modulePath: readonly string[];
  /** The root module's folder. */
  scope: string;
  /** The node id, once `assignIds` has run. */
  id: string;
}

/**
 * Node ids, unique in the analysis, as short as they can be:
 * 1. the resource name with its instance key: `orders`, `worker["email"]`, `shard[0]`;
 * 2. when two entities share it, each gets its module path: `payments.orders`, `workers["a"].handler`
 *    (entities of the root module keep the bare name at this level);
 * 3. when a function and another resource of the same module share a name, the function keeps it and the other
 *    gets its type: `aws_sqs_queue.orders`;
 * 4. when two root modules (folders) still share it: `<root folder>/<id>` (`envs/dev/orders`).
 * Rules count, since a rule with a schedule is a node of its own.
 */
export function assignIds(entities: EntityInfo[]): void {
  const inModule = (entity: EntityInfo) => [...entity.modulePath, entity.localId].join('.');
  const typed = (entity: EntityInfo) =>
    [...entity.modulePath, entity.kind === 'function' ? entity.localId : `${entity.type}.${entity.localId}`].join('.');
  const levels: ((entity: EntityInfo) => string)[] = [
    (entity) => entity.localId,
    inModule,
    typed,
    (entity) => withScope(entity, inModule(entity)),
    (entity) => withScope(entity, typed(entity)),
  ];
  let pending = entities;
  const taken = new Set<string>();
  for (const level of levels) {
    const counts = new Map<string, number>();
    for (const entity of pending) counts.set(level(entity), (counts.get(level(entity)) ?? 0) + 1);
    const next: EntityInfo[] = [];
    for (const entity of pending) {
      const id = level(entity);
      if (counts.get(id) === 1 && !taken.has(id)) {
        entity.id = id;
        taken.add(id);
      } else next.push(entity);
    }
    pending = next;
  }
  // The same address twice cannot happen in valid Terraform; number what is left rather than merge it.
  for (const entity of pending) {
    let n = 2;
    const base = levels[4](entity);
    while (taken.has(`${base}#${n}`)) n++;
    entity.id = `${base}#${n}`;
    taken.add(entity.id);
  }
}

function withScope(entity: EntityInfo, id: string): string {
  return entity.scope === '.' ? id : `${entity.scope}/${id}`;
}
