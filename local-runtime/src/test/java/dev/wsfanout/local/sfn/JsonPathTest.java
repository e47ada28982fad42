package dev.wsfanout.local.sfn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSONPath subset of the AWS developer guide's "Paths" page: reference paths, and wildcards/slices/filters/deep scan yielding arrays. */
class JsonPathTest {

    private static final Object DOC = Json.parse("""
            {"a": {"b": [10, 20, 30], "c d": "spaced"}, "items": [{"id": 1, "tags": ["x"]}, {"id": 2, "tags": ["y", "z"]}]}""", "doc");

    private static Object read(String path) throws JsonPath.NotFound {
        return JsonPath.parse(path).read(DOC);
    }

    @Test
    void readsReferencePaths() throws JsonPath.NotFound {
        assertEquals(DOC, read("$"));
        assertEquals(20L, read("$.a.b[1]"));
        assertEquals(30L, read("$.a.b[-1]"));
        assertEquals("spaced", read("$.a['c d']"));
    }

    @Test
    void indefinitePathsYieldArrays() throws JsonPath.NotFound {
        assertEquals(List.of(1L, 2L), read("$.items[*].id"));
        assertEquals(List.of(10L, 20L), read("$.a.b[0:2]"));
        assertEquals(List.of(1L, 2L), read("$..id"));
        assertEquals(List.of(List.of("x"), List.of("y", "z")), read("$.items.*.tags"));
    }

    @Test
    void aMissingReferencePathIsNotFound() {
        JsonPath.NotFound e = assertThrows(JsonPath.NotFound.class, () -> read("$.a.missing"));
        assertTrue(e.getMessage().contains("$.a.missing"), e.getMessage());
        assertThrows(JsonPath.NotFound.class, () -> read("$.a.b[7]"));
    }

    @Test
    void writesCreateMissingObjectsWithoutTouchingTheOriginal() throws JsonPath.NotFound {
        Object written = JsonPath.parse("$.x.y").write(DOC, "new");
        assertEquals(Map.of("y", "new"), Json.asObject(written).get("x"));
        assertEquals(Json.asObject(DOC).get("a"), Json.asObject(written).get("a"));
        assertTrue(!Json.asObject(DOC).containsKey("x"));
        assertEquals(List.of(10L, "n", 30L), ((Map<?, ?>) Json.asObject(JsonPath.parse("$.a.b[1]").write(DOC, "n")).get("a")).get("b"));
    }

    @Test
    void writingThroughANonObjectFails() {
        assertThrows(JsonPath.NotFound.class, () -> JsonPath.parse("$.a.b.c").write(DOC, 1));
    }

    @Test
    void rejectsMalformedPathsByPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("$.a[1"));
        assertTrue(e.getMessage().contains("unclosed '['"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a.b"));
        IllegalArgumentException filter = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("$.items[?(@.id =~ /x/)]"));
        assertTrue(filter.getMessage().contains("unsupported filter"), filter.getMessage());
    }

    @Test
    void filtersSelectMatchingElements() throws JsonPath.NotFound {
        assertEquals(List.of(2L), read("$.items[?(@.id > 1)].id"));
        assertEquals(List.of(1L), read("$.items[?(@.id == 1)].id"));
        assertEquals(List.of(Json.parse("{\"id\": 2, \"tags\": [\"y\", \"z\"]}", "x")), read("$.items[?(@.tags[1])]"));
        assertEquals(List.of(), read("$.items[?(@.missing)]"));
        assertEquals(List.of(1L), read("$.items[?(@.tags[0] == 'x')].id"));
    }
}
