package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.gateway.VirtualDeliveryListener;
import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What each virtual connection received of one broadcast, heard from the gateway
 * (LocalDeploymentOptions.virtualDeliveries): virtual connections have no client of their own to ask,
 * and the gateway's counters give only the total, which cannot tell a missed connection from a
 * duplicated one.
 */
final class VirtualReceipts implements VirtualDeliveryListener {

    private final String broadcastId;
    private final Map<String, AtomicInteger> copiesByConnection = new ConcurrentHashMap<>();
    private final LongAccumulator lastFirstCopyMillis = new LongAccumulator(Math::max, -1);

    VirtualReceipts(String broadcastId) {
        this.broadcastId = broadcastId;
    }

    @Override
    public void delivered(String connectionId, byte[] utf8Text) {
        if (broadcastId.equals(broadcastIdOf(utf8Text))) {
            if (copiesByConnection.computeIfAbsent(connectionId, id -> new AtomicInteger()).incrementAndGet() == 1) {
                lastFirstCopyMillis.accumulate(System.currentTimeMillis());
            }
        }
    }

    int copies(String connectionId) {
        AtomicInteger copies = copiesByConnection.get(connectionId);
        return copies == null ? 0 : copies.get();
    }

    /** Connections that received at least one copy. */
    int reached() {
        return copiesByConnection.size();
    }

    /** Epoch ms at which the last virtual connection to be reached got its first copy, or -1. */
    long lastFirstCopyMillis() {
        return lastFirstCopyMillis.get();
    }

    /** The envelope's broadcast id, or null for a message that is not an envelope. */
    static String broadcastIdOf(byte[] utf8Text) {
        try {
            JsonNode envelope = JsonCodec.mapper().readTree(utf8Text);
            JsonNode id = envelope == null ? null : envelope.get("broadcastId");
            return id == null ? null : id.asText();
        } catch (IOException notAnEnvelope) {
            return null;
        }
    }
}
