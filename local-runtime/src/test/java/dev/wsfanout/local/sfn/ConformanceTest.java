package dev.wsfanout.local.sfn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite: every case in src/test/resources/sfn/conformance/*.json is a small state
 * machine with an input and the outcome the AWS documentation page named in its "doc" member
 * describes; {@link ConformanceCases} adds cases in the same format. Simulated time runs 1000x
 * faster, so Wait and Retry back-off cost milliseconds.
 */
class ConformanceTest {

    private static final List<String> FILES = List.of("jsonata-states.json", "task-retry-catch.json", "parallel-map.json", "jsonpath.json");
    private static final TestFunctions FUNCTIONS = new TestFunctions();
    private static final TaskResources RESOURCES = build();

    private static TaskResources build() {
        TaskResources.Builder builder = TaskResources.builder();
        FUNCTIONS.all().forEach(builder::function);
        return builder.build();
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = ConformanceTest.class.getResourceAsStream("/sfn/conformance/" + file)) {
                Map<String, Object> suite = Json.asObject(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file));
                for (Object raw : Json.asArray(suite.get("cases"))) {
                    Map<String, Object> c = Json.asObject(raw);
                    cases.add(Arguments.of(Named.of(file + ": " + c.get("name"), c)));
                }
            }
        }
        ConformanceCases.SUITES.forEach((suiteName, text) -> {
            for (Object raw : Json.asArray(Json.asObject(Json.parse(text, suiteName)).get("cases"))) {
                Map<String, Object> c = Json.asObject(raw);
                cases.add(Arguments.of(Named.of(suiteName + ": " + c.get("name"), c)));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void behavesAsDocumented(Map<String, Object> c) throws InterruptedException {
        String name = (String) c.get("name");
        try (LocalStepFunctions sfn = new LocalStepFunctions(RESOURCES, TimeSource.accelerated(1000), 16)) {
            String machine = sfn.createStateMachine("conformance", Json.write(c.get("definition")), null, null).stateMachineArn();
            String arn = sfn.startExecution(machine, name, Json.write(c.get("input"))).executionArn();
            ExecutionDescription result = sfn.awaitExecution(arn, Duration.ofSeconds(30));
            Map<String, Object> expect = Json.asObject(c.get("expect"));
            String context = name + " (" + c.get("doc") + "): " + result;
            assertEquals(expect.get("status"), result.status().name(), context);
            if (expect.containsKey("output")) {
                assertEquals(expect.get("output"), Json.parse(result.output(), "output"), context);
            }
            if (expect.containsKey("error")) {
                assertEquals(expect.get("error"), result.error(), context);
            }
            if (expect.containsKey("cause")) {
                assertEquals(expect.get("cause"), result.cause(), context);
            }
            if (expect.containsKey("causeJson")) {
                Map<String, Object> cause = Json.asObject(Json.parse(result.cause(), "cause"));
                Json.asObject(expect.get("causeJson")).forEach((k, v) -> assertEquals(v, cause.get(k), context + " cause." + k));
            }
            assertTrue(result.stopDate() != null, context);
        }
    }

    @AfterAll
    static void closeFunctions() {
        RESOURCES.functions().values().forEach(f -> f.close());
    }
}
