package dev.wsfanout.local.sqs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqsBatchResponseReaderTest {

    private static final Set<String> BATCH = Set.of("a", "b", "c");

    @ParameterizedTest(name = "{0} -> failed [{1}]")
    @CsvSource(delimiter = '|', value = {
            // every message succeeded
            "''                                                           | ''",
            "null                                                         | ''",
            "{}                                                           | ''",
            "{\"batchItemFailures\":null}                                 | ''",
            "{\"batchItemFailures\":[]}                                   | ''",
            "\"a string\"                                                 | ''",
            // exactly the listed messages failed
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}         | b",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"a\"},{\"itemIdentifier\":\"c\"}]} | a c",
            // Lambda rejects the response and retries the whole batch
            "not json                                                     | a b c",
            "{\"batchItemFailures\":{\"itemIdentifier\":\"b\"}}           | a b c",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}          | a b c",
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}          | a b c",
            "{\"batchItemFailures\":[{\"itemId\":\"b\"}]}                 | a b c",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"},{\"itemIdentifier\":\"zzz\"}]} | a b c",
    })
    void readsTheResponseAsLambdaDoes(String response, String failed) {
        Set<String> expected = failed.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(failed.split(" ")));
        assertEquals(expected, SqsBatchResponseReader.failedMessageIds(response.getBytes(StandardCharsets.UTF_8), BATCH));
    }
}
