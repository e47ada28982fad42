package dev.wsfanout.cli;

import dev.wsfanout.clients.WebSocketSwarm;

import java.util.ArrayList;
import java.util.List;

/**
 * What the demo's clients received of one broadcast: how many got it once, not at all, or more
 * than once, and each first copy's latency from the start.
 */
record SwarmReceipts(int exactlyOnce, int missing, int duplicated, List<Long> latencies) {

    static SwarmReceipts of(List<WebSocketSwarm.Client> clients, String broadcastId, long startedAtMillis) {
        int exactlyOnce = 0;
        int missing = 0;
        int duplicated = 0;
        List<Long> latencies = new ArrayList<>();
        for (WebSocketSwarm.Client client : clients) {
            List<Long> receipts = List.copyOf(client.receipts(broadcastId));
            if (receipts.isEmpty()) {
                missing++;
                continue;
            }
            if (receipts.size() == 1) {
                exactlyOnce++;
            } else {
                duplicated++;
            }
            latencies.add(receipts.get(0) - startedAtMillis);
        }
        return new SwarmReceipts(exactlyOnce, missing, duplicated, List.copyOf(latencies));
    }
}
