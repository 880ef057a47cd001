/** outbox.localOnly: the local outbox (families' phones and e-mails) answers only this machine's own browser. */
import { describe, expect, it } from '@jest/globals';
import { isLoopback } from '#infra/local/outboxPage.js';

describe('outbox.localOnly', () => {
  it('accepts loopback addresses, IPv4, IPv6 and IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect({ a, ok: isLoopback(a) }).toEqual({ a, ok: true });
  });
  it('refuses any other address (another machine of the office network)', () => {
    for (const a of ['192.168.1.20', '10.0.0.5', '::ffff:192.168.1.20', 'fe80::1', undefined]) {
      expect({ a, ok: isLoopback(a) }).toEqual({ a, ok: false });
    }
  });
});
