package dev.wsfanout.cdk;

import dev.wsfanout.model.DefinitionSubstitutions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionSubstitutionsTest {

    private static final Set<String> CONTRACT_NAMES = DefinitionSubstitutions.Name.placeholders();

    private static Map<String, String> stackSupplies() {
        return BroadcastWorkflow.substitutions(DeployConfig.defaults(), "arn:query", "arn:audit", "broadcasts",
                "history");
    }

    @Test
    void theStackSuppliesExactlyTheNamesOfTheContract() {
        assertEquals(CONTRACT_NAMES, stackSupplies().keySet());
    }

    @Test
    void theSubstitutedValuesComeFromTheConfiguration() {
        DeployConfig config = DeployConfig.builder().mapMaxConcurrency(123).toleratedFailurePercentage(7)
                .deliveryDeadlineSeconds(45).pollIntervalSeconds(3).build();
        Map<String, String> values = BroadcastWorkflow.substitutions(config, "arn:query", "arn:audit", "broadcasts",
                "history");
        assertEquals(Map.of("QueryFunctionArn", "arn:query", "AuditFunctionArn", "arn:audit",
                "BroadcastsTableName", "broadcasts", "HistoryTableName", "history",
                "PartitionCount", "2500", "MapMaxConcurrency", "123", "ToleratedFailurePercentage", "7",
                "DeliveryDeadlineSeconds", "45", "PollIntervalSeconds", "3"), values);
    }

    @Test
    void placeholdersAreTheDistinctDollarBraceNames() {
        assertEquals(Set.of("A", "B_2"), DefinitionSubstitutions.placeholdersIn(
                "{\"x\": \"${A}\", \"y\": \"{% ${B_2} + ${A} %}\", \"z\": \"$notOne {also} $ {no}\"}"));
    }

    @Test
    void theStackTestsSynthesizeFromTheDefinitionTheAppDeploysNotACopy() throws IOException {
        Path real = Path.of("..", "statemachine", "broadcast.asl.json").toAbsolutePath().normalize();
        assertEquals(real, StackUnderTest.DEFINITION.toAbsolutePath().normalize());
        assertEquals(real, new DeployArtifacts(StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-jar")),
                StackUnderTest.DEFINITION).stateMachineDefinition());
        // A trimmed copy drifted from the real file once (issue 13); none may come back.
        Path testResources = Path.of("src", "test", "resources");
        if (Files.isDirectory(testResources)) {
            try (var files = Files.walk(testResources)) {
                assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".asl.json")).toList());
            }
        }
    }

    @Test
    void theRealDefinitionUsesExactlyTheSuppliedNames() throws IOException {
        Path real = Path.of("..", "statemachine", "broadcast.asl.json");
        assertTrue(Files.isRegularFile(real), "statemachine/broadcast.asl.json is part of the repository");
        assertUsesExactlyTheSuppliedNames(real);
    }

    @Test
    void aNameTheFileUsesButTheStackDoesNotSupplyFailsNamingIt(@TempDir Path dir) throws IOException {
        Path file = StackUnderTest.definitionWith(dir, "\"Label\": \"Fanout\"", "\"Label\": \"${MapLabel}\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefinitionSubstitutions.requireExactly(file, stackSupplies()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("the file uses [MapLabel], which are not supplied"), e.getMessage());
        assertFalse(e.getMessage().contains("the file does not use them"), e.getMessage());
    }

    @Test
    void aNameTheStackSuppliesButTheFileDoesNotUseFailsNamingIt(@TempDir Path dir) throws IOException {
        Path file = StackUnderTest.definitionWith(dir, "{% ${PollIntervalSeconds} %}", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefinitionSubstitutions.requireExactly(file, stackSupplies()));
        assertTrue(e.getMessage().contains("[PollIntervalSeconds] are supplied but the file does not use them"),
                e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        Exception e = assertThrows(RuntimeException.class,
                () -> DefinitionSubstitutions.requireExactly(missing, stackSupplies()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static void assertUsesExactlyTheSuppliedNames(Path file) throws IOException {
        assertEquals(CONTRACT_NAMES, DefinitionSubstitutions.placeholdersIn(Files.readString(file)));
        Map<String, String> supplied = stackSupplies();
        assertSame(supplied, DefinitionSubstitutions.requireExactly(file, supplied));
    }
}
