/**
 * `npm start`: the whole system on this machine, no AWS account. Ports and paths come from the environment:
 *   LIENTHONG_HOST (127.0.0.1), API_PORT (3000), SFN_PORT (8083), DYNAMODB_PORT (8000), LIENTHONG_DATA_DIR (.data),
 *   LIENTHONG_CLOCK (`fixed:<ISO>` or `from:<ISO>`: run as if it were that moment).
 */
import { resolve } from 'node:path';
import { DEMO_PASSWORD, demoUsers } from './auth.js';
import { repoRoot, startLocalStack } from './stack.js';

const env = process.env;
const port = (name: string, fallback: number) => {
  const v = Number(env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} must be a port number, got "${env[name]}"`);
  return v;
};

const stack = await startLocalStack({
  host: env.LIENTHONG_HOST ?? '127.0.0.1',
  apiPort: port('API_PORT', 3000),
  sfnPort: port('SFN_PORT', 8083),
  dynamoPort: port('DYNAMODB_PORT', 8000),
  dataDir: resolve(repoRoot, env.LIENTHONG_DATA_DIR ?? '.data'),
  ...(env.LIENTHONG_CLOCK ? { clock: env.LIENTHONG_CLOCK } : {}),
});

const officer = demoUsers[0]!;
console.log(`
Liên thông đang chạy · Lienthong is running
  Web app / Ứng dụng web     ${stack.apiUrl}/
  HTTP API                   ${stack.apiUrl}   (GET ${stack.apiUrl}/health)
  Step Functions endpoint    ${stack.sfnUrl}   (aws stepfunctions ... --endpoint-url ${stack.sfnUrl})
  DynamoDB endpoint          ${stack.dynamoUrl}   (aws dynamodb scan --table-name ${stack.tableName} --endpoint-url ${stack.dynamoUrl})
  Outbox (SMS, e-mail)       ${stack.apiUrl}/local/outbox
  Data                       ${resolve(repoRoot, env.LIENTHONG_DATA_DIR ?? '.data')}${env.LIENTHONG_CLOCK ? `\n  Clock                      ${env.LIENTHONG_CLOCK}` : ''}
  Re-driven executions       ${stack.redriven.length}

Demo users (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => `${u.username} (${u.role} ${u.unit || '*'})`).join(', ')}
Get a token:
  curl -s -X POST ${stack.apiUrl}/local/token -H 'content-type: application/json' -d '{"username":"${officer.username}","password":"${DEMO_PASSWORD}"}'
Ctrl-C to stop.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping… (waiting cases resume on the next start)`);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
