package org.crtrmotion.simulations.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The evaluation's PNG charts, drawn by JFreeChart without a display: downtime, total time and
 * bytes per cell and strategy (medians of committed runs), and the model's downtime against the
 * measured one.
 */
final class Charts {
  private Charts() {}

  static final List<String> FILES =
      List.of("downtime.png", "total-time.png", "bytes.png", "model-vs-measured.png");

  private static final int WIDTH = 1200;
  private static final int HEIGHT = 700;

  static void write(EvaluationResult result, Path dir) {
    // Before any AWT class loads: the charts are drawn into images, never onto a screen.
    System.setProperty("java.awt.headless", "true");
    List<CellSummary> cells = result.cells();
    save(
        bars("Downtime (median, committed runs)", "ms", cells, Metric.DOWNTIME_MS, result),
        dir.resolve(FILES.get(0)));
    save(
        bars("Total migration time (median, committed runs)", "ms", cells, Metric.TOTAL_MS, result),
        dir.resolve(FILES.get(1)));
    save(
        bars(
            "Bytes transferred (median, committed runs)",
            "bytes",
            cells,
            Metric.BYTES_TOTAL,
            result),
        dir.resolve(FILES.get(2)));
    save(modelVsMeasured(result), dir.resolve(FILES.get(3)));
  }

  private static JFreeChart bars(
      String title, String unit, List<CellSummary> cells, Metric metric, EvaluationResult result) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (CellSummary c : cells) {
      double v = c.median(metric);
      data.addValue(Double.isNaN(v) ? null : v, c.cell().strategy().cliName(), category(c.cell()));
    }
    for (BaselineRun b : result.baselineRuns()) {
      if (b.result() == null || b.repetition() != 1) {
        continue;
      }
      double v =
          switch (metric) {
            case DOWNTIME_MS -> b.result().downtimeMillis();
            case TOTAL_MS -> b.result().totalTimeMillis();
            case BYTES_TOTAL -> b.result().transferredBytes();
            default -> Double.NaN;
          };
      if (!Double.isNaN(v)) {
        data.addValue(v, b.baseline(), b.workload() + " " + b.link().label() + " no quota");
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            "workload, link, quota",
            unit,
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    return chart;
  }

  private static String category(RunSpec.Cell cell) {
    return cell.workload() + " " + cell.link().label() + (cell.quota() ? " quota" : " no quota");
  }

  private static JFreeChart modelVsMeasured(EvaluationResult result) {
    XYSeriesCollection data = new XYSeriesCollection();
    double top = 1;
    for (var strategy : result.plan().strategies()) {
      XYSeries series = new XYSeries(strategy.cliName() + " runs");
      for (RunResult r : result.runs()) {
        if (r.spec().strategy() != strategy || !r.committed() || r.prediction().isEmpty()) {
          continue;
        }
        double measured = Metric.DOWNTIME_MS.of(r);
        double model = r.prediction().get().downtimeMillis();
        series.add(measured, model);
        top = Math.max(top, Math.max(measured, model));
      }
      data.addSeries(series);
    }
    XYSeries diagonal = new XYSeries("model = measured");
    diagonal.add(0, 0);
    diagonal.add(top, top);
    data.addSeries(diagonal);
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            "Downtime: the convergence model against the measure, per run",
            "measured downtime, ms",
            "model's downtime, ms",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    int last = data.getSeriesCount() - 1;
    renderer.setSeriesLinesVisible(last, true);
    renderer.setSeriesShapesVisible(last, false);
    plot.setRenderer(renderer);
    return chart;
  }

  private static void save(JFreeChart chart, Path file) {
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
