/**
 * The AWS side of the notifier, isolated with aws-sdk-client-mock: what SNS and SES are asked to do. (The outbox, the
 * local stand-in, is proven on the running stack in test/integration/notifications.test.ts.)
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { notifierFromEnv } from '#adapters/config.js';
import { AwsSender } from '#adapters/notificationChannels.js';
import { notificationTemplates, renderNotification } from '#domain/notifications.js';

const settings = {
  mode: 'aws' as const,
  emailFrom: 'no-reply@lienthong.gov.vn',
  smsSenderId: 'LIENTHONG',
  supervisorTopicArn: 'arn:aws:sns:ap-southeast-1:111122223333:lienthong-supervisors',
};
const message = renderNotification('SUPPLEMENT_REQUESTED', {
  dossierCode: 'LT-00004-261123-ABC123',
  procedure: 'BIRTH',
});

describe('AwsSender', () => {
  it('sends an SMS through SNS as a transactional message to the E.164 number', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const sender = new AwsSender(settings, new SNSClient({}), new SESv2Client({}));
    const r = await sender.send({ channel: 'SMS', to: '0912345678', message, caseId: 'c', template: 'X' });
    expect(r.providerMessageId).toBe('m-1');
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.PhoneNumber).toBe('+84912345678');
    expect(input.Message).toContain('LT-00004-261123-ABC123');
    expect(input.MessageAttributes?.['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Transactional');
    expect(input.MessageAttributes?.['AWS.SNS.SMS.SenderID']?.StringValue).toBe('LIENTHONG');
    sns.restore();
  });

  it('sends an e-mail through SES v2 from the configured address, both languages', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
    const sender = new AwsSender(settings, new SNSClient({}), new SESv2Client({}));
    await sender.send({ channel: 'EMAIL', to: 'a@example.vn', message, caseId: 'c', template: 'SUPPLEMENT_REQUESTED' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('no-reply@lienthong.gov.vn');
    expect(input.Destination?.ToAddresses).toEqual(['a@example.vn']);
    expect(input.Content?.Simple?.Body?.Text?.Data).toContain('cần bổ sung');
    expect(input.Content?.Simple?.Body?.Text?.Data).toContain('needs more');
    ses.restore();
  });

  it("publishes a supervisor notice to the supervisors' topic with the unit as a filterable attribute", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 's-1' });
    const sender = new AwsSender(settings, new SNSClient({}), new SESv2Client({}));
    await sender.send({
      channel: 'SUPERVISOR',
      to: 'CIVIL_STATUS:00004',
      message,
      caseId: 'c',
      template: 'TASK_OVERDUE',
    });
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe(settings.supervisorTopicArn);
    expect(input.MessageAttributes?.unit?.StringValue).toBe('CIVIL_STATUS:00004');
    sns.restore();
  });
});

describe('notifierFromEnv (a deployed function reads its notifier settings at cold start)', () => {
  it('fails fast when NOTIFIER is not set', () => {
    expect(() => notifierFromEnv({})).toThrow(/NOTIFIER/);
  });
  it('fails fast with NOTIFIER=aws and no EMAIL_FROM or SUPERVISOR_TOPIC_ARN, naming the variable', () => {
    expect(() => notifierFromEnv({ NOTIFIER: 'aws', SUPERVISOR_TOPIC_ARN: 'x' })).toThrow(/EMAIL_FROM/);
    expect(() => notifierFromEnv({ NOTIFIER: 'aws', EMAIL_FROM: 'x' })).toThrow(/SUPERVISOR_TOPIC_ARN/);
  });
  it('reads the sender, the sender ID and the topic', () => {
    expect(
      notifierFromEnv({ NOTIFIER: 'aws', EMAIL_FROM: 'a@b.vn', SUPERVISOR_TOPIC_ARN: 't', SMS_SENDER_ID: 'LT' }),
    ).toEqual({ mode: 'aws', emailFrom: 'a@b.vn', supervisorTopicArn: 't', smsSenderId: 'LT' });
  });
});

describe('notification templates', () => {
  it.each(notificationTemplates)('%s has a subject and a text in Vietnamese and English, naming the dossier', (t) => {
    const m = renderNotification(t, { dossierCode: 'LT-1', procedure: 'RESIDENCE', dueAt: '2026-11-30T10:00:00Z' });
    for (const part of [m.subject.vi, m.subject.en, m.text.vi, m.text.en]) expect(part.length).toBeGreaterThan(5);
    expect(m.text.vi).toContain('LT-1');
    expect(m.text.en).toContain('LT-1');
    expect(m.text.vi).not.toBe(m.text.en);
  });
});
