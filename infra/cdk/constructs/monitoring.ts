import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { peopleTopic } from './notifications.js';

/** The namespace of the metrics the project derives from its own log lines. */
export const METRIC_NAMESPACE = 'Lienthong';

export interface MonitoringProps {
  readonly stateMachine: StateMachine;
  readonly functions: NodejsFunction[];
  /** The functions that send notifications: their `notification.failed` log lines become a metric. */
  readonly notifyingFunctions: NodejsFunction[];
  readonly httpApi: HttpApi;
  readonly deadLetterQueue: Queue;
  /** Operators subscribed to the alarms topic (comma-separated context `operatorEmails`). */
  readonly operatorEmails: string[];
  readonly key: IKey;
}

/**
 * What an operator must see without looking: CloudWatch alarms to an operators' SNS topic, and one dashboard.
 * Alarms: executions that failed, timed out or were aborted; the API's 5xx; Lambda errors and throttles (all project
 * functions together); the history archive's dead letters; notifications that failed. docs/operations.md says what
 * to do for each.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = peopleTopic(
      this,
      'AlarmTopic',
      'Liên thông: cảnh báo vận hành · operations alarms',
      props.key,
      props.operatorEmails,
    );
    const action = new SnsAction(this.alarmTopic);

    const fiveMinutes = Duration.minutes(5);
    const sm = props.stateMachine;
    const executionProblems = new MathExpression({
      label: 'Executions failed, timed out or aborted',
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: sm.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
        timedOut: sm.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
        aborted: sm.metricAborted({ period: fiveMinutes, statistic: 'Sum' }),
      },
      period: fiveMinutes,
    });
    // Ids unique across one graph: `prefix` names the group (errors of group 1: e1_0, e1_1, ...).
    const sumOver = (label: string, prefix: string, metrics: IMetric[]) =>
      new MathExpression({
        label,
        expression: metrics.map((_, i) => `${prefix}_${i}`).join(' + ') || '0',
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${prefix}_${i}`, m])),
        period: fiveMinutes,
      });
    // A CloudWatch alarm's metric math takes at most 10 metrics: the functions are watched in groups of 10.
    const groups: NodejsFunction[][] = [];
    for (let i = 0; i < props.functions.length; i += 10) groups.push(props.functions.slice(i, i + 10));
    const lambdaErrors = groups.map((g, i) =>
      sumOver(
        `Lambda errors (functions group ${i + 1})`,
        `e${i + 1}`,
        g.map((f) => f.metricErrors({ period: fiveMinutes, statistic: 'Sum' })),
      ),
    );
    const lambdaThrottles = groups.map((g, i) =>
      sumOver(
        `Lambda throttles (functions group ${i + 1})`,
        `t${i + 1}`,
        g.map((f) => f.metricThrottles({ period: fiveMinutes, statistic: 'Sum' })),
      ),
    );
    const api5xx = new Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: props.httpApi.apiId },
      statistic: 'Sum',
      period: fiveMinutes,
      label: 'API 5xx',
    });
    const deadLetters = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: fiveMinutes,
      statistic: 'Maximum',
      label: 'History archive dead letters',
    });

    // One metric from the notifier's `notification.failed` log line, across every function that notifies.
    for (const fn of props.notifyingFunctions) {
      new MetricFilter(this, `NotificationFailed${fn.node.id}`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', 'notification.failed'),
        metricNamespace: METRIC_NAMESPACE,
        metricName: 'NotificationsFailed',
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const notificationsFailed = new Metric({
      namespace: METRIC_NAMESPACE,
      metricName: 'NotificationsFailed',
      statistic: 'Sum',
      period: fiveMinutes,
      label: 'Notifications failed',
    });

    const alarm = (id: string, metric: IMetric, description: string) => {
      const a = new Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };
    alarm(
      'ExecutionProblems',
      executionProblems,
      'A birth-bundle execution failed, timed out or was aborted: its case may be waiting on nothing. See docs/operations.md, "An execution failed".',
    );
    alarm(
      'Api5xx',
      api5xx,
      'The API answered 5xx: the contract is a 4xx for every bad input. See the functions\u2019 logs.',
    );
    for (const [i, m] of lambdaErrors.entries()) {
      alarm(
        `LambdaErrors${i + 1}`,
        m,
        'A project function threw (steps are retried by the workflow). See its log group.',
      );
    }
    for (const [i, m] of lambdaThrottles.entries()) {
      alarm(`LambdaThrottles${i + 1}`, m, 'A project function was throttled: check the account\u2019s concurrency.');
    }
    alarm(
      'ArchiveDeadLetters',
      deadLetters,
      'An execution history could not be archived. See docs/operations.md, "Replay a history-archive dead letter".',
    );
    alarm(
      'NotificationsFailed',
      notificationsFailed,
      'SNS or SES refused a message to a family or a supervisor; the case records it. See docs/operations.md.',
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${sm.stack.stackName}-operations`,
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Liên thông: vận hành · operations\nAlarms go to the operators\u2019 topic; the runbook is `docs/operations.md`.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Executions',
            left: [
              sm.metricStarted({ period: fiveMinutes, statistic: 'Sum' }),
              sm.metricSucceeded({ period: fiveMinutes, statistic: 'Sum' }),
              executionProblems,
            ],
            width: 12,
          }),
          new GraphWidget({ title: 'API', left: [api5xx], width: 12 }),
        ],
        [
          new GraphWidget({ title: 'Lambda', left: [...lambdaErrors, ...lambdaThrottles], width: 12 }),
          new GraphWidget({ title: 'Archive and notifications', left: [deadLetters, notificationsFailed], width: 12 }),
        ],
      ],
    });
  }
}
