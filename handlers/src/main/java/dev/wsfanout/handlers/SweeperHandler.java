package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.registry.ConnectionProbe;
import dev.wsfanout.registry.StaleConnectionSweeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scheduled: removes expired connections and those API Gateway no longer has, repairs drifted
 * partition counts; returns what it did.
 */
public final class SweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

    /** GetConnection calls in flight at once. */
    static final int PROBES_IN_FLIGHT = 32;
    /** Left of the function's timeout when probing stops: the settle pause and the repairs follow. */
    static final Duration AFTER_PROBES = StaleConnectionSweeper.DEFAULT_SETTLE.plusSeconds(50);

    private final StaleConnectionSweeper sweeper;
    private final Clock clock;

    public SweeperHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private SweeperHandler(LambdaEnvironment env) {
        this(new StaleConnectionSweeper(env.clients().dynamoDb(), env.config(), Clock.systemUTC(),
                new ConnectionProbe(env.clients().managementApi(PROBES_IN_FLIGHT), env.config().sweepProbeRate(), PROBES_IN_FLIGHT),
                StaleConnectionSweeper.DEFAULT_SETTLE), Clock.systemUTC());
    }

    public SweeperHandler(StaleConnectionSweeper sweeper, Clock clock) {
        this.sweeper = sweeper;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        Instant probeDeadline = context == null ? Instant.MAX
                : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(AFTER_PROBES);
        StaleConnectionSweeper.SweepReport report = sweeper.sweep(probeDeadline);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", report.rows());
        out.put("expiredRemoved", report.expiredRemoved());
        out.put("probed", report.probed());
        out.put("goneRemoved", report.goneRemoved());
        out.put("probesInconclusive", report.probesInconclusive());
        out.put("partitionsChecked", report.partitionsChecked());
        out.put("partitionsRepaired", report.partitionsRepaired());
        out.put("partitionsBusy", report.partitionsBusy());
        out.put("repairs", report.repairs().stream()
                .map(r -> Map.of("partitionId", r.partitionId(), "was", r.was(), "now", r.now())).toList());
        if (context != null) {
            context.getLogger().log("sweep: " + out);
        }
        return out;
    }
}
