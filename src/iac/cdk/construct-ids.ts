import type { CdkConstruct } from './values.js';

/**
 * The id rule for CDK nodes: the construct id (`new Function(this, 'Handler')` → `Handler`). When another
 * entity of the app has the same id, the shortest tail of the construct path that tells them apart:
 * `OrdersStack/Handler` and `BillingStack/Handler` for two stacks, `Orders/Handler` and `Payments/Handler` for
 * two constructs of one stack. Members of third-party patterns always keep their pattern's id
 * (`Ingest/sqsQueue`). Two constructs with the same full path (CDK itself would refuse them) are duplicates:
 * the first one keeps the id, the others are reported.
 */
export function assignIds(constructs: readonly CdkConstruct[]): { ids: Map<CdkConstruct, string>; duplicates: Set<CdkConstruct> } {
  const ids = new Map<CdkConstruct, string>();
  const duplicates = new Set<CdkConstruct>();
  const firstByPath = new Map<string, CdkConstruct>();
  const unique: CdkConstruct[] = [];
  for (const c of constructs) {
    const key = getFullPath(c).join('\u0000');
    const first = firstByPath.get(key);
    if (first && first !== c) duplicates.add(c);
    else if (!first) {
      firstByPath.set(key, c);
      unique.push(c);
    }
  }
  // How many constructs share each tail of each length, computed as the lengths are needed.
  const counts = new Map<number, Map<string, number>>();
  const count = (c: CdkConstruct, length: number) => {
    let byTail = counts.get(length);
    if (!byTail) {
      byTail = new Map();
      for (const other of unique) byTail.set(getTail(other, length), (byTail.get(getTail(other, length)) ?? 0) + 1);
      counts.set(length, byTail);
    }
    return byTail.get(getTail(c, length)) ?? 0;
  };
  for (const c of unique) {
    const size = getFullPath(c).length;
    let length = Math.min(size, Math.max(1, c.minIdParts ?? 1));
    while (length < size && count(c, length) > 1) length++;
    ids.set(c, getTail(c, length));
  }
  for (const c of duplicates) {
    const first = firstByPath.get(getFullPath(c).join('\u0000'))!;
    ids.set(c, ids.get(first)!);
  }
  return { ids, duplicates };
}

/** The construct path with the app in front (only ever shown when two apps share a full path). */
function getFullPath(c: CdkConstruct): string[] {
  return [c.app ?? '', ...c.path];
}

function getTail(c: CdkConstruct, length: number): string {
  return getFullPath(c).slice(-length).join('/');
}
