package io.marvel.faas.bench;

import java.util.List;
import java.util.Locale;

/**
 * Line charts as one standalone SVG document, written without a library: panels side by side,
 * two a row, each with linear axes from 0, ticks at 1, 2 or 5 × a power of ten, one line with
 * dots per series and a legend. Every dot carries its data ({@code data-x}, {@code data-y}
 * and a {@code <title>} a browser shows on hover), every series its name
 * ({@code <g class="series" data-name=...>}).
 */
final class SvgPlot {
  private static final int PANEL_WIDTH = 480;
  private static final int PANEL_HEIGHT = 320;
  private static final int LEFT = 70;
  private static final int RIGHT = 130;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final int TICKS = 5;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
      "#9467bd", "#8c564b"};

  private SvgPlot() {
  }

  /** @param x input size @param y the figure */
  record Point(double x, double y) {
  }

  /** @param name the framework @param points its points, in any order */
  record Series(String name, List<Point> points) {
  }

  /**
   * @param title what the panel shows
   * @param xLabel the x axis's name and unit
   * @param yLabel the y axis's name and unit
   * @param series one line each
   */
  record Panel(String title, String xLabel, String yLabel, List<Series> series) {
  }

  /**
   * @param title the document's title
   * @param panels the panels, drawn two a row
   * @return the SVG document
   */
  static String render(String title, List<Panel> panels) {
    int columns = Math.min(2, Math.max(1, panels.size()));
    int rows = (panels.size() + 1) / 2;
    int width = columns * PANEL_WIDTH;
    int height = 30 + Math.max(1, rows) * PANEL_HEIGHT;
    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
        width, height, width, height));
    svg.append("<title>").append(escape(title)).append("</title>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n",
        10, escape(title)));
    for (int i = 0; i < panels.size(); i++) {
      panel(svg, panels.get(i), (i % 2) * PANEL_WIDTH, 30 + (i / 2) * PANEL_HEIGHT);
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(StringBuilder svg, Panel panel, int x0, int y0) {
    double maxX = 0;
    double maxY = 0;
    for (Series s : panel.series()) {
      for (Point p : s.points()) {
        maxX = Math.max(maxX, p.x());
        maxY = Math.max(maxY, p.y());
      }
    }
    double stepX = tickStep(maxX);
    double stepY = tickStep(maxY);
    double topX = stepX * Math.ceil(maxX / stepX);
    double topY = stepY * Math.ceil(maxY / stepY);
    int plotW = PANEL_WIDTH - LEFT - RIGHT;
    int plotH = PANEL_HEIGHT - TOP - BOTTOM;
    int left = x0 + LEFT;
    int bottom = y0 + TOP + plotH;
    svg.append(String.format(Locale.ROOT, "<g class=\"panel\" data-title=\"%s\">%n",
        escape(panel.title())));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n",
        left, y0 + 22, escape(panel.title())));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
        + " fill=\"none\" stroke=\"#888\"/>%n", left, y0 + TOP, plotW, plotH));
    for (double t = 0; t <= topX + stepX / 2; t += stepX) {
      double px = left + t / topX * plotW;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
          + " stroke=\"#888\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          px, bottom, px, bottom + 4, px, bottom + 16, label(t)));
    }
    for (double t = 0; t <= topY + stepY / 2; t += stepY) {
      double py = bottom - t / topY * plotH;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
          + " stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          left, py, left + plotW, py, left - 4, py + 4, label(t)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
        + "</text>%n", left + plotW / 2, bottom + 34, escape(panel.xLabel())));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
        + " transform=\"rotate(-90 %d %d)\">%s</text>%n", x0 + 16, y0 + TOP + plotH / 2,
        x0 + 16, y0 + TOP + plotH / 2, escape(panel.yLabel())));
    for (int i = 0; i < panel.series().size(); i++) {
      Series s = panel.series().get(i);
      String color = COLORS[i % COLORS.length];
      List<Point> sorted = s.points().stream()
          .sorted((a, b) -> Double.compare(a.x(), b.x())).toList();
      StringBuilder line = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (Point p : sorted) {
        double px = left + p.x() / topX * plotW;
        double py = bottom - p.y() / topY * plotH;
        line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\""
            + " fill=\"%s\" data-x=\"%s\" data-y=\"%s\"><title>%s: %s, %s</title></circle>%n",
            px, py, color, number(p.x()), number(p.y()), escape(s.name()), label(p.x()),
            label(p.y())));
      }
      svg.append(String.format(Locale.ROOT, "<g class=\"series\" data-name=\"%s\">%n",
          escape(s.name())));
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\""
          + " stroke=\"%s\" stroke-width=\"2\"/>%n", line.toString().trim(), color));
      svg.append(dots);
      int ly = y0 + TOP + 10 + i * 16;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
          + " stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
          left + plotW + 10, ly, left + plotW + 30, ly, color, left + plotW + 34, ly + 4,
          escape(s.name())));
      svg.append("</g>\n");
    }
    svg.append("</g>\n");
  }

  /**
   * @param max the largest value to show
   * @return a tick step of 1, 2 or 5 × a power of ten giving at most {@value #TICKS} steps
   */
  static double tickStep(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double raw = max / TICKS;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= raw) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String label(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
