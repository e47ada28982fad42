package dev.wsfanout.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefinitionSubstitutionsTest {

    @Test
    void fillsEveryPlaceholder() {
        assertEquals("{\"T\": \"tbl\", \"N\": 25, \"again\": \"tbl\"}",
                DefinitionSubstitutions.apply("{\"T\": \"${Table}\", \"N\": ${Count}, \"again\": \"${Table}\"}", Map.of("Table", "tbl", "Count", "25")));
    }

    @Test
    void valuesAreInsertedLiterally() {
        assertEquals("a$1\\b", DefinitionSubstitutions.apply("${X}", Map.of("X", "a$1\\b")));
    }

    @Test
    void rejectsAPlaceholderWithoutValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefinitionSubstitutions.apply("${Table} ${Missing}", Map.of("Table", "t")));
        assertTrue(e.getMessage().contains("the file uses [Missing], which are not supplied"), e.getMessage());
    }

    @Test
    void rejectsAValueWithoutPlaceholder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefinitionSubstitutions.apply("${Table}", Map.of("Table", "t", "Extra", "x")));
        assertTrue(e.getMessage().contains("[Extra] are supplied but the file does not use them"), e.getMessage());
    }
}
