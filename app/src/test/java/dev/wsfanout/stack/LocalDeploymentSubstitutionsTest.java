package dev.wsfanout.stack;

import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The local stack fills broadcast.asl.json with the names of DefinitionSubstitutions.Name (the cdk
 * module checks the file and the CDK app against the same list) and starts from the deployment's defaults.
 */
class LocalDeploymentSubstitutionsTest {

    @Test
    void theLocalDeploymentSuppliesExactlyTheListedNamesWhichTheDefinitionUses() throws IOException {
        Map<String, String> values = LocalDeployment.substitutions(FanoutConfig.defaults(), LocalDeploymentOptions.defaults()).toMap();
        assertEquals(List.copyOf(DefinitionSubstitutions.Name.placeholders()), List.copyOf(values.keySet()));
        String definition = Files.readString(Path.of("..", "statemachine", "broadcast.asl.json"));
        assertEquals(DefinitionSubstitutions.placeholdersIn(definition), values.keySet());
    }

    @Test
    void theSubstitutedValuesComeFromTheOptions() {
        Map<String, String> values = LocalDeployment.substitutions(FanoutConfig.defaults(), LocalDeploymentOptions.builder()
                .mapMaxConcurrency(123).deliveryDeadline(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                .build()).toMap();
        assertEquals("123", values.get("MapMaxConcurrency"));
        assertEquals("45", values.get("DeliveryDeadlineSeconds"));
        // Step Functions waits whole seconds: a sub-second poll interval is one second.
        assertEquals("1", values.get("PollIntervalSeconds"));
        assertEquals(Integer.toString(FanoutConfig.defaults().partitionCount()), values.get("PartitionCount"));
        assertEquals(FanoutConfig.defaults().broadcastsTable(), values.get("BroadcastsTableName"));
    }

    @Test
    void theDefaultsAreTheDeployment() {
        LocalDeploymentOptions options = LocalDeploymentOptions.defaults();
        assertEquals(DeploymentDefaults.POST_MESSAGE_CONCURRENCY, options.postMessageConcurrency());
        assertEquals(DeploymentDefaults.postMessageTimeout(), options.postMessageTimeout());
        assertEquals(DeploymentDefaults.MAX_RECEIVE_COUNT, options.maxReceiveCount());
        assertEquals(DeploymentDefaults.MAP_MAX_CONCURRENCY, options.mapMaxConcurrency());
        assertEquals(DeploymentDefaults.deliveryDeadline(), options.deliveryDeadline());
        assertEquals(DeploymentDefaults.pollInterval(), options.pollInterval());
    }
}
