package dev.wsfanout.local.gateway;

import java.util.Random;

/**
 * API Gateway delivers $disconnect on a best-effort basis: this drops a fraction of them, so the
 * sweeper's repair of the rows they leave can be tested. Seeded, so a run can be repeated.
 */
final class DisconnectDrops {

    static final DisconnectDrops NONE = new DisconnectDrops(0, 0);

    private final double fraction;
    private final Random random;

    DisconnectDrops(double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("droppedDisconnects: fraction must be in [0, 1], was " + fraction);
        }
        this.fraction = fraction;
        this.random = new Random(seed);
    }

    synchronized boolean drop() {
        return fraction > 0 && random.nextDouble() < fraction;
    }
}
