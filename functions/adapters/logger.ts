/** The one logger (Powertools, JSON lines). Never log personal data or callback tokens. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lienthong',
  logLevel:
    (process.env.LOG_LEVEL as 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | undefined) ??
    (process.env.JEST_WORKER_ID ? 'WARN' : 'INFO'),
});
