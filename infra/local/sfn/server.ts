/**
 * The local engine behind the Step Functions wire protocol (AWS JSON 1.0), so `@aws-sdk/client-sfn` and the AWS CLI
 * talk to it unchanged: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`, dates as epoch seconds, errors as
 * HTTP 400 `{"__type": "<code>", "message": "..."}`. Signatures are not checked (any credentials work).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalStepFunctions } from './engine.js';
import { StepFunctionsError } from './errors.js';

export interface SfnServer {
  url: string;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Operation = (engine: LocalStepFunctions, body: Body) => unknown;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const optStr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const optNum = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const routing = (value: unknown) =>
  Array.isArray(value)
    ? value.map((r: { stateMachineVersionArn?: unknown; weight?: unknown }) => ({
        stateMachineVersionArn: str(r?.stateMachineVersionArn),
        weight: typeof r?.weight === 'number' ? r.weight : Number.NaN,
      }))
    : undefined;

const operations: Record<string, Operation> = {
  ListStateMachines: (e, b) =>
    e.listStateMachines({ maxResults: optNum(b.maxResults), nextToken: optStr(b.nextToken) }),
  DescribeStateMachine: (e, b) => e.describeStateMachine({ stateMachineArn: str(b.stateMachineArn) }),
  StartExecution: (e, b) =>
    e.startExecution({ stateMachineArn: str(b.stateMachineArn), name: optStr(b.name), input: optStr(b.input) }),
  DescribeExecution: (e, b) => e.describeExecution({ executionArn: str(b.executionArn) }),
  ListExecutions: (e, b) =>
    e.listExecutions({
      stateMachineArn: str(b.stateMachineArn),
      statusFilter: optStr(b.statusFilter) as Parameters<LocalStepFunctions['listExecutions']>[0]['statusFilter'],
      maxResults: optNum(b.maxResults),
      nextToken: optStr(b.nextToken),
    }),
  GetExecutionHistory: (e, b) =>
    e.getExecutionHistory({
      executionArn: str(b.executionArn),
      reverseOrder: b.reverseOrder === true,
      maxResults: optNum(b.maxResults),
      nextToken: optStr(b.nextToken),
      includeExecutionData: b.includeExecutionData === false ? false : undefined,
    }),
  StopExecution: (e, b) =>
    e.stopExecution({ executionArn: str(b.executionArn), error: optStr(b.error), cause: optStr(b.cause) }),
  SendTaskSuccess: (e, b) => e.sendTaskSuccess({ taskToken: str(b.taskToken), output: str(b.output) }),
  SendTaskFailure: (e, b) =>
    e.sendTaskFailure({ taskToken: str(b.taskToken), error: optStr(b.error), cause: optStr(b.cause) }),
  SendTaskHeartbeat: (e, b) => e.sendTaskHeartbeat({ taskToken: str(b.taskToken) }),
  RedriveExecution: (e, b) =>
    e.redriveExecution({ executionArn: str(b.executionArn), clientToken: optStr(b.clientToken) }),
  DescribeStateMachineForExecution: (e, b) => e.describeStateMachineForExecution({ executionArn: str(b.executionArn) }),
  PublishStateMachineVersion: (e, b) =>
    e.publishStateMachineVersion({
      stateMachineArn: str(b.stateMachineArn),
      description: optStr(b.description),
      revisionId: optStr(b.revisionId),
    }),
  ListStateMachineVersions: (e, b) =>
    e.listStateMachineVersions({
      stateMachineArn: str(b.stateMachineArn),
      maxResults: optNum(b.maxResults),
      nextToken: optStr(b.nextToken),
    }),
  CreateStateMachineAlias: (e, b) =>
    e.createStateMachineAlias({
      name: str(b.name),
      description: optStr(b.description),
      routingConfiguration: routing(b.routingConfiguration) ?? [],
    }),
  DescribeStateMachineAlias: (e, b) =>
    e.describeStateMachineAlias({ stateMachineAliasArn: str(b.stateMachineAliasArn) }),
  UpdateStateMachineAlias: (e, b) =>
    e.updateStateMachineAlias({
      stateMachineAliasArn: str(b.stateMachineAliasArn),
      description: optStr(b.description),
      routingConfiguration: routing(b.routingConfiguration),
    }),
  ValidateStateMachineDefinition: (e, b) =>
    e.validateStateMachineDefinition({ definition: str(b.definition), type: optStr(b.type) }),
};

/** The protocol sends timestamps as epoch seconds (fractional milliseconds allowed). */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, code: string, message: string, status = 400): void {
  send(res, status, { __type: code, message });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSfnServer(options: {
  engine: LocalStepFunctions;
  host?: string;
  port?: number;
}): Promise<SfnServer> {
  const { engine } = options;
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') return sendError(res, 'UnknownOperationException', 'Only POST / is supported');
      const target = String(req.headers['x-amz-target'] ?? '');
      const [service, operationName = ''] = target.split('.');
      const operation = service === 'AWSStepFunctions' ? operations[operationName] : undefined;
      const text = await readBody(req);
      if (!operation) return sendError(res, 'UnknownOperationException', `Unknown operation ${target}`);
      let body: Body;
      try {
        body = text ? (JSON.parse(text) as Body) : {};
      } catch {
        return sendError(res, 'SerializationException', 'Request body is not valid JSON');
      }
      const result = await operation(engine, body);
      send(res, 200, toWire(result ?? {}));
    } catch (error) {
      if (error instanceof StepFunctionsError) return sendError(res, error.name, error.message);
      // Not an AWS error: report it as the service would, without leaking internals (or a token) to the caller.
      console.error('Local Step Functions endpoint failed', (error as Error).name);
      sendError(res, 'InternalFailure', 'Internal failure', 500);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8083, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
