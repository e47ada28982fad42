package dev.wsfanout.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry soak's stable clients: {@link StableClientProcess} JVMs, each holding a share of
 * them, answering which broadcasts their open clients missed and how they kept alive.
 */
final class StableFleet implements AutoCloseable {

    /**
     * What the stable clients did to stay open, summed over the JVMs.
     *
     * @param keepAlivesSent keep-alive messages sent
     * @param open           clients open now
     * @param closed         clients closed, though nothing in the soak closes them
     * @param closeStatuses  of those, how many per status of the gateway's close frame (-1: none came)
     */
    record Status(long keepAlivesSent, int open, int closed, Map<Integer, Integer> closeStatuses) {

        static final Status NONE = new Status(0, 0, 0, Map.of());

        Status plus(Status o) {
            Map<Integer, Integer> statuses = new TreeMap<>(closeStatuses);
            o.closeStatuses.forEach((k, v) -> statuses.merge(k, v, Integer::sum));
            return new Status(keepAlivesSent + o.keepAlivesSent, open + o.open, closed + o.closed, statuses);
        }

        static Status parse(String line) {
            String[] w = line.split(" ");
            if (w.length != 5) {
                throw new IllegalStateException("malformed answer from a client JVM: " + line);
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            if (!w[4].equals("-")) {
                for (String pair : w[4].split(",")) {
                    String[] kv = pair.split(":");
                    statuses.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
                }
            }
            return new Status(Long.parseLong(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]), statuses);
        }
    }

    private final List<ClientJvm> processes;
    private final int size;

    private StableFleet(List<ClientJvm> processes, int size) {
        this.processes = processes;
        this.size = size;
    }

    /** Starts {@code ceil(total / perProcess)} client JVMs and waits until all their clients are open. */
    static StableFleet connect(URI webSocketUri, int total, int perProcess, int parallelHandshakes, Duration keepAlive, long seed,
                               Progress progress) {
        List<ClientJvm> started = new ArrayList<>();
        StableFleet fleet = new StableFleet(started, total);
        try {
            int i = 0;
            for (int left = total; left > 0; left -= perProcess, i++) {
                started.add(ClientJvm.start(StableClientProcess.class, List.of(webSocketUri.toString(),
                        Integer.toString(Math.min(left, perProcess)), Integer.toString(parallelHandshakes),
                        Long.toString(keepAlive.toMillis()), Long.toString(seed * 1_000 + i))));
            }
            for (int j = 0; j < started.size(); j++) {
                String line = started.get(j).await(StableClientProcess.CONNECTED);
                progress.say("stable client JVM %d/%d (pid %d): %s", j + 1, started.size(), started.get(j).pid(), line);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    int size() {
        return size;
    }

    /** Which of {@code broadcastIds} the open clients missed, each JVM waiting up to {@code timeout} for copies on their way. */
    MissedBroadcasts missed(List<String> broadcastIds, Duration timeout) {
        return ClientJvm.askAll(processes, StableClientProcess.MISSED + " " + timeout.toMillis()
                        + (broadcastIds.isEmpty() ? "" : " " + String.join(",", broadcastIds)),
                StableClientProcess.MISSED, MissedBroadcasts::parse, MissedBroadcasts.NONE, MissedBroadcasts::plus);
    }

    Status status() {
        return ClientJvm.askAll(processes, StableClientProcess.STATUS, StableClientProcess.STATUS, Status::parse, Status.NONE,
                Status::plus);
    }

    @Override
    public void close() {
        ClientJvm.exitAll(processes);
    }
}
