package dev.wsfanout.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON mapping of wsfanout's records. Unknown fields are rejected: a field nobody reads is
 * more often a typo than an extension, and a silent drop would hide it.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(type.getSimpleName(), e.getOriginalMessage());
        }
    }

    public static <T> T read(InputStream json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(type.getSimpleName(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException("JSON", e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static void write(Object value, OutputStream out) {
        try {
            MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTF-8 size of the compact JSON form: what the limits of SQS and API Gateway count. */
    public static int utf8Size(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Thrown for JSON that does not parse or does not fit the record it should become. */
    public static final class MalformedJsonException extends IllegalArgumentException {
        public MalformedJsonException(String what, String detail) {
            super("malformed " + what + ": " + detail);
        }
    }
}
