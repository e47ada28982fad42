package dev.wsfanout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The cells run's figures, the ratio and each cell's deliveries over time, as tables for the terminal. */
final class CellsReport {

    /** The bar for three cells against one (docs/cells.md). */
    static final double TARGET_RATIO = 2.7;
    private static final List<String> HEADER = List.of("broadcast over", "connections", "deliveries", "deliveries/s (first to last)",
            "per cell deliveries/s", "missing", "duplicated", "execution", "machine CPU busy (first to last)");

    private final CellsSize size;
    private final List<CellsRun.Outcome> outcomes;
    private final double runSeconds;

    CellsReport(CellsSize size, List<CellsRun.Outcome> outcomes, double runSeconds) {
        this.size = size;
        this.outcomes = outcomes;
        this.runSeconds = runSeconds;
    }

    double ratio() {
        double one = outcomes.get(0).deliveriesPerSecond();
        return one == 0 ? 0 : outcomes.get(outcomes.size() - 1).deliveriesPerSecond() / one;
    }

    boolean held() {
        return outcomes.stream().allMatch(CellsRun.Outcome::held);
    }

    String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "cells run, size %s: each cell %,d virtual connections + %,d WebSocket clients, "
                        + "its gateway limited to %,d posts/s, %d partitions%n%n", size.name(), size.virtualPerCell(), size.socketsPerCell(),
                size.postsPerSecond(), size.partitions()));
        List<List<String>> rows = new ArrayList<>();
        for (CellsRun.Outcome o : outcomes) {
            List<String> perCell = o.perCell().stream().map(c -> String.format(Locale.ROOT, "%,.0f", c.deliveriesPerSecond())).toList();
            rows.add(List.of(o.cells() + (o.cells() == 1 ? " cell" : " cells"),
                    String.format(Locale.ROOT, "%,d", o.perCell().stream().mapToInt(CellsRun.CellFigures::connections).sum()),
                    String.format(Locale.ROOT, "%,d", o.deliveries()),
                    String.format(Locale.ROOT, "**%,.0f**", o.deliveriesPerSecond()),
                    String.join(" / ", perCell),
                    Integer.toString(o.perCell().stream().mapToInt(CellsRun.CellFigures::missing).sum()),
                    Integer.toString(o.perCell().stream().mapToInt(CellsRun.CellFigures::duplicated).sum()),
                    String.format(Locale.ROOT, "%.1f s", o.executionSeconds()),
                    percent(o.cpuBusy())));
        }
        text.append(MarkdownReport.tableText(HEADER, rows)).append('\n');
        text.append(overTime(outcomes.get(outcomes.size() - 1))).append('\n');
        text.append(String.format(Locale.ROOT, "%d cells deliver %.2f× the deliveries/s of one cell (the bar: %.1f×; each cell at %,d posts/s, "
                        + "so %d× is the quotas' ceiling); whole run %.0f s%n", size.cells(), ratio(), TARGET_RATIO,
                size.postsPerSecond(), size.cells(), runSeconds));
        long exactlyOnce = outcomes.stream().flatMap(o -> o.perCell().stream()).mapToLong(c -> c.connections() - c.missing() - c.duplicated()).sum();
        long connections = outcomes.stream().flatMap(o -> o.perCell().stream()).mapToLong(CellsRun.CellFigures::connections).sum();
        text.append(String.format(Locale.ROOT, "exactly once: %,d of %,d connections over both broadcasts%n", exactlyOnce, connections));
        text.append(held() ? "HELD: every connection of every cell got each broadcast, none more than twice, and the audits' totals match\n"
                : "NOT HELD: a connection missed a broadcast or got it three times, or an audit's total differs (see the table)\n");
        return text.toString();
    }

    /** "87%", or "n/a" where the machine's processors could not be read. */
    static String percent(OptionalDouble fraction) {
        return fraction.isPresent() ? String.format(Locale.ROOT, "%.0f%%", fraction.getAsDouble() * 100) : "n/a";
    }

    /**
     * Each cell's virtual deliveries in each second of the multi-cell broadcast, from the first
     * delivery in any cell, beside how busy the machine was: cells that slow down together while
     * the processors are full share the machine, not a quota.
     */
    private static String overTime(CellsRun.Outcome outcome) {
        List<String> header = new ArrayList<>(List.of("second"));
        outcome.perCell().forEach(c -> header.add(c.cell()));
        header.add("machine CPU busy");
        List<List<String>> rows = new ArrayList<>();
        for (int s = 0; s < outcome.cpuPerSecond().size(); s++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(s + 1)));
            for (CellsRun.CellFigures c : outcome.perCell()) {
                row.add(s < c.perSecond().size() ? String.format(Locale.ROOT, "%,d", c.perSecond().get(s)) : "");
            }
            row.add(percent(outcome.cpuPerSecond().get(s)));
            rows.add(row);
        }
        return MarkdownReport.tableText(header, rows);
    }
}
