/**
 * A record's own entry, never one inherited from Object.prototype: summaries are plain objects (a summary read back
 * from the cache is JSON), and analysed code may well name a variable or an export `constructor` or `toString`.
 */
export function getOwn<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
