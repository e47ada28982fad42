package dev.wsfanout.cdk;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * One dashboard for a broadcast: deliveries per second, gone and failed connections (the EMF
 * metrics postMessage logs in namespace {@value #NAMESPACE}, no dimensions), shard and DLQ depth,
 * and broadcast executions.
 */
public final class FanoutDashboard extends Construct {

    public static final String NAMESPACE = "wsfanout";
    private static final Duration PERIOD = Duration.minutes(1);

    public FanoutDashboard(Construct scope, String id, ShardQueues queues, StateMachine stateMachine) {
        super(scope, id);
        Metric delivered = deliveryMetric("Delivered");
        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        dashboard.addWidgets(
                graph("Deliveries per second", List.of(MathExpression.Builder.create()
                        .expression("delivered / PERIOD(delivered)")
                        .usingMetrics(Map.of("delivered", delivered))
                        .label("deliveries/s")
                        .period(PERIOD)
                        .build())),
                graph("Gone, failed and retried connections (per minute)",
                        List.of(deliveryMetric("Gone"), deliveryMetric("Failed"), deliveryMetric("Retried"))));
        dashboard.addWidgets(
                graph("Shard depth (messages visible)", depth(queues.shards(), "shard ")),
                graph("Dead-letter depth (messages visible)", depth(queues.deadLetterQueues(), "dlq ")),
                graph("Broadcasts", List.of(
                        stateMachine.metricStarted(sum()), stateMachine.metricSucceeded(sum()),
                        stateMachine.metricFailed(sum()))));
    }

    private static Metric deliveryMetric(String name) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .statistic("Sum")
                .period(PERIOD)
                .build();
    }

    private static List<IMetric> depth(List<Queue> queues, String labelPrefix) {
        return IntStream.range(0, queues.size())
                .mapToObj(i -> (IMetric) queues.get(i).metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .statistic("Maximum").period(PERIOD).label(labelPrefix + i).build()))
                .toList();
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(12).build();
    }
}
