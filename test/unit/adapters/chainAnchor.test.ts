/**
 * The chain anchor's adapters (issue 9 finding 4): a head once anchored is never lost or replaced, whichever adapter
 * keeps it. S3 is mocked at the SDK boundary; the file adapter writes a temporary file.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { anchorFromSetting, FileAnchor, MemoryAnchor, S3Anchor } from '#adapters/chainAnchor.js';

const dir = mkdtempSync(join(tmpdir(), 'anchor-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const h = (c: string) => c.repeat(64);

describe('Adapter: FileAnchor and MemoryAnchor', () => {
  it.each([
    ['file', () => new FileAnchor(join(dir, 'sub', 'a.jsonl'))],
    ['memory', () => new MemoryAnchor()],
  ])('keeps every head of each chain, once, in seq order (%s)', async (_kind, make) => {
    // prepare
    const anchor = make();
    // act
    await anchor.anchor('case/A', { seq: 2, hash: h('b') });
    await anchor.anchor('case/A', { seq: 1, hash: h('a') });
    await anchor.anchor('case/A', { seq: 2, hash: h('b') });
    await anchor.anchor('case/B', { seq: 1, hash: h('c') });
    // assess
    expect(await anchor.heads('case/A')).toEqual([
      { seq: 1, hash: h('a') },
      { seq: 2, hash: h('b') },
    ]);
    expect(await anchor.heads('case/none')).toEqual([]);
  });

  it('reads heads written by another process, and skips a line cut by a crash', async () => {
    // prepare
    const path = join(dir, 'shared.jsonl');
    await new FileAnchor(path).anchor('case/A', { seq: 1, hash: h('a') });
    appendFileSync(path, '{"chain":"case/A","seq":2,"ha');
    // act
    const heads = await new FileAnchor(path).heads('case/A');
    // assess
    expect(heads).toEqual([{ seq: 1, hash: h('a') }]);
  });
});

describe('Adapter: S3Anchor (Object Lock bucket)', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => {
    s3.reset();
  });

  it('writes each head once as an empty object named by chain, seq and hash', async () => {
    // prepare
    s3.on(PutObjectCommand).resolves({});
    // act
    await new S3Anchor(new S3Client({}), 'anchors').anchor('case/A', { seq: 7, hash: h('d') });
    // assess
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'anchors',
      Key: `heads/case/A/000000007/${h('d')}`,
      Body: '',
      IfNoneMatch: '*',
    });
  });

  it('treats a head already there (412) as written', async () => {
    // prepare
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
    );
    // act / assess
    await expect(new S3Anchor(new S3Client({}), 'b').anchor('case/A', { seq: 1, hash: h('a') })).resolves.toBe(
      undefined,
    );
  });

  it('lists every version, over pages, so a delete marker or a later object hides no head', async () => {
    // prepare
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [{ Key: `heads/case/A/000000001/${h('a')}` }],
        DeleteMarkers: [{ Key: `heads/case/A/000000001/${h('a')}` }],
        IsTruncated: true,
        NextKeyMarker: 'k',
        NextVersionIdMarker: 'v',
      })
      .resolvesOnce({ Versions: [{ Key: `heads/case/A/000000002/${h('b')}` }], IsTruncated: false });
    // act
    const heads = await new S3Anchor(new S3Client({}), 'b').heads('case/A');
    // assess
    expect(heads).toEqual([
      { seq: 1, hash: h('a') },
      { seq: 2, hash: h('b') },
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand)[1]!.args[0].input).toMatchObject({
      Prefix: 'heads/case/A/',
      KeyMarker: 'k',
      VersionIdMarker: 'v',
    });
  });
});

describe('Function: anchorFromSetting', () => {
  it('fails fast, naming the variable, when CHAIN_ANCHOR is missing or malformed', () => {
    expect(() => anchorFromSetting(undefined, 'ap-southeast-1')).toThrow('Missing environment variable CHAIN_ANCHOR');
    expect(() => anchorFromSetting('ftp://x', 'ap-southeast-1')).toThrow('CHAIN_ANCHOR must be');
    expect(anchorFromSetting('s3://bucket', 'ap-southeast-1')).toBeInstanceOf(S3Anchor);
    expect(anchorFromSetting('memory', 'ap-southeast-1')).toBe(anchorFromSetting('memory', 'ap-southeast-1'));
  });
});
