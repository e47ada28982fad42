package dev.wsfanout.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The report's PNG plots, drawn headless with JFreeChart. */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private Charts() {
    }

    /** Fraction of clients that had the message by each latency, one line per design (sorted latencies in ms). */
    public static void latencyCdf(Map<String, long[]> sortedLatenciesByDesign, Path png) {
        XYSeriesCollection data = new XYSeriesCollection();
        sortedLatenciesByDesign.forEach((design, latencies) -> {
            XYSeries series = new XYSeries(design);
            int step = Math.max(1, latencies.length / 400);
            for (int i = 0; i < latencies.length; i += step) {
                series.add(latencies[i] / 1000.0, (i + 1.0) / latencies.length);
            }
            if (latencies.length > 0) {
                series.add(latencies[latencies.length - 1] / 1000.0, 1.0);
            }
            data.addSeries(series);
        });
        save(ChartFactory.createXYLineChart("Receipt latency after the start call (real sockets)",
                "seconds after the start call", "fraction of clients that received it", data,
                PlotOrientation.VERTICAL, true, false, false), png);
    }

    /** Deliveries so far against seconds since the start, one line per run (its samples and start time). */
    public static void deliveriesOverTime(Map<String, DesignRun> runsByLabel, String title, Path png) {
        XYSeriesCollection data = new XYSeriesCollection();
        runsByLabel.forEach((label, run) -> {
            XYSeries series = new XYSeries(label);
            series.add(0, 0);
            for (DeliverySample s : run.samples()) {
                series.add((s.atMillis() - run.startMillis()) / 1000.0, s.delivered());
            }
            data.addSeries(series);
        });
        save(ChartFactory.createXYLineChart(title, "seconds after the start call", "messages delivered (gateway count)", data,
                PlotOrientation.VERTICAL, true, false, false), png);
    }

    private static void save(JFreeChart chart, Path png) {
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + png, e);
        }
    }
}
