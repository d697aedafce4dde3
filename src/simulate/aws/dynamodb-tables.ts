import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { applyUpdate, evaluateCondition, type Item } from './dynamodb-expressions.js';

/** A write as the simulation records it: one per item written (a transaction gives one per part). */
export interface TableWrite {
  action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: string;
  params: Record<string, unknown>;
}

/** Low-level (AttributeValue) operation names and their document-client twins. */
const DOCUMENT_NAMES: Record<string, string> = {
  PutItem: 'Put',
  GetItem: 'Get',
  UpdateItem: 'Update',
  DeleteItem: 'Delete',
  BatchGetItem: 'BatchGet',
  BatchWriteItem: 'BatchWrite',
  TransactWriteItems: 'TransactWrite',
  TransactGetItems: 'TransactGet',
  Query: 'Query',
  Scan: 'Scan',
};

type Params = Record<string, unknown>;

/**
 * In-memory DynamoDB tables for a simulation. Items are kept per table name; keys are the attributes that calls
 * pass as `Key` (the key schema is learnt from them). Condition expressions are NOT evaluated: every write
 * succeeds, so that a chain runs its happy path on empty tables (`--fail` exercises the failure paths).
 */
export class FakeTables {
  private readonly tables = new Map<string, Item[]>();
  private readonly keyNames = new Map<string, Set<string>>();
  readonly writes: TableWrite[] = [];

  /** `low`: the call came from the low-level client (AttributeValue maps), its answer is marshalled back. */
  handle(operation: string, input: Params, low: boolean): Params {
    const name = low ? DOCUMENT_NAMES[operation] : operation;
    if (!name) throw Object.assign(new Error(`DynamoDB ${operation} is not simulated`), { name: 'UnknownOperationException' });
    const params = low ? (unmarshallDeep(input) as Params) : input;
    const output = this.handleDocument(name, params);
    return low ? (marshallOutput(output) as Params) : output;
  }

  private handleDocument(operation: string, params: Params): Params {
    const table = params.TableName as string;
    const context = { names: params.ExpressionAttributeNames as Record<string, string> | undefined, values: params.ExpressionAttributeValues as Record<string, unknown> | undefined };
    switch (operation) {
      case 'Put':
        this.record('Put', table, params);
        return this.put(table, params.Item as Item);
      case 'Get': {
        const item = this.find(table, params.Key as Item);
        return item ? { Item: structuredClone(item) } : {};
      }
      case 'Update': {
        this.record('Update', table, params);
        const key = params.Key as Item;
        const before = this.find(table, key) ?? { ...key };
        const after = applyUpdate(params.UpdateExpression as string, before, context);
        this.put(table, after);
        return params.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(after) } : params.ReturnValues === 'ALL_OLD' ? { Attributes: structuredClone(before) } : {};
      }
      case 'Delete': {
        this.record('Delete', table, params);
        const key = params.Key as Item;
        const item = this.find(table, key);
        this.tables.set(table, this.getTable(table).filter((entry) => entry !== item));
        return params.ReturnValues === 'ALL_OLD' && item ? { Attributes: item } : {};
      }
      case 'Query':
      case 'Scan': {
        let items = this.getTable(table).filter((item) => evaluateCondition(params.KeyConditionExpression as string | undefined, item, context) && evaluateCondition(params.FilterExpression as string | undefined, item, context));
        if (typeof params.Limit === 'number') items = items.slice(0, params.Limit);
        return { Items: structuredClone(items), Count: items.length, ScannedCount: items.length };
      }
      case 'BatchGet': {
        const responses: Record<string, Item[]> = {};
        for (const [name, request] of Object.entries((params.RequestItems ?? {}) as Record<string, { Keys: Item[] }>)) {
          responses[name] = request.Keys.map((key) => this.find(name, key)).filter((item): item is Item => item !== undefined);
        }
        return { Responses: structuredClone(responses), UnprocessedKeys: {} };
      }
      case 'BatchWrite':
        for (const [name, requests] of Object.entries((params.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>)) {
          for (const request of requests) {
            if (request.PutRequest) this.handleDocument('Put', { TableName: name, Item: request.PutRequest.Item });
            if (request.DeleteRequest) this.handleDocument('Delete', { TableName: name, Key: request.DeleteRequest.Key });
          }
        }
        return { UnprocessedItems: {} };
      case 'TransactWrite':
        for (const part of (params.TransactItems ?? []) as Record<string, Params>[]) {
          const [kind, request] = Object.entries(part)[0] ?? [];
          if (kind === 'ConditionCheck') this.record('ConditionCheck', request!.TableName as string, request!);
          else if (kind && request) this.handleDocument(kind, request);
        }
        return {};
      case 'TransactGet':
        return { Responses: ((params.TransactItems ?? []) as { Get: Params }[]).map(({ Get }) => ({ Item: this.find(Get.TableName as string, Get.Key as Item) })) };
      default:
        throw Object.assign(new Error(`DynamoDB ${operation} is not simulated`), { name: 'UnknownOperationException' });
    }
  }

  private record(action: TableWrite['action'], table: string, params: Params): void {
    const { TableName: _table, ReturnValues: _values, ReturnConsumedCapacity: _capacity, ...rest } = params;
    this.writes.push({ action, table, params: rest });
    if (params.Key && typeof params.Key === 'object') this.learnKey(table, Object.keys(params.Key));
  }

  private getTable(table: string): Item[] {
    let items = this.tables.get(table);
    if (!items) {
      items = [];
      this.tables.set(table, items);
    }
    return items;
  }

  private learnKey(table: string, names: string[]): void {
    const known = this.keyNames.get(table) ?? new Set<string>();
    for (const name of names) known.add(name);
    this.keyNames.set(table, known);
  }

  private find(table: string, key: Item): Item | undefined {
    this.learnKey(table, Object.keys(key));
    return this.getTable(table).find((item) => Object.entries(key).every(([name, value]) => JSON.stringify(item[name]) === JSON.stringify(value)));
  }

  private put(table: string, item: Item): Params {
    const keyNames = [...(this.keyNames.get(table) ?? [])].filter((name) => name in item);
    const items = this.getTable(table);
    const index = keyNames.length > 0 ? items.findIndex((entry) => keyNames.every((name) => JSON.stringify(entry[name]) === JSON.stringify(item[name]))) : -1;
    const stored = structuredClone(stripUndefined(item));
    if (index >= 0) items[index] = stored;
    else items.push(stored);
    return {};
  }
}

function stripUndefined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/** AttributeValue maps (`Item`, `Key`, `ExpressionAttributeValues`, nested in requests) to plain values. */
function unmarshallDeep(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((entry) => unmarshallDeep(entry, key));
  if (value === null || typeof value !== 'object') return value;
  if (key === 'Item' || key === 'Key' || key === 'ExpressionAttributeValues') return unmarshall(value as Record<string, AttributeValue>);
  if (key === 'Keys' && Array.isArray(value)) return value.map((entry) => unmarshall(entry as Record<string, AttributeValue>));
  return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, name === 'Keys' && Array.isArray(entry) ? entry.map((k) => unmarshall(k as Record<string, AttributeValue>)) : unmarshallDeep(entry, name)]));
}

/** Answers of the document operations back in AttributeValue form. */
function toAttributes(item: unknown): Record<string, AttributeValue> {
  return marshall(item as Record<string, NativeAttributeValue>, { removeUndefinedValues: true });
}

function marshallOutput(output: Params): Params {
  const result: Params = { ...output };
  if (output.Item) result.Item = toAttributes(output.Item);
  if (output.Attributes) result.Attributes = toAttributes(output.Attributes);
  if (Array.isArray(output.Items)) result.Items = output.Items.map(toAttributes);
  if (Array.isArray(output.Responses)) result.Responses = output.Responses.map((entry: { Item?: unknown }) => (entry.Item ? { Item: toAttributes(entry.Item) } : {}));
  else if (output.Responses && typeof output.Responses === 'object') result.Responses = Object.fromEntries(Object.entries(output.Responses).map(([name, items]) => [name, (items as unknown[]).map(toAttributes)]));
  return result;
}
