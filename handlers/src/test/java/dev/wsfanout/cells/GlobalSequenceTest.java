package dev.wsfanout.cells;

import dev.wsfanout.model.StreamHistory;
import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cross-cell numbers, claimed in a real history table (dynalite). */
@ExtendWith(DynaliteExtension.class)
class GlobalSequenceTest {

    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

    private RegistryFixture tables;
    private GlobalSequence sequence;

    @BeforeEach
    void freshTables(@DynamoEndpoint URI dynamo) {
        tables = RegistryFixture.create(dynamo, Map.of());
        sequence = new GlobalSequence(tables.dynamo(), tables.config().historyTable());
    }

    @Test
    void broadcastsGetConsecutiveNumbersFromAnEmptyHistory() {
        assertEquals(1, sequence.next());
        assertEquals(1, sequence.claimFrom(sequence.next(), "a", START));
        assertEquals(2, sequence.claimFrom(sequence.next(), "b", START));
        assertEquals(3, sequence.next());
        assertEquals(Map.of(1L, "a", 2L, "b"), entries());
    }

    /** A retried claim (its first answer lost) scans from where its first try did, so it finds its own number, not a second one. */
    @Test
    void aRetryFromTheSameStartFindsItsOwnClaimEvenAfterLaterOnes() {
        long from = sequence.next();
        assertEquals(1, sequence.claimFrom(from, "a", START));
        assertEquals(2, sequence.claimFrom(sequence.next(), "b", START));

        assertEquals(1, sequence.claimFrom(from, "a", START));

        assertEquals(Map.of(1L, "a", 2L, "b"), entries(), "no hole, no second number");
        assertEquals(3, sequence.next(), "the head did not move back");
    }

    @Test
    void aStaleStartMovesOnPastTheTakenNumbers() {
        sequence.claimFrom(1, "a", START);
        sequence.claimFrom(2, "b", START);

        assertEquals(3, sequence.claimFrom(1, "c", START));
    }

    @Test
    void aRerunTakesExactlyItsOwnNumberAndNoOneElses() {
        sequence.claimFrom(1, "a", START);
        sequence.claimFrom(2, "b", START);

        assertEquals(1, sequence.claimExactly(1, "a", START));
        SequenceTakenException taken = assertThrows(SequenceTakenException.class, () -> sequence.claimExactly(2, "a", START));
        assertTrue(taken.getMessage().contains("sequence number 2 belongs to another broadcast than a"), taken.getMessage());
        assertEquals(Map.of(1L, "a", 2L, "b"), entries());
    }

    private Map<Long, String> entries() {
        Map<Long, String> entries = new TreeMap<>();
        tables.dynamo().query(r -> r.tableName(tables.config().historyTable()).consistentRead(true)
                        .keyConditionExpression("#s = :s AND #n > :head")
                        .expressionAttributeNames(Map.of("#s", StreamHistory.STREAM, "#n", StreamHistory.SEQ))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                                ":head", AttributeValue.fromN(Long.toString(StreamHistory.HEAD_SEQ)))))
                .items().forEach(item -> entries.put(Long.parseLong(item.get(StreamHistory.SEQ).n()), item.get(StreamHistory.BROADCAST_ID).s()));
        return entries;
    }
}
