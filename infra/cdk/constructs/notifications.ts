import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** The sender of the families' e-mail (an SES-verified identity: the address or its domain). */
  readonly emailFrom: string;
  /** SMS sender ID where the destination country supports one (Vietnam requires a registered brand name). */
  readonly smsSenderId?: string;
  /** Addresses subscribed to the supervisors' topic (overdue escalations); more can subscribe later. */
  readonly supervisorEmails: string[];
  /** Encrypts the supervisors' topic at rest. */
  readonly key: IKey;
}

/** A topic people subscribe to by e-mail: encrypted with `key`, TLS only, `emails` subscribed (each confirms). */
export const peopleTopic = (scope: Construct, id: string, displayName: string, key: IKey, emails: string[]): Topic => {
  const topic = new Topic(scope, id, { displayName, masterKey: key, enforceSSL: true });
  for (const email of emails) topic.addSubscription(new EmailSubscription(email));
  return topic;
};

/**
 * Where the notifier (functions/adapters/notificationChannels.ts, `NOTIFIER=aws`) sends: SMS to the applicant's phone
 * through SNS, e-mail through SES v2 from `emailFrom`, and supervisors' notices to an SNS topic (subscribers filter by
 * the `unit` message attribute).
 */
export class Notifications extends Construct {
  readonly supervisorTopic: Topic;
  readonly emailIdentityArn: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: NotificationsProps,
  ) {
    super(scope, id);
    this.supervisorTopic = peopleTopic(
      this,
      'SupervisorTopic',
      'Liên thông: hồ sơ quá hạn · overdue cases',
      props.key,
      props.supervisorEmails,
    );
    const domain = props.emailFrom.split('@')[1] ?? props.emailFrom;
    this.emailIdentityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: domain,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** The functions' environment for the notifier. */
  get environment(): Record<string, string> {
    return {
      NOTIFIER: 'aws',
      EMAIL_FROM: this.props.emailFrom,
      SUPERVISOR_TOPIC_ARN: this.supervisorTopic.topicArn,
      ...(this.props.smsSenderId ? { SMS_SENDER_ID: this.props.smsSenderId } : {}),
    };
  }

  /** Send: publish to the supervisors' topic, SMS to phone numbers, e-mail from the one sender address. */
  grantNotify(grantee: IGrantable): void {
    // Publish to the topic (and use its key).
    this.supervisorTopic.grantPublish(grantee);
    // A phone number is not an ARN: IAM authorises SNS's direct SMS publishing only on "*" (acknowledged in
    // nagAcknowledgements.ts). Account-level SMS spend limits (`MonthlySpendLimit`) cap what it can cost.
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.emailIdentityArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.props.emailFrom } },
      }),
    );
  }
}
