package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BenchReportTest {
  private static final long SMALL = 256L << 20;
  private static final long LARGE = 1024L << 20;

  private static RunResult run(int round, String mode, long bytes, double wall, double gbs,
      double rss) {
    return new RunResult(round, mode, "wordcount", (bytes >> 20) + "MiB", bytes, 2, 1, wall,
        gbs, gbs, wall, rss, rss, Double.NaN, 0, 0);
  }

  /** Three rounds at two sizes; the medians are the middle runs, listed first here. */
  private static List<RunResult> results() {
    List<RunResult> r = new ArrayList<>();
    double[][] spread = {{1, 0}, {2, -5}, {3, +7}};
    for (double[] s : spread) {
      int round = (int) s[0];
      double d = s[1];
      r.add(run(round, "local", SMALL, 40 + d, Double.NaN, Double.NaN));
      r.add(run(round, "yarn", SMALL, 100 + d, 50 + d, 400 + d));
      r.add(run(round, "faas-pmem", SMALL, 20 + d, 20 + d, 280 + d));
      r.add(run(round, "local", LARGE, 160 + d, Double.NaN, Double.NaN));
      r.add(run(round, "yarn", LARGE, 300 + d, 200 + d, 420 + d));
      r.add(run(round, "faas-pmem", LARGE, 96 + d, 110 + d, 350 + d));
    }
    return r;
  }

  @Test
  void mediansPerSizeAndFrameworkSmallestSizeFirst() {
    Map<Long, Map<String, BenchReport.Cell>> cells = new BenchReport(results())
        .cells("wordcount");
    assertEquals(List.of(SMALL, LARGE), new ArrayList<>(cells.keySet()));
    BenchReport.Cell faas = cells.get(LARGE).get("faas-pmem");
    assertEquals(3, faas.runs().size());
    assertEquals(96.0, faas.wall());
    assertEquals(110.0, faas.gbs());
    assertEquals(List.of("local", "yarn", "faas-pmem"),
        new ArrayList<>(cells.get(SMALL).keySet()));
    assertTrue(Double.isNaN(cells.get(SMALL).get("local").gbs()));
  }

  @Test
  void judgesTheTargetsOnTheMedians() {
    List<String> targets = BenchReport.targets(new BenchReport(results()).cells("wordcount"));
    assertEquals(List.of(
        // 96/160 = 0.60 at 1024 MiB against 20/40 = 0.50 at 256 MiB: worse at the largest.
        "faas/local at the largest size (1024MiB) 0.60 <= at the smallest (256MiB) 0.50: MISSED",
        "256MiB: yarn/faas wall 5.00 >= 2: met",
        "256MiB: faas/yarn GB-s 0.40 <= 0.5: met",
        "256MiB: faas/yarn peak RSS per task 0.70 <= 0.75: met",
        "1024MiB: yarn/faas wall 3.13 >= 2: met",
        "1024MiB: faas/yarn GB-s 0.55 <= 0.5: MISSED",
        "1024MiB: faas/yarn peak RSS per task 0.83 <= 0.75: MISSED"), targets);
  }

  @Test
  void printsEveryRunAndTheMediansWithRatios() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BenchReport(results()).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    // 18 runs, each on a line of its own ending in maps/reduces, and 6 median lines.
    assertEquals(18, out.lines().filter(l -> l.matches("\\d+MiB .* 2/1")).count());
    assertEquals(24, out.lines().filter(l -> l.matches("\\d+MiB .*")).count());
    assertTrue(out.contains("1024MiB     faas-pmem     3     96.00    0.60    0.32    110.00"
        + "    0.55"), out);
  }

  @Test
  void plotIsAWellFormedSvgWithALinePerFrameworkThroughTheMedians() throws Exception {
    String svg = new BenchReport(results()).plot("test & plot");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
        svg.getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    NodeList panels = doc.getElementsByTagNameNS("*", "g");
    Map<String, Map<String, List<double[]>>> byPanel = new LinkedHashMap<>();
    for (int i = 0; i < panels.getLength(); i++) {
      Element g = (Element) panels.item(i);
      if (!g.getAttribute("class").equals("series")) {
        continue;
      }
      String panel = ((Element) g.getParentNode()).getAttribute("data-title");
      List<double[]> points = new ArrayList<>();
      NodeList dots = g.getElementsByTagNameNS("*", "circle");
      for (int j = 0; j < dots.getLength(); j++) {
        Element c = (Element) dots.item(j);
        points.add(new double[] {Double.parseDouble(c.getAttribute("data-x")),
            Double.parseDouble(c.getAttribute("data-y"))});
      }
      byPanel.computeIfAbsent(panel, p -> new LinkedHashMap<>()).put(g.getAttribute("data-name"),
          points);
    }
    assertEquals(List.of("wordcount: wall time", "wordcount: GB-seconds"),
        new ArrayList<>(byPanel.keySet()));
    Map<String, List<double[]>> wall = byPanel.get("wordcount: wall time");
    assertEquals(List.of("local", "yarn", "faas-pmem"), new ArrayList<>(wall.keySet()));
    assertEquals(List.of(256.0, 40.0, 1024.0, 160.0), flat(wall.get("local")));
    assertEquals(List.of(256.0, 20.0, 1024.0, 96.0), flat(wall.get("faas-pmem")));
    // local has no GB-s: no line for it.
    Map<String, List<double[]>> gbs = byPanel.get("wordcount: GB-seconds");
    assertEquals(List.of("yarn", "faas-pmem"), new ArrayList<>(gbs.keySet()));
    assertEquals(List.of(256.0, 50.0, 1024.0, 200.0), flat(gbs.get("yarn")));
    assertEquals("test & plot", doc.getElementsByTagNameNS("*", "title").item(0)
        .getTextContent());
  }

  @Test
  void ticksAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(50.0, SvgPlot.tickStep(210));
    assertEquals(0.2, SvgPlot.tickStep(0.9), 1e-12);
    assertEquals(500.0, SvgPlot.tickStep(2048));
    assertEquals(1.0, SvgPlot.tickStep(0));
  }

  private static List<Double> flat(List<double[]> points) {
    List<Double> out = new ArrayList<>();
    points.forEach(p -> {
      out.add(p[0]);
      out.add(p[1]);
    });
    return out;
  }
}
