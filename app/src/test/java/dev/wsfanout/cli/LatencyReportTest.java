package dev.wsfanout.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyReportTest {

    @Test
    void percentilesAreNearestRankOverTheSortedValues() {
        List<Long> values = new ArrayList<>();
        for (long v = 100; v >= 1; v--) {
            values.add(v);
        }
        LatencyReport report = LatencyReport.of(values);

        assertEquals(50, report.percentile(50));
        assertEquals(95, report.percentile(95));
        assertEquals(99, report.percentile(99));
        assertEquals(100, report.max());
        assertEquals(7, LatencyReport.of(List.of(7L)).percentile(50));
    }

    @Test
    void theHistogramCountsEveryValueOnceAndTheFullestBucketHasTheLongestBar() {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            values.add(1000L);
        }
        values.add(10L);
        values.add(2000L);
        String text = LatencyReport.of(values).format();

        List<String> bars = text.lines().filter(l -> l.contains("|")).toList();
        assertEquals(10, bars.size(), text);
        int total = bars.stream().mapToInt(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals(32, total, text);
        assertTrue(text.contains("|" + "#".repeat(40) + " 30"), text);
    }

    @Test
    void noLatenciesIsAnError() {
        assertThrows(IllegalStateException.class, () -> LatencyReport.of(List.of()).percentile(50));
    }
}
