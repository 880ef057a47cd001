/** The bench's request-unit arithmetic (scripts/bench/units.ts): DynamoDB's billing rules, on small worked examples. */
import { describe, expect, it } from '@jest/globals';
import { renderChart } from '../../../scripts/bench/chart.js';
import { itemSize, unitsOf, valueSize } from '../../../scripts/bench/units.js';

describe('bench units: item size as DynamoDB computes it', () => {
  it('counts attribute names and values in UTF-8 bytes', () => {
    expect(itemSize({ name: { S: 'abc' } })).toBe(7);
    expect(itemSize({ tên: { S: 'Nguyễn' } })).toBe(4 + 8); // ê is 2 bytes, ễ is 3
  });
  it('sizes a number at one byte per two significant digits plus one', () => {
    expect(valueSize({ N: '123' })).toBe(3);
    expect(valueSize({ N: '7' })).toBe(2);
  });
  it('adds 3 bytes per map or list and 1 per element', () => {
    expect(valueSize({ M: { a: { S: 'x' } } })).toBe(3 + 1 + 1 + 1);
    expect(valueSize({ L: [{ BOOL: true }, { NULL: true }] })).toBe(3 + 2 + 2);
  });
});

describe('bench units: request units as AWS bills them', () => {
  it('bills a put at one write unit per KB, rounded up', () => {
    const big = { PK: { S: 'CASE#1' }, data: { S: 'x'.repeat(1500) } };
    expect(unitsOf('PutItem', { Item: big }, {})).toMatchObject({ writeRequests: 1, writeUnits: 2 });
  });
  it('bills a query on the sum of what it returns, per 4 KB, half when eventually consistent', () => {
    const items = [{ d: { S: 'x'.repeat(2500) } }, { d: { S: 'x'.repeat(2500) } }];
    expect(unitsOf('Query', {}, { Items: items })).toMatchObject({ readRequests: 1, readUnits: 1 });
    expect(unitsOf('Query', { ConsistentRead: true }, { Items: items })).toMatchObject({ readUnits: 2 });
  });
  it('counts a batch as one request on the wire and bills each item', () => {
    const put = (n: number) => ({ PutRequest: { Item: { PK: { S: `K${n}` } } } });
    const r = unitsOf('BatchWriteItem', { RequestItems: { t: [put(1), put(2), put(3)] } }, {});
    expect(r).toMatchObject({ writeRequests: 1, writeUnits: 3 });
  });
});

describe('bench chart', () => {
  it('draws one bar per time slice and three percentile lines', () => {
    const svg = renderChart(
      Array.from({ length: 40 }, (_, i) => ({ at: i + 1, latencyMs: 1000 + i * 10 })),
      'test',
      10,
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)?.length).toBe(10 + 3);
    expect(svg.match(/<polyline/g)?.length).toBe(3);
  });
});
