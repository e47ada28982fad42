package dev.wsfanout.local.sfn;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each case in src/test/resources/sfn/validation/cases.json is a definition with the diagnostics
 * (code and location) it must produce; a case expecting none must validate cleanly.
 */
class DefinitionValidatorTest {

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = DefinitionValidatorTest.class.getResourceAsStream("/sfn/validation/cases.json")) {
            Map<String, Object> suite = Json.asObject(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "cases.json"));
            List<Arguments> cases = new ArrayList<>();
            for (Object raw : Json.asArray(suite.get("cases"))) {
                Map<String, Object> c = Json.asObject(raw);
                cases.add(Arguments.of(Named.of((String) c.get("name"), c)));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsEachProblemWithItsLocation(Map<String, Object> c) {
        List<Diagnostic> diagnostics = DefinitionValidator.validate(Json.write(c.get("definition")));
        List<Object> expected = Json.asArray(c.get("expect"));
        String context = c.get("name") + " (" + c.get("doc") + "): " + diagnostics;
        if (expected.isEmpty()) {
            assertEquals(List.of(), diagnostics, context);
        }
        for (Object raw : expected) {
            Map<String, Object> want = Json.asObject(raw);
            assertTrue(diagnostics.stream().anyMatch(d -> d.code().equals(want.get("code")) && d.location().equals(want.get("location"))),
                    "missing " + want + " in " + context);
        }
        diagnostics.forEach(d -> assertTrue(!d.message().isBlank() && d.severity().equals("ERROR"), context));
    }

    @Test
    void reportsJsonSyntaxErrorsWithPosition() {
        List<Diagnostic> diagnostics = DefinitionValidator.validate("{\"StartAt\": \"A\",\n \"States\": {");
        assertEquals(1, diagnostics.size());
        assertEquals("INVALID_JSON_DESCRIPTION", diagnostics.get(0).code());
        assertTrue(diagnostics.get(0).message().contains("line 2"), diagnostics.get(0).message());
    }

    @Test
    void reportsDuplicateStateNamesInOneObject() {
        List<Diagnostic> diagnostics = DefinitionValidator.validate(
                "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}, \"A\": {\"Type\": \"Succeed\"}}}");
        assertEquals("DUPLICATE_STATE_NAME", diagnostics.get(0).code());
    }

    /** Missing or null values where a field takes one of a few names are reported, not thrown. */
    @Test
    void reportsNullAndMissingEnumeratedValuesWithTheirLocation() {
        List<Diagnostic> diagnostics = DefinitionValidator.validate("""
                {"StartAt": "M", "States": {
                  "M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "S",
                        "States": {"S": {"Type": "Succeed"}}}, "Next": "N"},
                  "N": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": null}, "StartAt": "S2",
                        "States": {"S2": {"Type": "Succeed"}}}, "Next": "T"},
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                        "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": null}], "End": true}}}""");
        List<String> found = diagnostics.stream().map(d -> d.location() + " " + d.message()).toList();
        assertEquals(List.of(
                "/States/M/ItemProcessor/ProcessorConfig/ExecutionType A DISTRIBUTED Map needs ExecutionType STANDARD or EXPRESS",
                "/States/T/Retry/0/JitterStrategy JitterStrategy must be FULL or NONE"), found);
    }

    @Test
    void reportsAnEmptyDefinition() {
        assertEquals("MISSING_DESCRIPTION", DefinitionValidator.validate(" ").get(0).code());
    }
}
