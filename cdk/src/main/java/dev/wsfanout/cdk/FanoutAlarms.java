package dev.wsfanout.cdk;

import java.util.List;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Alarms on what must never happen quietly: a chunk message in a DLQ (its connections got nothing),
 * a postMessage error, a failed broadcast. They carry no action; subscribe a topic to them in the
 * console or add one here.
 */
public final class FanoutAlarms extends Construct {

    private static final Duration PERIOD = Duration.minutes(1);

    public FanoutAlarms(Construct scope, String id, List<Queue> deadLetterQueues, IFunction postMessage,
                        StateMachine stateMachine) {
        super(scope, id);
        for (int shard = 0; shard < deadLetterQueues.size(); shard++) {
            atLeastOne("Shard" + shard + "DlqDepth",
                    "shard " + shard + "'s dead-letter queue holds chunk messages: those connections got nothing",
                    deadLetterQueues.get(shard).metricApproximateNumberOfMessagesVisible(
                            MetricOptions.builder().statistic("Maximum").period(PERIOD).build()));
        }
        atLeastOne("PostMessageErrors", "postMessage invocations failed (their messages return to the shard queue)",
                postMessage.metricErrors(MetricOptions.builder().statistic("Sum").period(PERIOD).build()));
        atLeastOne("BroadcastsFailed", "broadcast executions failed (read the execution's history for the cause)",
                stateMachine.metricFailed(MetricOptions.builder().statistic("Sum").period(PERIOD).build()));
    }

    private void atLeastOne(String id, String description, IMetric metric) {
        Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }
}
