package dev.assay.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.jobs.explore.HtmlTable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The report's SVG charts: colours, escaping, well-formed XML on odd input, axis geometry,
 * determinism.
 */
@Tag("fast")
class SvgTest {
  private static final String HOSTILE = "<script>alert(\"x\")</script> & 'q'";
  private static final String HOSTILE_ESCAPED =
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
  private static final double NAN = Double.NaN;

  private static List<String> days(int n) {
    List<String> days = new ArrayList<>();
    for (int d = 1; d <= n; d++) days.add(String.format("2026-11-%02d", d));
    return days;
  }

  private static LinkedHashMap<String, double[]> series(String name, double... values) {
    LinkedHashMap<String, double[]> s = new LinkedHashMap<>();
    s.put(name, values);
    return s;
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName(), svg);
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    assertTrue(root.getAttribute("viewBox").startsWith("0 0 "), svg);
    assertEquals("title", firstChildElement(root).getTagName(), "the <title> comes first");
    return doc;
  }

  private static Element firstChildElement(Element e) {
    for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) return child;
    }
    throw new AssertionError("no child element in " + e.getTagName());
  }

  private static List<Element> elements(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    List<Element> list = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) list.add((Element) nodes.item(i));
    return list;
  }

  /** Tooltip text of every verdict cell -> its fill colour. */
  private static Map<String, String> cells(Document doc) {
    Map<String, String> cells = new HashMap<>();
    for (Element rect : elements(doc, "rect")) {
      NodeList titles = rect.getElementsByTagName("title");
      if (titles.getLength() > 0)
        cells.put(titles.item(0).getTextContent(), rect.getAttribute("fill"));
    }
    return cells;
  }

  @Test
  void verdictStripColoursEachPartitionByItsVerdict() throws Exception {
    List<String> parts = days(17);
    List<String> verdicts = new ArrayList<>();
    for (int d = 1; d <= 17; d++) {
      verdicts.add(
          d == 9 || d == 11 || d >= 13 ? "FAIL" : d == 10 ? "WARN" : d == 3 ? null : "PASS");
    }
    String svg = Svg.verdictStrip("Verdicts", parts, verdicts);
    Map<String, String> cells = cells(parse(svg));
    assertEquals(17, cells.size());
    assertEquals("#c62828", cells.get("2026-11-09: FAIL"));
    assertEquals("#f9a825", cells.get("2026-11-10: WARN"));
    assertEquals("#2e7d32", cells.get("2026-11-12: PASS"));
    assertEquals("#bdbdbd", cells.get("2026-11-03: no verdict"));
    assertEquals(7, cells.values().stream().filter("#c62828"::equals).count());
    assertTrue(svg.contains(">2026-11-17</text>"), "partition labels under the cells");
  }

  @Test
  void manyPartitionsAreLabelledSparselyButTheLastAlways() throws Exception {
    List<String> parts = new ArrayList<>(), verdicts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      parts.add("p" + i);
      verdicts.add("PASS");
    }
    Document doc = parse(Svg.verdictStrip("many", parts, verdicts));
    List<String> labels =
        elements(doc, "text").stream()
            .map(Element::getTextContent)
            .filter(t -> t.matches("p\\d+"))
            .toList();
    assertTrue(labels.contains("p399"), "the last partition is labelled");
    assertTrue(labels.size() > 20 && labels.size() < 100, "thinned labels: " + labels.size());
    assertEquals(400, cells(doc).size(), "but every partition has its cell");
  }

  @Test
  void hostileTextIsAlwaysEscaped() throws Exception {
    List<String> labels = List.of(HOSTILE, "b");
    List<String> charts =
        List.of(
            Svg.verdictStrip(HOSTILE, labels, List.of("FAIL", HOSTILE)),
            Svg.lineChart(HOSTILE, HOSTILE, labels, series(HOSTILE, 1, 2), 1.5, HOSTILE),
            Svg.pairedBars(
                HOSTILE,
                labels,
                new double[] {0.5, 0.5},
                new double[] {0.4, 0.6},
                HOSTILE,
                HOSTILE),
            Svg.scatter(
                HOSTILE,
                HOSTILE,
                HOSTILE,
                List.of(new Svg.Point(1, 2, HOSTILE, true), new Svg.Point(2, 1, HOSTILE, false))),
            Svg.verdictStrip(HOSTILE, List.of(), List.of()));
    for (String svg : charts) {
      assertFalse(svg.contains("<script"), svg);
      assertFalse(svg.contains("href"), svg);
      assertFalse(svg.contains("@import"), svg);
      assertTrue(svg.contains("aria-label=\"" + HOSTILE_ESCAPED + "\""), svg);
      assertTrue(svg.contains("<title>" + HOSTILE_ESCAPED + "</title>"), svg);
      parse(svg);
    }
    assertEquals(HOSTILE_ESCAPED, HtmlTable.escape(HOSTILE));
    assertEquals("", HtmlTable.escape(null));
    assertEquals("a\ufffdb", HtmlTable.escape("a\u0001b"), "characters XML forbids are replaced");
  }

  @Test
  void everyChartIsWellFormedOnOddInput() throws Exception {
    double inf = Double.POSITIVE_INFINITY;
    List<String> charts =
        List.of(
            Svg.verdictStrip("empty", List.of(), List.of()),
            Svg.verdictStrip("one", List.of("2026-11-01"), List.of("PASS")),
            Svg.lineChart("empty", "y", List.of(), new LinkedHashMap<>(), NAN, null),
            Svg.lineChart("no series", "y", days(3), new LinkedHashMap<>(), 0.25, "fail"),
            Svg.lineChart("nan only", "y", days(3), series("s", NAN, NAN, NAN), NAN, null),
            Svg.lineChart("single point", "y", days(1), series("s", 5), NAN, null),
            Svg.lineChart("equal values", "y", days(4), series("s", 3, 3, 3, 3), NAN, ""),
            Svg.lineChart("all zero", "y", days(3), series("s", 0, 0, 0), NAN, ""),
            Svg.lineChart(
                "negative", "y", days(5), series("s", -3, -1, -inf, -2, inf), -2.5, "floor"),
            Svg.lineChart("huge", "y", days(2), series("s", 1e9, 3e9), NAN, ""),
            Svg.pairedBars("empty", List.of(), new double[0], new double[0], "c", "b"),
            Svg.pairedBars(
                "zeros and nan",
                List.of("a", "b"),
                new double[] {0, NAN},
                new double[] {0, inf},
                "c",
                "b"),
            Svg.pairedBars("one", List.of("a"), new double[] {1}, new double[] {1}, "c", "b"),
            Svg.scatter("empty", "x", "y", List.of()),
            Svg.scatter(
                "no finite point",
                "x",
                "y",
                List.of(new Svg.Point(NAN, 1, "a", true), new Svg.Point(1, inf, "b", false))),
            Svg.scatter("single", "x", "y", List.of(new Svg.Point(2, 2, "a", true))),
            Svg.scatter(
                "equal",
                "x",
                "y",
                List.of(new Svg.Point(2, 2, "a", true), new Svg.Point(2, 2, "b", false))),
            Svg.scatter(
                "negative",
                "x",
                "y",
                List.of(
                    new Svg.Point(-5, -0.001, "a", false), new Svg.Point(-1, -0.002, "b", true))));
    for (String svg : charts) {
      parse(svg);
      assertFalse(
          svg.contains("NaN") || svg.contains("Infinity"), "no non-finite coordinate in " + svg);
      assertTrue(svg.contains("font-family=\"sans-serif\""));
      assertTrue(svg.contains("width=\"100%\"") && svg.contains("style=\"max-width:"));
    }
    assertTrue(charts.get(0).contains(">no data</text>"));
    assertTrue(charts.get(14).contains("no data (2 points without a score)"), charts.get(14));
  }

  @Test
  void thresholdLineIsDrawnAtItsValueOnTheYAxis() throws Exception {
    double[] age = new double[17];
    Arrays.fill(age, 0.05);
    age[8] = 8;
    LinkedHashMap<String, double[]> s = series("age", age);
    s.put("education-num", new double[17]);
    Document doc = parse(Svg.lineChart("PSI", "PSI", days(17), s, 0.25, "fail"));
    double[] ticks = Svg.niceTicks(0, 8);
    List<Element> grid =
        elements(doc, "line").stream().filter(l -> "grid".equals(l.getAttribute("class"))).toList();
    assertEquals(ticks.length, grid.size(), "one grid line per tick");
    double yLow = Double.parseDouble(grid.get(0).getAttribute("y1"));
    double yHigh = Double.parseDouble(grid.get(grid.size() - 1).getAttribute("y1"));
    assertTrue(yHigh < yLow, "larger values higher up");
    List<Element> dashed =
        elements(doc, "line").stream().filter(l -> l.hasAttribute("stroke-dasharray")).toList();
    assertEquals(1, dashed.size());
    double expected =
        yLow + (yHigh - yLow) * (0.25 - ticks[0]) / (ticks[ticks.length - 1] - ticks[0]);
    assertEquals(expected, Double.parseDouble(dashed.get(0).getAttribute("y1")), 0.11);
    assertEquals("#c62828", dashed.get(0).getAttribute("stroke"));
    assertTrue(
        elements(doc, "text").stream().anyMatch(t -> t.getTextContent().equals("fail 0.25")));

    // a threshold above every value still lies inside the axis range
    Document low =
        parse(Svg.lineChart("PSI", "PSI", days(3), series("a", 0.01, 0.02, 0.03), 0.25, "fail"));
    List<Element> lowGrid =
        elements(low, "line").stream().filter(l -> "grid".equals(l.getAttribute("class"))).toList();
    double top = Double.parseDouble(lowGrid.get(lowGrid.size() - 1).getAttribute("y1"));
    double line =
        Double.parseDouble(
            elements(low, "line").stream()
                .filter(l -> l.hasAttribute("stroke-dasharray"))
                .findFirst()
                .orElseThrow()
                .getAttribute("y1"));
    assertTrue(line >= top - 0.01, "threshold " + line + " below the top tick " + top);
    assertFalse(
        Svg.lineChart("x", "y", days(3), series("a", 1, 2, 3), NAN, "fail")
            .contains("stroke-dasharray"));
  }

  @Test
  void missingValuesBreakTheLine() throws Exception {
    Document doc = parse(Svg.lineChart("gaps", "y", days(4), series("s", 1, NAN, 2, 3), NAN, ""));
    List<Element> paths = elements(doc, "path");
    assertEquals(1, paths.size());
    String d = paths.get(0).getAttribute("d");
    assertEquals(2, d.chars().filter(c -> c == 'M').count(), d);
    assertEquals(1, d.chars().filter(c -> c == 'L').count(), d);
    assertEquals(3, elements(doc, "circle").size(), "every finite value drawn as a point");
  }

  @Test
  void pairedBarsShowPercentAndTruncateLongLabels() throws Exception {
    String label = "Self-emp-inc-and-a-very-long-name";
    String svg =
        Svg.pairedBars(
            "workclass",
            List.of("Private", label),
            new double[] {0.6, 0.4},
            new double[] {0.7, 0.3},
            "current",
            "baseline");
    Document doc = parse(svg);
    assertTrue(svg.contains("<title>" + label + "</title>Self-emp-inc-and-a&#8230;"), svg);
    assertTrue(svg.contains(">0%</text>") && svg.contains(">60%</text>"), svg);
    assertEquals("#d84315", cells(doc).get("Private, current: 60%"));
    assertEquals("#546e7a", cells(doc).get("Private, baseline: 70%"));
    assertTrue(svg.contains(">current</text>") && svg.contains(">baseline</text>"), "legend");
  }

  @Test
  void scatterLabelsFlaggedPointsAndCountsTheUnscored() throws Exception {
    List<Svg.Point> points = new ArrayList<>();
    for (int i = 0; i < 10; i++) points.add(new Svg.Point(i * 0.1, -i * 0.1, "c" + i, false));
    points.add(new Svg.Point(6, -5, "evil-client", true));
    points.add(new Svg.Point(NAN, 1, "unscored", false));
    points.add(new Svg.Point(1, Double.NEGATIVE_INFINITY, "unscored2", true));
    String svg = Svg.scatter("clients", "norm z", "cosine z", points);
    Document doc = parse(svg);
    assertEquals(11, elements(doc, "circle").size());
    Element flagged =
        elements(doc, "circle").stream()
            .filter(c -> "#c62828".equals(c.getAttribute("fill")))
            .findFirst()
            .orElseThrow();
    assertEquals("5", flagged.getAttribute("r"));
    assertTrue(
        elements(doc, "text").stream().anyMatch(t -> t.getTextContent().equals("evil-client")));
    assertFalse(
        elements(doc, "text").stream().anyMatch(t -> t.getTextContent().equals("c3")),
        "only flagged labelled");
    assertTrue(svg.contains(">2 points without a score</text>"), svg);
  }

  @Test
  void mismatchedLengthsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Svg.lineChart("t", "y", days(17), series("age", new double[16]), NAN, ""));
    assertTrue(
        e.getMessage().contains("age")
            && e.getMessage().contains("16")
            && e.getMessage().contains("17"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Svg.verdictStrip("t", days(3), List.of("PASS")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Svg.pairedBars(
                "t", List.of("a", "b"), new double[] {0.1}, new double[] {0.1, 0.2}, "c", "b"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Svg.pairedBars(
                "t", List.of("a"), new double[] {0.1}, new double[] {0.1, 0.2}, "c", "b"));
  }

  @Test
  void outputIsDeterministic() {
    List<Svg.Point> points =
        List.of(new Svg.Point(1, 2, "a", true), new Svg.Point(0.3, -1, "b", false));
    LinkedHashMap<String, double[]> s = series("age", 0.1, 8, NAN);
    s.put("hours", new double[] {0.2, 0.1, 0.05});
    assertEquals(
        Svg.lineChart("t", "PSI", days(3), s, 0.25, "fail"),
        Svg.lineChart("t", "PSI", days(3), s, 0.25, "fail"));
    assertEquals(Svg.scatter("t", "x", "y", points), Svg.scatter("t", "x", "y", points));
    assertEquals(
        Svg.verdictStrip("t", days(2), List.of("PASS", "FAIL")),
        Svg.verdictStrip("t", days(2), List.of("PASS", "FAIL")));
    assertEquals(
        Svg.pairedBars("t", List.of("a"), new double[] {0.3}, new double[] {0.5}, "c", "b"),
        Svg.pairedBars("t", List.of("a"), new double[] {0.3}, new double[] {0.5}, "c", "b"));
  }

  @Test
  void niceTicksAreRoundAndCoverTheRange() {
    double[] t = Svg.niceTicks(0, 0.87);
    assertEquals(0, t[0]);
    assertTrue(t[t.length - 1] >= 0.87);
    assertTrue(t.length >= 4 && t.length <= 6, Arrays.toString(t));
    double step = t[1] - t[0];
    double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
    assertTrue(
        Math.abs(mantissa - 1) < 1e-9
            || Math.abs(mantissa - 2) < 1e-9
            || Math.abs(mantissa - 5) < 1e-9,
        "step " + step);
    double[] equal = Svg.niceTicks(5, 5);
    assertTrue(equal[0] <= 5 && equal[equal.length - 1] >= 5 && equal[equal.length - 1] > equal[0]);
    double[] negative = Svg.niceTicks(-3, 1.5);
    assertTrue(
        negative[0] <= -3 && negative[negative.length - 1] >= 1.5, Arrays.toString(negative));
    assertEquals("0.3", Svg.num(0.1 + 0.2));
    assertEquals("1235", Svg.num(1234.5));
    assertEquals("1.2e+07", Svg.num(1.2e7));
    assertEquals("0", Svg.num(-0.0));
  }
}
