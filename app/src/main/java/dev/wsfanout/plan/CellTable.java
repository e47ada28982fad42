package dev.wsfanout.plan;

import java.util.List;
import java.util.Locale;

/** One row per cell count for the same broadcast: how many cells it takes to reach a time. */
final class CellTable {

    private CellTable() {
    }

    static String render(SimulationParameters parameters, List<CellPlan> plans) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%,d connections; per cell (account and Region): API Gateway %,.0f RPS (burst %,d), Lambda concurrency %,d%n",
                parameters.connections(), parameters.rps(), parameters.burst(), parameters.lambdaConcurrency()));
        out.append(String.format(Locale.ROOT, "  %5s  %12s  %12s  %16s  %16s  %8s%n",
                "cells", "per cell", "completion", "floor per cell", "deliveries/s", "speed-up"));
        double first = plans.get(0).completionSeconds();
        for (CellPlan plan : plans) {
            out.append(String.format(Locale.ROOT, "  %5d  %,12d  %12s  %14.1f s  %,16.0f  %7.2fx%n",
                    plan.cells(), plan.connectionsPerCell(),
                    plan.finished() ? String.format(Locale.ROOT, "%.1f s", plan.completionSeconds()) : "unfinished",
                    plan.quotaFloorSeconds(), plan.finished() ? plan.deliveriesPerSecond() : 0,
                    plan.finished() ? first / plan.completionSeconds() : 0));
        }
        return out.toString();
    }
}
