package dev.assay.jobs.explore;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;

/**
 * Query results as an HTML table, every cell escaped, for notebook output ({@code
 * display("text/html", ...)}) and the report. Arrays print as comma-separated values; cells with a
 * status (PASS, OK, WARN, FAIL) are coloured and carry a class of that name.
 */
public final class HtmlTable {
  /**
   * Inline styles, so the table reads the same in Jupyter (which right-aligns cells) and in the
   * report.
   */
  private static final String LEFT = "text-align:left;vertical-align:top;";

  private static final Map<String, String> STATUS_COLOURS =
      Map.of("PASS", "#e8f5e9", "OK", "#e8f5e9", "WARN", "#fff3cd", "FAIL", "#ffcdd2");

  private HtmlTable() {}

  /** At most {@code limit} rows of {@code rows} as a table; a note says when rows were left out. */
  public static String of(Dataset<Row> rows, int limit) {
    List<Row> kept = rows.limit(limit + 1).collectAsList();
    String table = of(rows.columns(), kept.subList(0, Math.min(limit, kept.size())));
    return kept.size() > limit ? table + "<p class=\"more\">(first " + limit + " rows)</p>" : table;
  }

  /** The given rows under the given column names. */
  public static String of(String[] columns, List<Row> rows) {
    StringBuilder html = new StringBuilder("<table class=\"assay\"><thead><tr>");
    for (String column : columns) {
      html.append("<th style=\"").append(LEFT).append("\">").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Row row : rows) {
      html.append("<tr>");
      for (int i = 0; i < columns.length; i++) {
        String text = cell(row.get(i));
        String colour = STATUS_COLOURS.get(text);
        html.append(
                colour == null
                    ? "<td style=\"" + LEFT + "\">"
                    : "<td class=\"" + text + "\" style=\"" + LEFT + "background:" + colour + "\">")
            .append(escape(text))
            .append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  /** A value as display text: null as empty, arrays joined, doubles to 4 significant digits. */
  public static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Iterable<?> items) {
      StringBuilder joined = new StringBuilder();
      items.foreach(item -> joined.append(joined.isEmpty() ? "" : ", ").append(cell(item)));
      return joined.toString();
    }
    if (value instanceof List<?> items) {
      return String.join(", ", items.stream().map(HtmlTable::cell).toList());
    }
    if (value instanceof Row struct) {
      StringBuilder fields = new StringBuilder();
      for (int i = 0; i < struct.size(); i++) {
        fields.append(i == 0 ? "" : " ").append(cell(struct.get(i)));
      }
      return "(" + fields + ")";
    }
    if (value instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    if (value instanceof Double number) {
      return Double.isFinite(number) && number == Math.rint(number) && Math.abs(number) < 1e15
          ? String.valueOf(number.longValue())
          : String.format(java.util.Locale.ROOT, "%.4g", number);
    }
    return value.toString();
  }

  /**
   * Escapes text for HTML and SVG element content and attribute values; null is empty, and
   * characters XML does not allow (control characters, broken surrogates) become U+FFFD.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r'
              || Character.isSurrogate(c)
              || c >= 0xfffe) {
            out.append('\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
