/**
 * DynamoDB request units as AWS bills them (on-demand), computed from the wire: the bench sees every request and
 * response of the embedded DynamoDB and sizes the items the way DynamoDB does.
 *
 * - Item size: the UTF-8 length of every attribute name plus its value: a string its UTF-8 bytes, a number about
 *   1 byte per 2 significant digits + 1, binary its bytes, a boolean or null 1 byte, a list or map 3 bytes plus its
 *   elements (+1 byte each), a set its elements.
 * - Requests: one per call on the wire (a batch is one request: what the store must serve).
 * - Write request units: 1 per 1 KB of the item written, rounded up (PutItem: the new item; UpdateItem and DeleteItem:
 *   the larger of before and after; from the wire the bench sees the request's values only, so an update is counted
 *   at the size of what it sets, at least 1 unit); BatchWriteItem: each item on its own; transactions twice.
 * - Read request units: strongly consistent 1 per 4 KB, eventually consistent half; a Query or Scan sums the sizes
 *   of the items it returns before rounding up, a GetItem rounds its one item.
 */
type AttributeValue = Record<string, unknown>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

export const valueSize = (v: AttributeValue): number => {
  const [type, val] = Object.entries(v)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(val));
    case 'N': {
      const digits =
        String(val)
          .replace(/^[-+]?0*/, '')
          .replace(/[.eE].*$/, '').length || 1;
      return Math.ceil(digits / 2) + 1;
    }
    case 'B':
      return Buffer.from(String(val), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (val as string[]).reduce((n, s) => n + utf8(s), 0);
    case 'NS':
      return (val as string[]).reduce((n, s) => n + valueSize({ N: s }), 0);
    case 'BS':
      return (val as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    case 'L':
      return 3 + (val as AttributeValue[]).reduce((n, x) => n + 1 + valueSize(x), 0);
    case 'M':
      return (
        3 +
        Object.entries(val as Record<string, AttributeValue>).reduce((n, [k, x]) => n + 1 + utf8(k) + valueSize(x), 0)
      );
    default:
      return 0;
  }
};

export const itemSize = (item: Record<string, AttributeValue> | undefined): number =>
  item ? Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + valueSize(v), 0) : 0;

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) => {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
};

export interface UnitCount {
  writeRequests: number;
  readRequests: number;
  writeUnits: number;
  readUnits: number;
}

export const emptyCount = (): UnitCount => ({ writeRequests: 0, readRequests: 0, writeUnits: 0, readUnits: 0 });

/** Units of one request, from its operation, its request body and its response body. */
export const unitsOf = (op: string, request: Record<string, unknown>, response: Record<string, unknown>): UnitCount => {
  const c = emptyCount();
  switch (op) {
    case 'PutItem':
      c.writeRequests = 1;
      c.writeUnits = writeUnits(itemSize(request.Item as Record<string, AttributeValue>));
      break;
    case 'UpdateItem': {
      c.writeRequests = 1;
      const values = (request.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
      const key = (request.Key ?? {}) as Record<string, AttributeValue>;
      c.writeUnits = writeUnits(itemSize(key) + Object.values(values).reduce((n, v) => n + valueSize(v), 0));
      break;
    }
    case 'DeleteItem':
      c.writeRequests = 1;
      c.writeUnits = 1;
      break;
    case 'BatchWriteItem':
      // One request on the wire (what the store must serve), each item billed on its own.
      c.writeRequests = 1;
      for (const reqs of Object.values((request.RequestItems ?? {}) as Record<string, Record<string, unknown>[]>)) {
        for (const r of reqs) {
          const put = r.PutRequest as { Item: Record<string, AttributeValue> } | undefined;
          c.writeUnits += put ? writeUnits(itemSize(put.Item)) : 1;
        }
      }
      break;
    case 'TransactWriteItems':
      c.writeRequests = 1;
      for (const r of (request.TransactItems ?? []) as Record<string, { Item?: Record<string, AttributeValue> }>[]) {
        const put = r.Put;
        c.writeUnits += 2 * (put?.Item ? writeUnits(itemSize(put.Item)) : 1);
      }
      break;
    case 'GetItem':
      c.readRequests = 1;
      c.readUnits = readUnits(
        itemSize(response.Item as Record<string, AttributeValue>),
        request.ConsistentRead === true,
      );
      break;
    case 'Query':
    case 'Scan': {
      c.readRequests = 1;
      const items = (response.Items ?? []) as Record<string, AttributeValue>[];
      c.readUnits = readUnits(
        items.reduce((n, i) => n + itemSize(i), 0),
        request.ConsistentRead === true,
      );
      break;
    }
    case 'BatchGetItem':
      c.readRequests = 1;
      for (const [table, items] of Object.entries(
        (response.Responses ?? {}) as Record<string, Record<string, AttributeValue>[]>,
      )) {
        const consistent =
          ((request.RequestItems as Record<string, { ConsistentRead?: boolean }>)?.[table]?.ConsistentRead ?? false) ===
          true;
        for (const i of items) {
          c.readUnits += readUnits(itemSize(i), consistent);
        }
      }
      break;
    default:
      break;
  }
  return c;
};

export const addCounts = (a: UnitCount, b: UnitCount): UnitCount => ({
  writeRequests: a.writeRequests + b.writeRequests,
  readRequests: a.readRequests + b.readRequests,
  writeUnits: a.writeUnits + b.writeUnits,
  readUnits: a.readUnits + b.readUnits,
});

/**
 * List prices used for the cost of one case, in USD: AWS's public us-east-1 prices as the project last knew them
 * (DynamoDB on demand after its November 2024 price cut); other regions, ap-southeast-1 included, cost somewhat more.
 * Not fetched at run time: edit them here when AWS changes them. DynamoDB on demand per million write / read
 * request units, Step Functions Standard per thousand state transitions, Lambda arm64 per GB-second and per million
 * requests.
 */
export const PRICES = {
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  stepFunctionsPerThousandTransitions: 0.025,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
} as const;
