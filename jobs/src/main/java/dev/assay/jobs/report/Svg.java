package dev.assay.jobs.report;

import static dev.assay.jobs.explore.HtmlTable.escape;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Static inline-SVG charts for the offline HTML report: no scripts, no links, no external fonts,
 * every piece of user text escaped. Plain Java data in, one {@code <svg>} string out; the same
 * input always gives the same string. Non-finite values (NaN, +/-Infinity) are treated as missing.
 */
final class Svg {
  static final String PASS = "#2e7d32", WARN = "#f9a825", FAIL = "#c62828", NO_VERDICT = "#bdbdbd";
  static final String CURRENT = "#d84315", BASELINE = "#546e7a", THRESHOLD = "#c62828";

  /** Okabe-Ito, colour-blind safe (its yellow left out: unreadable on white). */
  static final String[] PALETTE = {
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#999999"
  };

  private static final Map<String, String> VERDICT_COLOURS =
      Map.of("PASS", PASS, "WARN", WARN, "FAIL", FAIL);
  private static final int LEFT = 64, RIGHT = 20, MAX_W = 960, MAX_LABEL = 18;
  private static final double CHAR_W = 6.2; // rough width of one 11 px sans-serif character

  /** A scatter point; {@code flagged} points are drawn red, larger and labelled. */
  record Point(double x, double y, String label, boolean flagged) {}

  /** Linear map from data [lo, hi] to pixels [p0, p1]. */
  private record Scale(double lo, double hi, double p0, double p1) {
    Scale(double[] ticks, double p0, double p1) {
      this(ticks[0], ticks[ticks.length - 1], p0, p1);
    }

    double at(double v) {
      return p0 + (v - lo) / (hi - lo) * (p1 - p0);
    }
  }

  /**
   * How category labels fit under a plot: rotated or not, every stride-th one, the height they
   * take.
   */
  private record XAxis(boolean rotated, int stride, int height) {}

  /** Layout of a category chart: width, slot per category, plot band from top to bottom. */
  private record Frame(int w, double slot, double top, double bottom) {
    double centre(int i) {
      return LEFT + (i + 0.5) * slot;
    }
  }

  private Svg() {}

  /** One cell per partition coloured by verdict, partition labels under the cells. */
  static String verdictStrip(String title, List<String> partitions, List<String> verdicts) {
    int n = size(partitions);
    requireLength("verdictStrip: verdicts", size(verdicts), n, "partitions");
    if (n == 0) return noData(title, "no data");
    StringBuilder b = new StringBuilder();
    Frame fr =
        frame(
            b,
            n,
            22,
            360,
            List.of("PASS", "WARN", "FAIL", "no verdict"),
            List.of(PASS, WARN, FAIL, NO_VERDICT),
            32);
    double gap = fr.slot() > 6 ? 1 : 0;
    for (int i = 0; i < n; i++) {
      String v = verdicts.get(i);
      b.append(
          f(
              "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"32\" fill=\"%s\"><title>%s</title></rect>\n",
              px(LEFT + i * fr.slot() + gap / 2),
              px(fr.top()),
              px(fr.slot() - gap),
              verdictColour(v),
              escape(
                  text(partitions.get(i)) + ": " + (v == null || v.isBlank() ? "no verdict" : v))));
    }
    return finish(title, b, fr, partitions);
  }

  /** Line chart over category labels, one line per series, optional dashed threshold line. */
  static String lineChart(
      String title,
      String yLabel,
      List<String> xLabels,
      LinkedHashMap<String, double[]> series,
      double threshold,
      String thresholdLabel) {
    int n = size(xLabels);
    Map<String, double[]> all = series == null ? Map.of() : series;
    all.forEach(
        (name, v) ->
            requireLength(
                "lineChart: series '" + name + "'", v == null ? 0 : v.length, n, "x labels"));
    if (n == 0 || all.isEmpty()) return noData(title, "no data");
    List<String> colours = new ArrayList<>();
    for (int k = 0; k < all.size(); k++) colours.add(PALETTE[k % PALETTE.length]);
    StringBuilder b = new StringBuilder();
    Frame fr = frame(b, n, 40, 480, new ArrayList<>(all.keySet()), colours, 220);
    List<double[]> values = new ArrayList<>(all.values());
    values.add(new double[] {threshold}); // the y range includes the threshold
    Scale y = yAxis(b, fr, span(values), false, yLabel);
    int k = 0;
    for (Map.Entry<String, double[]> e : all.entrySet()) {
      String colour = colours.get(k++);
      double[] v = e.getValue();
      StringBuilder d = new StringBuilder(), dots = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(v[i])) continue; // a gap
        boolean joined = i > 0 && Double.isFinite(v[i - 1]);
        boolean isolated = !joined && (i == n - 1 || !Double.isFinite(v[i + 1]));
        String cx = px(fr.centre(i)), cy = px(y.at(v[i]));
        d.append(joined ? " L" : " M").append(cx).append(' ').append(cy);
        if (n <= 100 || isolated) {
          dots.append(
              f(
                  "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"><title>%s</title></circle>\n",
                  cx,
                  cy,
                  isolated ? "3.5" : "2.5",
                  colour,
                  escape(text(e.getKey()) + " at " + text(xLabels.get(i)) + ": " + num(v[i]))));
        }
      }
      if (d.indexOf("L") >= 0) {
        b.append(
            f(
                "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n",
                d.substring(1), colour));
      }
      b.append(dots);
    }
    if (Double.isFinite(threshold)) {
      String ty = px(y.at(threshold)),
          label = text(thresholdLabel).isBlank() ? "threshold" : thresholdLabel;
      b.append(
          f(
              "<line class=\"threshold\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1.5\" "
                  + "stroke-dasharray=\"6 4\"/>\n",
              LEFT, ty, fr.w() - RIGHT, ty, THRESHOLD));
      b.append(
          f(
              "<text x=\"%d\" y=\"%s\" font-size=\"11\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
              fr.w() - RIGHT - 2,
              px(y.at(threshold) - 4),
              THRESHOLD,
              escape(label + " " + num(threshold))));
    }
    return finish(title, b, fr, xLabels);
  }

  /** Grouped bars of shares (0..1): current next to baseline for every label, y axis in percent. */
  static String pairedBars(
      String title,
      List<String> labels,
      double[] current,
      double[] baseline,
      String currentName,
      String baselineName) {
    int n = size(labels);
    requireLength("pairedBars: current", current == null ? 0 : current.length, n, "labels");
    requireLength("pairedBars: baseline", baseline == null ? 0 : baseline.length, n, "labels");
    if (n == 0) return noData(title, "no data");
    StringBuilder b = new StringBuilder();
    Frame fr =
        frame(
            b,
            n,
            56,
            360,
            List.of(text(currentName), text(baselineName)),
            List.of(CURRENT, BASELINE),
            180);
    Scale y = yAxis(b, fr, span(List.of(current, baseline)), true, null);
    double barW = Math.min(fr.slot() * 0.4, 36), zero = y.at(0);
    String[] names = {currentName, baselineName}, fills = {CURRENT, BASELINE};
    for (int i = 0; i < n; i++) {
      double[] pair = {current[i], baseline[i]};
      for (int j = 0; j < 2; j++) {
        if (!Double.isFinite(pair[j])) continue;
        double p = y.at(pair[j]);
        b.append(
            f(
                "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s</title></rect>\n",
                px(fr.centre(i) + (j - 1) * barW),
                px(Math.min(p, zero)),
                px(barW),
                px(Math.abs(zero - p)),
                fills[j],
                escape(
                    text(labels.get(i))
                        + ", "
                        + text(names[j])
                        + ": "
                        + num(pair[j] * 100)
                        + "%")));
      }
    }
    return finish(title, b, fr, labels);
  }

  /**
   * Scatter plot; flagged points red, larger and labelled; non-finite points skipped and counted.
   */
  static String scatter(String title, String xLabel, String yLabel, List<Point> points) {
    List<Point> shown = new ArrayList<>();
    int skipped = 0;
    for (Point p : points == null ? List.<Point>of() : points) {
      if (p != null && Double.isFinite(p.x()) && Double.isFinite(p.y())) shown.add(p);
      else skipped++;
    }
    String note =
        skipped == 0 ? "" : skipped + (skipped == 1 ? " point" : " points") + " without a score";
    if (shown.isEmpty()) return noData(title, skipped == 0 ? "no data" : "no data (" + note + ")");
    DoubleSummaryStatistics xr = shown.stream().mapToDouble(Point::x).summaryStatistics();
    DoubleSummaryStatistics yr = shown.stream().mapToDouble(Point::y).summaryStatistics();
    int w = 600;
    double top = 40, bottom = top + 300;
    double[] xt = niceTicks(xr.getMin(), xr.getMax()), yt = niceTicks(yr.getMin(), yr.getMax());
    Scale xs = new Scale(xt, LEFT, w - RIGHT), ys = new Scale(yt, bottom, top);
    StringBuilder b = new StringBuilder();
    grid(b, xt, xs, false, top, bottom, false);
    grid(b, yt, ys, true, LEFT, w - RIGHT, false);
    axisTitles(b, xLabel, yLabel, w, top, bottom, bottom + 34);
    List<double[]> taken = new ArrayList<>(); // boxes labels must avoid: x, baseline y, width
    for (Point p : shown)
      if (p.flagged()) taken.add(new double[] {xs.at(p.x()) - 5, ys.at(p.y()) + 5, 10});
    for (boolean flagged : new boolean[] {false, true}) { // flagged points on top
      for (Point p : shown) {
        if (p.flagged() != flagged) continue;
        double cx = xs.at(p.x()), cy = ys.at(p.y());
        b.append(
            f(
                "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"%s><title>%s</title></circle>\n",
                px(cx),
                px(cy),
                flagged ? "5" : "3.5",
                flagged ? FAIL : "#9e9e9e",
                flagged ? "" : " fill-opacity=\"0.7\"",
                escape(text(p.label()) + " (" + num(p.x()) + ", " + num(p.y()) + ")")));
        if (flagged && !text(p.label()).isEmpty()) placeLabel(b, taken, p.label(), cx, cy, w);
      }
    }
    if (!note.isEmpty())
      b.append(
          f(
              "<text x=\"%d\" y=\"%s\" font-size=\"11\" fill=\"#616161\">%s</text>\n",
              LEFT, px(bottom + 52), escape(note)));
    return svg(title, w, (int) bottom + (note.isEmpty() ? 44 : 60), b);
  }

  /**
   * 3-6 ticks (usually 4-6) with a 1/2/5 x 10^k step covering [lo, hi]; an empty span is widened.
   */
  static double[] niceTicks(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi)) return new double[] {0, 0.5, 1};
    if (hi < lo) return niceTicks(hi, lo);
    if (Math.max(Math.abs(lo), Math.abs(hi)) > 1e300)
      return new double[] {Math.min(lo, 0), Math.max(hi, 0)};
    if (hi - lo <= 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))
        || hi == lo) { // equal values: give the axis a span
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return lo == 0 ? niceTicks(0, 1) : niceTicks(lo - pad, hi + pad);
    }
    double mag = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5)));
    for (double m : new double[] {1, 2, 5, 10, 20, 50}) {
      double step = m * mag;
      long a = (long) Math.floor(lo / step + 1e-9), z = (long) Math.ceil(hi / step - 1e-9);
      if (z - a <= 5) {
        double[] ticks = new double[(int) (z - a + 1)];
        for (int i = 0; i < ticks.length; i++) ticks[i] = (a + i) * step;
        return ticks;
      }
    }
    throw new IllegalStateException("unreachable: no nice step for " + lo + ".." + hi);
  }

  /** Compact number: up to 4 significant digits, scientific for huge or tiny magnitudes. */
  static String num(double v) {
    if (!Double.isFinite(v)) return "n/a";
    double a = Math.abs(v);
    if (a < 1e-12) return "0";
    if (a >= 1e6 || a < 1e-4) return f("%.2e", v).replaceFirst("\\.?0+e", "e");
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  // ---- shared pieces ----

  private static String svg(String title, int w, int h, StringBuilder body) {
    String t = escape(title);
    return f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
                + "aria-label=\"%s\" style=\"max-width:%dpx\" font-family=\"sans-serif\">\n<title>%s</title>\n"
                + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"#212121\">%s</text>\n",
            w, h, t, w, t, label(title, (int) ((w - 16) / 7.8)))
        + body
        + "</svg>\n";
  }

  private static String noData(String title, String message) {
    StringBuilder b =
        new StringBuilder(
            f(
                "<text x=\"180\" y=\"56\" font-size=\"13\" text-anchor=\"middle\" "
                    + "fill=\"#757575\">%s</text>\n",
                escape(message)));
    return svg(title, 360, 80, b);
  }

  /**
   * Lays out n categories (slot up to maxSlot px, width at least minW) under a legend, which it
   * draws.
   */
  private static Frame frame(
      StringBuilder b,
      int n,
      double maxSlot,
      int minW,
      List<String> names,
      List<String> colours,
      double plotHeight) {
    int w =
        Math.max(
            minW,
            (int)
                Math.ceil(
                    LEFT + RIGHT + n * Math.min(maxSlot, (MAX_W - LEFT - RIGHT) / (double) n)));
    double top = legend(b, names, colours, w, 42) + 12;
    return new Frame(w, (w - LEFT - RIGHT) / (double) n, top, top + plotHeight);
  }

  /** A y axis over the span {lo, hi} with grid lines across the frame; returns its scale. */
  private static Scale yAxis(
      StringBuilder b, Frame fr, double[] span, boolean percent, String yLabel) {
    double[] ticks = niceTicks(span[0], span[1]);
    Scale y = new Scale(ticks, fr.bottom(), fr.top());
    grid(b, ticks, y, true, LEFT, fr.w() - RIGHT, percent);
    axisTitles(b, null, yLabel, fr.w(), fr.top(), fr.bottom(), 0);
    return y;
  }

  /** Draws the category labels under the frame and wraps the chart up. */
  private static String finish(String title, StringBuilder b, Frame fr, List<String> labels) {
    XAxis xa = xAxis(labels, fr.slot());
    drawX(b, labels, xa, fr);
    return svg(title, fr.w(), (int) Math.ceil(fr.bottom() + xa.height() + 6), b);
  }

  /** {min, max} over 0 and every finite value. */
  private static double[] span(List<double[]> arrays) {
    var s =
        arrays.stream()
            .flatMapToDouble(Arrays::stream)
            .filter(Double::isFinite)
            .summaryStatistics();
    return new double[] {
      Math.min(0, s.getMin()), Math.max(0, s.getMax())
    }; // no values: min +Inf, max -Inf
  }

  /**
   * Legend swatches left to right from x = LEFT at baseline y, wrapping; returns the y below it.
   */
  private static double legend(
      StringBuilder b, List<String> names, List<String> colours, int w, double y) {
    double x = LEFT;
    for (int i = 0; i < names.size(); i++) {
      double itemW = 16 + Math.min(text(names.get(i)).length(), 29) * 5.8 + 14;
      if (x > LEFT && x + itemW > w - RIGHT) {
        x = LEFT;
        y += 18;
      }
      b.append(
          f(
              "<rect x=\"%s\" y=\"%s\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
              px(x), px(y - 10), colours.get(i)));
      b.append(
          f(
              "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"#424242\">%s</text>\n",
              px(x + 16), px(y), label(names.get(i), 28)));
      x += itemW;
    }
    return y + 4;
  }

  /**
   * Grid lines and tick labels: horizontal lines for the y axis (from/to = x range), else vertical.
   */
  private static void grid(
      StringBuilder b,
      double[] ticks,
      Scale s,
      boolean yAxis,
      double from,
      double to,
      boolean percent) {
    for (double t : ticks) {
      double p = s.at(t);
      String[] xy =
          yAxis
              ? new String[] {px(from), px(p), px(to), px(p)}
              : new String[] {px(p), px(from), px(p), px(to)};
      b.append(
          f(
              "<line class=\"grid\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n",
              xy[0],
              xy[1],
              xy[2],
              xy[3],
              Math.abs(t) < 1e-12 ? "#9e9e9e" : "#e0e0e0")); // the zero line darker
      b.append(
          f(
              "<text x=\"%s\" y=\"%s\" font-size=\"11\" text-anchor=\"%s\" fill=\"#616161\">%s</text>\n",
              px(yAxis ? from - 6 : p),
              px(yAxis ? p + 4 : to + 15),
              yAxis ? "end" : "middle",
              percent ? num(t * 100) + "%" : num(t)));
    }
  }

  /** Axis titles: x centred under the plot at baseline xTitleY, y rotated along the left edge. */
  private static void axisTitles(
      StringBuilder b,
      String xLabel,
      String yLabel,
      int w,
      double top,
      double bottom,
      double xTitleY) {
    if (xLabel != null && !xLabel.isBlank()) {
      b.append(
          f(
              "<text x=\"%s\" y=\"%s\" font-size=\"12\" text-anchor=\"middle\" fill=\"#424242\">%s</text>\n",
              px((LEFT + w - RIGHT) / 2.0), px(xTitleY), label(xLabel, 60)));
    }
    if (yLabel != null && !yLabel.isBlank()) {
      String mid = px((top + bottom) / 2);
      b.append(
          f(
              "<text x=\"16\" y=\"%s\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %s)\" "
                  + "fill=\"#424242\">%s</text>\n",
              mid, mid, label(yLabel, 32)));
    }
  }

  private static XAxis xAxis(List<String> labels, double slot) {
    int longest = 1;
    for (String l : labels) longest = Math.max(longest, Math.min(text(l).length(), MAX_LABEL + 1));
    double len = longest * CHAR_W;
    if (len <= slot - 4) return new XAxis(false, 1, 20);
    return new XAxis(true, (int) Math.ceil(15 / slot), (int) Math.ceil(len * 0.87 + 14));
  }

  /**
   * Category labels under the frame, every stride-th counted back from the last (always labelled).
   */
  private static void drawX(StringBuilder b, List<String> labels, XAxis xa, Frame fr) {
    for (int i = labels.size() - 1; i >= 0; i -= xa.stride()) {
      String x = px(fr.centre(i)), y = px(fr.bottom() + (xa.rotated() ? 10 : 15));
      String how =
          xa.rotated()
              ? f("text-anchor=\"end\" transform=\"rotate(-60 %s %s)\"", x, y)
              : "text-anchor=\"middle\"";
      b.append(
          f(
              "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"#424242\" %s>%s</text>\n",
              x, y, how, label(labels.get(i), MAX_LABEL)));
    }
  }

  /**
   * Draws a flagged point's label beside it, at the first spot clear of earlier labels and flagged
   * dots.
   */
  private static void placeLabel(
      StringBuilder b, List<double[]> taken, String label, double cx, double cy, int w) {
    double lw = Math.min(text(label).length(), MAX_LABEL + 1) * 5.4;
    double[] pick = null;
    for (int k = 0;
        k < 12 && pick == null;
        k++) { // right, then left, at dy 4, -8, 16, -20, 28, -32
      double x = k % 2 == 0 ? cx + 7 : cx - 7 - lw,
          y = cy + 4 + (k / 2 % 2 == 0 ? 12 : -12) * ((k / 2 + 1) / 2);
      boolean free =
          taken.stream()
              .noneMatch(t -> x < t[0] + t[2] && t[0] < x + lw && Math.abs(y - t[1]) < 11);
      if (free && x >= 2 && x + lw <= w - 2) pick = new double[] {x, y, lw};
    }
    pick =
        pick != null ? pick : new double[] {cx + 7 + lw > w - 2 ? cx - 7 - lw : cx + 7, cy + 4, lw};
    taken.add(pick);
    b.append(
        f(
            "<text x=\"%s\" y=\"%s\" font-size=\"10\" fill=\"%s\">%s</text>\n",
            px(pick[0]), px(pick[1]), FAIL, label(label, MAX_LABEL)));
  }

  /**
   * Escaped text, cut to max characters with an ellipsis; the full text then goes in a {@code
   * <title>}.
   */
  private static String label(String s, int max) {
    String t = text(s);
    if (t.length() <= max) return escape(t);
    return "<title>" + escape(t) + "</title>" + escape(t.substring(0, max)) + "&#8230;";
  }

  private static String verdictColour(String v) {
    return VERDICT_COLOURS.getOrDefault(text(v).trim().toUpperCase(Locale.ROOT), NO_VERDICT);
  }

  private static void requireLength(String what, int actual, int expected, String of) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          what + " has " + actual + " values but there are " + expected + " " + of);
    }
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String px(double v) {
    String s = f("%.1f", v);
    s = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    return s.equals("-0") ? "0" : s;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
