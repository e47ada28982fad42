package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.registry.StaleConnectionSweeper;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scheduled: removes expired connections and repairs drifted partition counts; returns what it did. */
public final class SweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

    private final StaleConnectionSweeper sweeper;

    public SweeperHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private SweeperHandler(LambdaEnvironment env) {
        this(new StaleConnectionSweeper(env.clients().dynamoDb(), env.config(), Clock.systemUTC()));
    }

    public SweeperHandler(StaleConnectionSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        StaleConnectionSweeper.SweepReport report = sweeper.sweep();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("expiredRemoved", report.expiredRemoved());
        out.put("partitionsChecked", report.partitionsChecked());
        out.put("partitionsRepaired", report.partitionsRepaired());
        out.put("connectionsCounted", report.connectionsCounted());
        out.put("repairs", report.repairs().stream()
                .map(r -> Map.of("partitionId", r.partitionId(), "was", r.was(), "now", r.now())).toList());
        if (context != null) {
            context.getLogger().log("sweep: " + out);
        }
        return out;
    }
}
