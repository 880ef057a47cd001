/** A pasted path-style link opens its hash route (web/src/deepLink.ts). */
import { describe, expect, it } from '@jest/globals';
import { pathAsHash } from '../../../web/src/deepLink.js';

describe('web deep links', () => {
  it('turns a pasted path into its hash route', () => {
    expect(pathAsHash('/track/LT-00004-261123-ABC123', '')).toBe('#/track/LT-00004-261123-ABC123');
    expect(pathAsHash('/cases/01ABC/', '')).toBe('#/cases/01ABC');
  });
  it('leaves the home page, index.html and an address that already has a hash alone', () => {
    expect(pathAsHash('/', '')).toBeUndefined();
    expect(pathAsHash('/index.html', '')).toBeUndefined();
    expect(pathAsHash('/track/X', '#/queue')).toBeUndefined();
  });
});
