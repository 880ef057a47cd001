/**
 * Where a rendered message goes. On AWS (`NOTIFIER=aws`): SMS through SNS (transactional, to the applicant's phone),
 * e-mail through SES v2 (from `EMAIL_FROM`), and supervisors' notices to the SNS topic `SUPERVISOR_TOPIC_ARN` (its
 * subscriptions are the supervisors' e-mail addresses or phones). Locally (the local stack's config): the outbox, items `PK=OUTBOX` in the case table that `GET /local/outbox` shows in the browser, the
 * way developers use MailHog. The outbox is the adapter that stands in for SNS and SES; everything before it (which
 * template, to whom, what the case records) is the same code on both runtimes.
 */
import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { e164, type RenderedMessage, smsText } from '#domain/notifications.js';
import { dynamoDocumentClient } from './clients.js';
import { config, type NotifierSettings } from './config.js';

export type DeliveryChannel = 'SMS' | 'EMAIL' | 'SUPERVISOR';

export interface OutgoingMessage {
  channel: DeliveryChannel;
  /** A phone number (SMS), an e-mail address (EMAIL) or `<agency>:<unit>` (SUPERVISOR). */
  to: string;
  message: RenderedMessage;
  caseId: string;
  template: string;
}

export interface Sender {
  send(m: OutgoingMessage, now: Date): Promise<{ providerMessageId: string }>;
}

/** AWS: SNS for SMS and the supervisors' topic, SES v2 for e-mail. */
export class AwsSender implements Sender {
  constructor(
    private readonly settings: NotifierSettings,
    private readonly sns: SNSClient,
    private readonly ses: SESv2Client,
  ) {}

  async send(m: OutgoingMessage): Promise<{ providerMessageId: string }> {
    if (m.channel === 'EMAIL') {
      const r = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.settings.emailFrom,
          Destination: { ToAddresses: [m.to] },
          Content: {
            Simple: {
              Subject: { Data: `${m.message.subject.vi} · ${m.message.subject.en}`, Charset: 'UTF-8' },
              Body: { Text: { Data: `${m.message.text.vi}\n\n${m.message.text.en}`, Charset: 'UTF-8' } },
            },
          },
          EmailTags: [{ Name: 'template', Value: m.template }],
        }),
      );
      return { providerMessageId: r.MessageId ?? '' };
    }
    if (m.channel === 'SUPERVISOR') {
      const r = await this.sns.send(
        new PublishCommand({
          TopicArn: this.settings.supervisorTopicArn,
          Subject: m.message.subject.en.slice(0, 99),
          Message: `${m.message.text.vi}\n\n${m.message.text.en}`,
          // Subscriptions may filter on the unit (one supervisor per commune or province).
          MessageAttributes: { unit: { DataType: 'String', StringValue: m.to } },
        }),
      );
      return { providerMessageId: r.MessageId ?? '' };
    }
    const r = await this.sns.send(
      new PublishCommand({
        PhoneNumber: e164(m.to),
        Message: smsText(m.message),
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.settings.smsSenderId
            ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.settings.smsSenderId } }
            : {}),
        },
      }),
    );
    return { providerMessageId: r.MessageId ?? '' };
  }
}

/** One message as the outbox keeps it. */
export interface OutboxMessage {
  id: string;
  at: string;
  channel: DeliveryChannel;
  to: string;
  caseId: string;
  template: string;
  subject: { vi: string; en: string };
  text: string;
}

/** Locally: the outbox, a partition of the case table (items never read by the case's rules or its verify). */
export class OutboxSender implements Sender {
  async send(m: OutgoingMessage, now: Date): Promise<{ providerMessageId: string }> {
    const id = randomUUID();
    const item: OutboxMessage = {
      id,
      at: now.toISOString(),
      channel: m.channel,
      to: m.to,
      caseId: m.caseId,
      template: m.template,
      subject: m.message.subject,
      text: m.channel === 'SMS' ? smsText(m.message) : `${m.message.text.vi}\n\n${m.message.text.en}`,
    };
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: { PK: 'OUTBOX', SK: `${item.at}#${id}`, ...item },
      }),
    );
    return { providerMessageId: `outbox-${id}` };
  }
}

/** The outbox, newest first (the local `/local/outbox` page and tests). */
export const readOutbox = async (opts: { caseId?: string; limit?: number } = {}): Promise<OutboxMessage[]> => {
  const out: OutboxMessage[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'OUTBOX' },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      const { PK: _pk, SK: _sk, ...m } = i;
      if (!opts.caseId || m.caseId === opts.caseId) out.push(m as OutboxMessage);
    }
    start = r.LastEvaluatedKey;
  } while (start && out.length < (opts.limit ?? 500));
  return out.slice(0, opts.limit ?? 500);
};

let sender: Sender | undefined;
/** The process's sender, chosen once from the environment. */
export const notificationSender = (): Sender => {
  if (!sender) {
    const { notifier: s, region } = config();
    sender =
      s.mode === 'aws' ? new AwsSender(s, new SNSClient({ region }), new SESv2Client({ region })) : new OutboxSender();
  }
  return sender;
};

/** Tests: replace the sender (a failing channel) and put it back. */
export const setNotificationSender = (s: Sender | undefined): void => {
  sender = s;
};
