package dev.wsfanout.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The guarantee's check, one connection at a time: every connection that was open throughout
 * (not ended by the run, still open at the end) must have received the broadcast; extra copies
 * are counted for every connection, open or not.
 */
final class ClientReceipts {

    /** How many missed virtual connection ids the report names, to look up in the ledger. */
    private static final int NAMED = 20;

    private int connections;
    private int openThroughout;
    private int missedSockets;
    private int missedVirtual;
    private int closedOnTheirOwn;
    private int reached;
    private int reachedThenEnded;
    private long extraCopies;
    private int maxCopies;
    private final List<String> missedVirtualIds = new ArrayList<>();

    /** A real socket: whether the run closed it, whether it is still open, how many copies its client got. */
    void socket(boolean closedByRun, boolean openAtEnd, int copies) {
        count(closedByRun, copies);
        if (!closedByRun && !openAtEnd) {
            closedOnTheirOwn++;
        } else if (!closedByRun) {
            openThroughout++;
            if (copies == 0) {
                missedSockets++;
            }
        }
    }

    /** A virtual connection (nothing but the run ends one). */
    void virtual(String connectionId, boolean endedByRun, int copies) {
        count(endedByRun, copies);
        if (!endedByRun) {
            openThroughout++;
            if (copies == 0) {
                missedVirtual++;
                if (missedVirtualIds.size() < NAMED) {
                    missedVirtualIds.add(connectionId);
                }
            }
        }
    }

    private void count(boolean ended, int copies) {
        connections++;
        if (copies > 0) {
            reached++;
            if (ended) {
                reachedThenEnded++;
            }
        }
        extraCopies += Math.max(0, copies - 1);
        maxCopies = Math.max(maxCopies, copies);
    }

    int connections() {
        return connections;
    }

    int openThroughout() {
        return openThroughout;
    }

    /** Open throughout and not one copy: must be 0. */
    int missed() {
        return missedSockets + missedVirtual;
    }

    int missedSockets() {
        return missedSockets;
    }

    int missedVirtual() {
        return missedVirtual;
    }

    /** The first few missed virtual connections' ids. */
    List<String> missedVirtualIds() {
        return List.copyOf(missedVirtualIds);
    }

    /** Real sockets that closed although the run did not close them: not open throughout, and not expected. */
    int closedOnTheirOwn() {
        return closedOnTheirOwn;
    }

    /** Connections with at least one copy, open or not. */
    int reached() {
        return reached;
    }

    /** Of {@link #reached}, the ones the run ended (their copy came before the end). */
    int reachedThenEnded() {
        return reachedThenEnded;
    }

    long extraCopies() {
        return extraCopies;
    }

    int maxCopies() {
        return maxCopies;
    }
}
