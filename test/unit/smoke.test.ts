import { describe, expect, it } from '@jest/globals';

describe('toolchain', () => {
  it('runs TypeScript ESM tests on Node 22', () => {
    expect(typeof (Promise as unknown as { withResolvers: unknown }).withResolvers).toBe('function');
  });
});
