package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;

/**
 * One CloudWatch Embedded Metric Format line per postMessage invocation (namespace {@code wsfanout}):
 * Lambda's log pipeline turns it into the Delivered/Gone/Failed/Retried metrics the dashboard
 * plots, with no PutMetricData call on the delivery path.
 */
final class DeliveryMetrics {

    private DeliveryMetrics() {
    }

    static String emf(BroadcastTally tally, long timestampMillis) {
        return "{\"_aws\":{\"Timestamp\":" + timestampMillis + ",\"CloudWatchMetrics\":[{\"Namespace\":\"wsfanout\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Delivered\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"Gone\",\"Unit\":\"Count\"},{\"Name\":\"Failed\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"Retried\",\"Unit\":\"Count\"}]}]},"
                + "\"Delivered\":" + tally.delivered() + ",\"Gone\":" + tally.gone() + ",\"Failed\":" + tally.failed()
                + ",\"Retried\":" + tally.retried() + "}";
    }
}
