import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LienthongStack } from './lienthongStack.js';

/** Repository root, two levels above this file. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const stackName = 'Lienthong';

const contextNumber = (app: App, key: string, fallback: number): number => {
  const value = app.node.tryGetContext(key);
  return value === undefined ? fallback : Number(value);
};

const contextString = (app: App, key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};

const requiredContext = (app: App, key: string, because: string): string => {
  const value = contextString(app, key);
  if (!value) throw new Error(`Context "${key}" is required when "${because}" is set (see docs/deploy.md)`);
  return value;
};

/**
 * The CDK app, shared by `app.ts` (the CLI's entry) and the infra tests (one in-process synth).
 * Parameters are context values (`cdk.json` or `-c key=value`), see docs/deploy.md.
 */
export function createApp(props: AppProps & { projectRoot?: string } = {}): { app: App; stack: LienthongStack } {
  const app = new App(props);
  const stack = new LienthongStack(app, stackName, {
    // Account and region come from the CLI's credentials at deploy time; `npm run synth` pins dummy ones.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    projectRoot: props.projectRoot ?? projectRoot,
    webDist: path.resolve(props.projectRoot ?? projectRoot, String(app.node.tryGetContext('webDist') ?? 'web/dist')),
    ...(contextString(app, 'webDomainName') || contextString(app, 'webCertificateArn')
      ? {
          webDomain: {
            name: requiredContext(app, 'webDomainName', 'webCertificateArn'),
            certificateArn: requiredContext(app, 'webCertificateArn', 'webDomainName'),
          },
        }
      : {}),
    ...(contextString(app, 'webAclArn') ? { webAclArn: contextString(app, 'webAclArn') } : {}),
    ...(contextString(app, 'cognitoDomainPrefix')
      ? { cognitoDomainPrefix: contextString(app, 'cognitoDomainPrefix') }
      : {}),
    extraWebOrigins: (contextString(app, 'webOrigin') ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    notifications: {
      // A placeholder until set: sends from it fail and are recorded as NOTIFICATION_FAILED (docs/deploy.md).
      emailFrom: contextString(app, 'notificationEmailFrom') ?? 'no-reply@lienthong.example',
      ...(contextString(app, 'smsSenderId') ? { smsSenderId: contextString(app, 'smsSenderId') } : {}),
      supervisorEmails: (contextString(app, 'supervisorEmails') ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    },
    operatorEmails: (contextString(app, 'operatorEmails') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
    throttle: {
      rateLimit: contextNumber(app, 'apiRateLimit', 50),
      burstLimit: contextNumber(app, 'apiBurstLimit', 100),
      publicRateLimit: contextNumber(app, 'apiPublicRateLimit', 10),
      publicBurstLimit: contextNumber(app, 'apiPublicBurstLimit', 20),
    },
    description: 'Lienthong: one birth dossier, three procedures (birth, residence, health insurance)',
    terminationProtection: true,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
