package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.MessageLimits;
import dev.wsfanout.model.Retention;
import dev.wsfanout.model.StreamHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What statemachine/broadcast.asl.json (and cells.asl.json) and the CDK app write as text that must
 * match code elsewhere: the substitution names, the numbers the definition writes by hand, and the
 * class names the definitions, {@link FanoutFunction} and {@link GlobalFunction} give as strings
 * (loaded here, so a rename fails the build).
 */
class DefinitionContractTest {

    private static final String FILE = "statemachine/broadcast.asl.json";
    private static final Path CELLS_DEFINITION =
            DeployArtifacts.defaultCellsStateMachineDefinition(StackUnderTest.REPOSITORY_ROOT);

    /** A Java class name: lower-case package segments, then a capitalized class (nested with $). */
    private static final Pattern JAVA_CLASS = Pattern.compile("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

    private static String text;
    private static JsonNode definition;

    @BeforeAll
    static void read() throws IOException {
        text = Files.readString(StackUnderTest.DEFINITION);
        definition = new ObjectMapper().readTree(text);
    }

    @Test
    void theDefinitionUsesExactlyTheListedSubstitutionNames() {
        // The CDK's map (DefinitionSubstitutionsTest) and the local stack's (app's LocalDeploymentSubstitutionsTest)
        // are checked against the same list.
        assertEquals(DefinitionSubstitutions.Name.placeholders(), DefinitionSubstitutions.placeholdersIn(text),
                FILE + " and DefinitionSubstitutions.Name must list the same ${...} names");
    }

    @Test
    void theMapBatchesAsManyPartitionsAsTheDefaultsSay() {
        List<JsonNode> batchers = new ArrayList<>();
        collect(definition, "ItemBatcher", batchers);
        assertEquals(1, batchers.size(), "one Distributed Map with an ItemBatcher in " + FILE);
        assertEquals(DeploymentDefaults.MAP_ITEMS_PER_BATCH, batchers.get(0).path("MaxItemsPerBatch").asInt(-1),
                FILE + " writes ItemBatcher.MaxItemsPerBatch by hand; it must equal "
                        + "DeploymentDefaults.MAP_ITEMS_PER_BATCH: change both");
    }

    @Test
    void theInputCheckRefusesWhatMessageLimitsRefuses() {
        String problem = definition.path("States").path("CheckInput").path("Assign").path("problem").asText();
        Set<Long> limits = numbersAfter(problem, "\\$bytes > (\\d+)");
        limits.addAll(numbersAfter(problem, "the limit is (\\d+) bytes"));
        assertEquals(Set.of((long) MessageLimits.MAX_MESSAGE_BYTES), limits, FILE + " CheckInput writes the "
                + "message limit by hand; it must equal MessageLimits.MAX_MESSAGE_BYTES: change both");
        assertTrue(definition.path("States").path("CheckInput").path("Comment").asText()
                .contains(Integer.toString(MessageLimits.MAX_MESSAGE_BYTES)), FILE + " CheckInput's Comment names "
                + "MessageLimits.MAX_MESSAGE_BYTES; change both");
    }

    @Test
    void theBroadcastRecordAndItsHistoryEntryExpireAfterTheRetentionOfRecords() {
        for (String state : List.of("CreateBroadcast", "ClaimSequence")) {
            String expiresAt = definition.path("States").path(state).path("Arguments").path("Item")
                    .path("expiresAt").path("N").asText();
            assertEquals(Set.of(Retention.RECORDS.toSeconds()), numbersAfter(expiresAt, "\\+ (\\d+)"),
                    FILE + " " + state + " writes expiresAt's offset in seconds by hand; it must equal "
                            + "Retention.RECORDS: change both");
        }
    }

    /**
     * The sequence claim (ReadHead, ClaimSequence, AdvanceHead) writes the history's stream name, key
     * attributes and head hint by hand; the resume function reads them through StreamHistory.
     */
    @Test
    void theSequenceClaimUsesTheHistoryLayoutOfStreamHistory() {
        JsonNode states = definition.path("States");
        String headSeq = Long.toString(StreamHistory.HEAD_SEQ);
        for (String state : List.of("ReadHead", "AdvanceHead")) {
            JsonNode key = states.path(state).path("Arguments").path("Key");
            assertEquals(Set.of(StreamHistory.STREAM, StreamHistory.SEQ), fieldNames(key),
                    FILE + " " + state + "'s Key; StreamHistory.STREAM and SEQ: change both");
            assertEquals(StreamHistory.DEFAULT_STREAM, key.path(StreamHistory.STREAM).path("S").asText(),
                    FILE + " " + state + " names the stream; StreamHistory.DEFAULT_STREAM: change both");
            assertEquals(headSeq, key.path(StreamHistory.SEQ).path("N").asText(),
                    FILE + " " + state + " addresses the head hint; StreamHistory.HEAD_SEQ: change both");
        }
        String candidate = states.path("ReadHead").path("Assign").path("candidate").asText();
        assertTrue(candidate.contains("$states.result.Item." + StreamHistory.HEAD + ".N"),
                FILE + " ReadHead reads the hint's attribute; StreamHistory.HEAD: change both (" + candidate + ")");
        JsonNode advance = states.path("AdvanceHead").path("Arguments");
        assertEquals(StreamHistory.HEAD, advance.path("ExpressionAttributeNames").path("#head").asText(),
                FILE + " AdvanceHead writes the hint's attribute; StreamHistory.HEAD: change both");
        assertTrue(advance.path("UpdateExpression").asText().contains("#head"), advance.toString());

        JsonNode claim = states.path("ClaimSequence").path("Arguments");
        JsonNode item = claim.path("Item");
        assertEquals(Set.of(StreamHistory.STREAM, StreamHistory.SEQ, StreamHistory.BROADCAST_ID,
                        StreamHistory.CREATED_AT, FanoutSchema.EXPIRES_AT), fieldNames(item),
                FILE + " ClaimSequence writes the entry StreamHistoryReader reads; StreamHistory: change both");
        assertEquals(StreamHistory.DEFAULT_STREAM, item.path(StreamHistory.STREAM).path("S").asText(),
                FILE + " ClaimSequence names the stream; StreamHistory.DEFAULT_STREAM: change both");
        assertEquals(StreamHistory.SEQ, claim.path("ExpressionAttributeNames").path("#seq").asText(),
                FILE + " ClaimSequence's condition; StreamHistory.SEQ: change both");
        assertEquals(StreamHistory.BROADCAST_ID, claim.path("ExpressionAttributeNames").path("#broadcastId").asText(),
                FILE + " ClaimSequence's condition; StreamHistory.BROADCAST_ID: change both");
    }

    /** Every exception class the definition retries on or catches by name exists, so a rename fails here. */
    @Test
    void everyJavaClassTheDefinitionNamesIsAThrowable() {
        assertEveryJavaClassIsAThrowable(FILE, definition, "dev.wsfanout.fanout.ShardPublisher$ShardSendException");
    }

    @Test
    void everyJavaClassTheCrossCellDefinitionNamesIsAThrowable() throws IOException {
        assertEveryJavaClassIsAThrowable(CellsDefinitionSubstitutions.DEFINITION_FILE,
                new ObjectMapper().readTree(Files.readString(CELLS_DEFINITION)), "dev.wsfanout.cells.CrossCellInputException");
    }

    @Test
    void theCrossCellDefinitionUsesExactlyTheCellsSubstitutionNames() throws IOException {
        assertEquals(new CellsDefinitionSubstitutions("arn:cellBroadcast", 1).toMap().keySet(),
                DefinitionSubstitutions.placeholdersIn(Files.readString(CELLS_DEFINITION)),
                CellsDefinitionSubstitutions.DEFINITION_FILE + " and CellsDefinitionSubstitutions must name the same ${...}");
    }

    private static void assertEveryJavaClassIsAThrowable(String file, JsonNode definition, String oneOfThem) {
        List<JsonNode> errorLists = new ArrayList<>();
        collect(definition, "ErrorEquals", errorLists);
        Set<String> classes = new TreeSet<>();
        for (JsonNode list : errorLists) {
            list.forEach(error -> {
                if (JAVA_CLASS.matcher(error.asText()).matches()) {
                    classes.add(error.asText());
                }
            });
        }
        assertTrue(classes.contains(oneOfThem), classes.toString());
        for (String name : classes) {
            Class<?> type = load(name, file + " retries on " + name);
            assertTrue(Throwable.class.isAssignableFrom(type), file + " retries on " + name + ", not a Throwable");
        }
    }

    @Test
    void everyHandlerTheStackNamesIsALambdaHandler() {
        for (JarHandler f : Stream.<JarHandler>concat(Stream.of(FanoutFunction.values()), Stream.of(GlobalFunction.values())).toList()) {
            Class<?> type = load(f.handler(), f.getClass().getSimpleName() + "." + f + " names the handler " + f.handler());
            assertTrue(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type),
                    f.handler() + " implements neither RequestHandler nor RequestStreamHandler");
            assertFalse(type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers()), f.handler());
        }
    }

    private static Class<?> load(String name, String where) {
        try {
            return Class.forName(name, false, DefinitionContractTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return fail(where + ", which the handlers module does not have: rename it there too");
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<Long> numbersAfter(String expression, String regex) {
        Set<Long> numbers = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(expression);
        while (m.find()) {
            numbers.add(Long.parseLong(m.group(1)));
        }
        return numbers;
    }

    private static void collect(JsonNode node, String field, List<JsonNode> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    into.add(e.getValue());
                }
                collect(e.getValue(), field, into);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, field, into));
        }
    }
}
