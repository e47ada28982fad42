package dev.wsfanout.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MachineCpuTest {

    @Test
    void idleCountsIowaitAndTotalLeavesOutGuestTimeAlreadyInUser() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertArrayEquals(new long[] {100 + 2 + 30 + 500 + 8 + 1 + 4 + 5, 500 + 8},
                MachineCpu.parse("cpu  100 2 30 500 8 1 4 5 60 0"));
        assertArrayEquals(new long[] {10 + 20 + 30 + 40, 40}, MachineCpu.parse("cpu 10 20 30 40"));
    }

    @Test
    void onlyTheMachinesLineIsRead() {
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("cpu0 100 2 30 500 8 1 4 5 60 0"));
    }
}
