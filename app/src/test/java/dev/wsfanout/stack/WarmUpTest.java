package dev.wsfanout.stack;

import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.local.sfn.ExecutionDescription;
import dev.wsfanout.local.sfn.ExecutionStatus;
import dev.wsfanout.local.sfn.StateMachineDescription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up broadcast leaves nothing a user could see, and the first real broadcast still reaches everyone. */
class WarmUpTest {

    @Test
    void theWarmUpLeavesNoTraceAndTheFirstBroadcastReachesEveryClient() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackOptions.builder().env("PARTITION_COUNT", "50").warmUp(true).build())) {
            assertEquals(List.of(LocalStack.STATE_MACHINE),
                    stack.stepFunctions().listStateMachines().stream().map(StateMachineDescription::name).toList());
            assertEquals(List.of(), stack.stepFunctions().listExecutions(stack.stateMachineArn(), null, null));
            LocalCensus census = stack.census();
            assertEquals(List.of(0L, 0L, 0L), List.of(census.rows(), census.open(), census.registry().recorded()),
                    "rows, open connections, recorded counts: " + census);
            for (String table : List.of(stack.config().broadcastsTable(), stack.config().deliveriesTable())) {
                assertEquals(0, stack.dynamo().scan(b -> b.tableName(table)).count(), table + " items");
            }

            try (WebSocketSwarm swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 20, 20, n -> { })) {
                ExecutionDescription execution = stack.stepFunctions().startExecution(stack.stateMachineArn(), "after-warm-up",
                        "{\"message\":\"hello\"}");
                assertEquals(ExecutionStatus.SUCCEEDED,
                        stack.stepFunctions().awaitExecution(execution.executionArn(), Duration.ofMinutes(1)).status());
                assertTrue(swarm.awaitAll("after-warm-up", Duration.ofSeconds(10)), "every client received the broadcast");
            }
        }
    }
}
