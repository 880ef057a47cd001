/**
 * `npm start`'s entry (`infra/local/main.ts`) as a child process on its own ports and data folder, the way the restart
 * test and the crash run (scripts/crash-run.ts) kill and start it again. Resolves once it printed that it is running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '#infra/local/stack.js';

export interface ServerProcess {
  process: ChildProcess;
  /** "Re-driven executions" as the server printed it at start. */
  redriven: number | undefined;
  /** Everything it printed so far, its exit line included. */
  output: () => string;
}

export const startServerProcess = async (opts: {
  ports: { api: number; sfn: number; ddb: number };
  dataDir: string;
  /** `LIENTHONG_CLOCK`: tests and the crash run pin it. */
  clock: string;
  /** Starting means compiling TypeScript on first use (tsx): on a loaded machine that takes a while. */
  timeoutMs?: number;
}): Promise<ServerProcess> => {
  const p = spawn(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PATH: `${join(repoRoot, 'node_modules/.bin')}:${process.env.PATH}`,
      API_PORT: String(opts.ports.api),
      SFN_PORT: String(opts.ports.sfn),
      DYNAMODB_PORT: String(opts.ports.ddb),
      LIENTHONG_DATA_DIR: opts.dataDir,
      LIENTHONG_CLOCK: opts.clock,
      LOG_LEVEL: 'ERROR',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout?.on('data', (d) => (out += d));
  p.stderr?.on('data', (d) => (out += d));
  p.once('exit', (code, signal) => (out += `\n[server exited: code ${code}, signal ${signal}]\n`));
  const until = performance.now() + (opts.timeoutMs ?? 300_000);
  while (!out.includes('Ctrl-C to stop')) {
    if (p.exitCode !== null || p.signalCode !== null || performance.now() > until) {
      throw new Error(`the server did not start; it printed:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const redriven = /Re-driven executions\s+(\d+)/.exec(out)?.[1];
  return { process: p, redriven: redriven === undefined ? undefined : Number(redriven), output: () => out };
};
