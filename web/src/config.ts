/**
 * The runtime's settings, read once at start from `/config.json`: the same build runs on the local stack
 * (`{"auth":{"type":"local"}}`, served by infra/local/api.ts) and on AWS (`{"auth":{"type":"cognito",...}}`, written
 * next to index.html by the CDK stack at deploy time). Nothing runtime-specific is baked into the bundle.
 */
import { parseConfig, type RuntimeConfig } from './runtimeConfig';
import { signal } from './signal';

export const config = signal<RuntimeConfig>({ auth: { type: 'local' } });

export const loadConfig = async (): Promise<RuntimeConfig> => {
  let raw: unknown;
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
    // A server without the file (an older local stack answers index.html): the local sign-in.
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) raw = await res.json();
  } catch {
    /* offline or no file: local */
  }
  const cfg = parseConfig(raw);
  config.set(cfg);
  return cfg;
};
