package dev.assay.jobs.report;

import static dev.assay.jobs.explore.HtmlTable.escape;
import static dev.assay.jobs.explore.IntegrityLake.literal;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.verdict.Verdict;
import dev.assay.jobs.explore.FeatureHistograms;
import dev.assay.jobs.explore.HtmlTable;
import dev.assay.jobs.explore.IntegrityLake;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * The HTML report: an executive summary (verdicts and trends), an on-call view (what failed, why,
 * since when, what to do) and a debug view (histograms, evidence, flagged clients, triggers). It
 * reads only the integrity tables, a bounded window of the latest partitions per dataset, and
 * aggregates in Spark; charts are inline SVG, so the page works offline and runs no script.
 */
public final class Report {
  /** Partitions per dataset shown by default: the latest ones. */
  public static final int DEFAULT_PARTITIONS = 60;

  private static final int MAX_HISTOGRAMS = 6;
  private static final int MAX_ROWS = 40;
  private static final int MAX_REASONS = 8;

  /** The most partitions per dataset a report shows. */
  public static final int MAX_PARTITIONS = 1000;

  /**
   * Sorts partitions as {@link IntegrityLake#partitionOrder()} does: rounds by number, then names
   * as text.
   */
  private static final String ORDER_KEY =
      "IF(partition RLIKE '^[0-9]{1,18}$', concat('0', lpad(partition, 20, '0')), concat('1', partition))";

  /**
   * A dataset partition's verdict; {@code older} when the dataset has partitions before the window.
   */
  record Decision(
      String partition, Verdict verdict, List<String> reasons, String decidedAt, boolean older) {}

  private final IntegrityLake lake;
  private final String configLabel;
  private final Map<String, List<Decision>> verdicts;

  private Report(IntegrityLake lake, String configLabel, Map<String, List<Decision>> verdicts) {
    this.lake = lake;
    this.configLabel = configLabel;
    this.verdicts = verdicts;
  }

  /**
   * Renders the report over the latest {@code partitions} partitions of every dataset with
   * verdicts; empty when no verdict has been written yet.
   */
  public static Optional<String> render(IntegrityLake lake, String configLabel, int partitions) {
    Map<String, List<Decision>> verdicts = readVerdicts(lake, partitions);
    return verdicts.isEmpty()
        ? Optional.empty()
        : Optional.of(new Report(lake, configLabel, verdicts).page());
  }

  private static Map<String, List<Decision>> readVerdicts(IntegrityLake lake, int partitions) {
    // bounded by datasets x partitions (at most MAX_PARTITIONS), so collected whole
    List<Row> rows =
        lake.sql(
                "SELECT dataset, partition, verdict, reasons, date_format(decided_at,"
                    + " 'yyyy-MM-dd HH:mm'), newest = total FROM (SELECT *, row_number() OVER (PARTITION BY dataset ORDER BY "
                    + ORDER_KEY
                    + " DESC) AS newest, count(*) OVER (PARTITION BY dataset) AS total FROM "
                    + lake.table("verdicts")
                    + ") WHERE newest <= "
                    + partitions
                    + " ORDER BY dataset, "
                    + ORDER_KEY)
            .collectAsList();
    Map<String, List<Decision>> byDataset = new LinkedHashMap<>();
    lake.datasets().forEach(name -> byDataset.put(name, new ArrayList<>()));
    for (Row row : rows) {
      List<String> reasons = row.isNullAt(3) ? List.of() : row.getList(3);
      byDataset
          .computeIfAbsent(row.getString(0), name -> new ArrayList<>())
          .add(
              new Decision(
                  row.getString(1),
                  Verdict.parse(row.getString(2)),
                  reasons,
                  row.getString(4),
                  !row.getBoolean(5)));
    }
    byDataset.values().removeIf(List::isEmpty);
    return byDataset;
  }

  private String page() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';")
        .append(
            " img-src data:\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Assay integrity report</title><style>")
        .append(STYLE)
        .append("</style></head><body>")
        .append("<header><h1>Assay integrity report</h1><p>")
        .append(escape(configLabel))
        .append(" · generated ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" · the latest ")
        .append(verdicts.values().stream().mapToInt(List::size).max().orElse(0))
        .append(" partitions per dataset</p><nav><a href=\"#summary\">Executive summary</a>")
        .append(
            "<a href=\"#on-call\">On-call</a><a href=\"#debug\">Debug</a></nav></header><main>");
    summary(html);
    onCall(html);
    debug(html);
    return html.append(
            "</main><footer>Read from the integrity tables only. Verdict reasons and metrics are"
                + " documented in docs/tables.md and docs/verdict-and-gate.md.</footer></body></html>\n")
        .toString();
  }

  // ---------------------------------------------------------------- executive summary

  private void summary(StringBuilder html) {
    html.append("<section id=\"summary\"><h2>Executive summary</h2><div class=\"tiles\">");
    verdicts.forEach(
        (dataset, rows) -> {
          Decision latest = rows.get(rows.size() - 1);
          long fail = count(rows, Verdict.FAIL);
          long warn = count(rows, Verdict.WARN);
          html.append("<div class=\"tile ")
              .append(latest.verdict().name())
              .append("\"><h3>")
              .append(escape(dataset))
              .append("</h3><p class=\"big\">")
              .append(fail)
              .append(" FAIL</p><p>")
              .append(count(rows, Verdict.PASS))
              .append(" PASS · ")
              .append(warn)
              .append(" WARN · ")
              .append(fail)
              .append(" FAIL of ")
              .append(rows.size())
              .append(" partitions</p><p>Latest ")
              .append(escape(latest.partition()))
              .append(": <b>")
              .append(latest.verdict().name())
              .append("</b>, training ")
              .append(latest.verdict() == Verdict.FAIL ? "blocked" : "allowed")
              .append("</p></div>");
        });
    html.append("</div>");
    verdicts.forEach(
        (dataset, rows) -> {
          html.append("<h3>")
              .append(escape(dataset))
              .append("</h3><figure>")
              .append(
                  Svg.verdictStrip(
                      "Verdicts of " + dataset + " by partition",
                      rows.stream().map(Decision::partition).toList(),
                      rows.stream().map(d -> d.verdict().name()).toList()))
              .append("</figure><div class=\"charts\">");
          trends(dataset, rows)
              .forEach(chart -> html.append("<figure>").append(chart).append("</figure>"));
          html.append("</div>");
        });
    html.append("</section>");
  }

  /** Trend charts of the dataset's headline metrics, for the jobs that wrote any. */
  private List<String> trends(String dataset, List<Decision> rows) {
    List<String> partitions = rows.stream().map(Decision::partition).toList();
    String where =
        " WHERE dataset = " + literal(dataset) + " AND partition IN (" + inList(partitions) + ")";
    Optional<DatasetConfig> config =
        lake.config().datasets().stream().filter(d -> d.name().equals(dataset)).findFirst();
    List<String> charts = new ArrayList<>();
    List<Row> worst =
        lake.rows(
            "SELECT feature FROM "
                + lake.table("feature_drift")
                + where
                + " AND psi IS NOT NULL GROUP BY feature ORDER BY max(psi) DESC, feature LIMIT 5");
    if (!worst.isEmpty()) {
      charts.add(
          Svg.lineChart(
              "Feature drift: PSI of the most drifted features",
              "PSI",
              partitions,
              series(
                  partitions,
                  "SELECT feature, partition, psi FROM "
                      + lake.table("feature_drift")
                      + where
                      + " AND feature IN ("
                      + inList(worst.stream().map(r -> r.getString(0)).toList())
                      + ")"),
              config.map(d -> d.thresholds().psiFail()).orElse(Double.NaN),
              "fail"));
    }
    addChart(
        charts,
        "Label shift: largest class-share change",
        "share change",
        partitions,
        series(
            partitions,
            "SELECT IF(segment_column IS NULL, 'whole partition', 'worst segment'), partition,"
                + " max(max_share_delta) FROM "
                + lake.table("label_drift")
                + where
                + " AND (segment_column IS NULL OR p_adjusted IS NOT NULL) GROUP BY 1, 2"));
    addChart(
        charts,
        "Duplicates: rates per partition",
        "share of rows",
        partitions,
        series(
            partitions,
            "SELECT stack(4, 'replay', replay_rate, 'duplicate', duplicate_rate, 'label conflict',"
                + " conflict_rate, 'near duplicate', near_duplicate_rate) AS (series, value), partition FROM "
                + lake.table("duplicate_summary")
                + where,
            0,
            2,
            1));
    addChart(
        charts,
        "Federated clients flagged per round",
        "clients",
        partitions,
        series(
            partitions,
            "SELECT 'flagged clients', partition, count_if(flagged) FROM "
                + lake.table("client_anomalies")
                + where
                + " AND layer IS NULL GROUP BY partition"));
    addChart(
        charts,
        "Checks: failed constraints per partition",
        "constraints",
        partitions,
        series(
            partitions,
            "SELECT 'failed constraints', partition, count_if(status = 'FAIL') FROM "
                + lake.table("check_results")
                + where
                + " GROUP BY partition"));
    return charts;
  }

  private static void addChart(
      List<String> charts,
      String title,
      String yLabel,
      List<String> partitions,
      LinkedHashMap<String, double[]> series) {
    if (!series.isEmpty()) {
      charts.add(Svg.lineChart(title, yLabel, partitions, series, Double.NaN, ""));
    }
  }

  /**
   * Series from a query whose columns are (series, partition, value); partitions it lacks are gaps.
   */
  private LinkedHashMap<String, double[]> series(List<String> partitions, String query) {
    return series(partitions, query, 0, 1, 2);
  }

  private LinkedHashMap<String, double[]> series(
      List<String> partitions, String query, int name, int partition, int value) {
    LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
    for (Row row : lake.rows(query + " ORDER BY 1")) {
      if (row.isNullAt(value)) {
        continue;
      }
      double[] values =
          series.computeIfAbsent(
              row.getString(name),
              key -> {
                double[] empty = new double[partitions.size()];
                Arrays.fill(empty, Double.NaN);
                return empty;
              });
      values[partitions.indexOf(row.getString(partition))] =
          ((Number) row.get(value)).doubleValue();
    }
    return series;
  }

  // ---------------------------------------------------------------- on-call view

  private void onCall(StringBuilder html) {
    html.append(
        "<section id=\"on-call\"><h2>On-call: what failed, why, since when, what to do</h2>");
    verdicts.forEach(
        (dataset, rows) -> {
          html.append("<h3>").append(escape(dataset)).append("</h3>");
          Decision latest = rows.get(rows.size() - 1);
          if (latest.verdict() == Verdict.FAIL) {
            html.append("<p class=\"alert\">Failing now: the latest partition, ")
                .append(escape(latest.partition()))
                .append(", has failed since ")
                .append(escape(streakStart(rows, rows.size() - 1)))
                .append(". The gate blocks training on it.</p>");
          }
          List<Integer> failed = new ArrayList<>();
          for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).verdict() == Verdict.FAIL) {
              failed.add(i);
            }
          }
          if (failed.isEmpty()) {
            html.append("<p>Nothing failed in these ")
                .append(rows.size())
                .append(" partitions.</p>");
          } else {
            failures(html, dataset, rows, failed);
          }
          warnings(html, rows);
        });
    html.append("</section>");
  }

  /**
   * The FAIL partitions (indexes into rows, newest first) with reasons, streaks and runbook hints.
   */
  private void failures(
      StringBuilder html, String dataset, List<Decision> rows, List<Integer> failed) {
    html.append(
            "<table class=\"oncall\"><thead><tr><th>partition</th><th>failing since</th><th>decided</th>")
        .append("<th>why</th><th>what to do</th></tr></thead><tbody>");
    for (int i : failed) {
      Decision v = rows.get(i);
      html.append("<tr><td class=\"FAIL\">")
          .append(escape(v.partition()))
          .append("</td><td>")
          .append(escape(streakStart(rows, i)))
          .append("</td><td>")
          .append(escape(nullToEmpty(v.decidedAt())))
          .append("</td><td><ul>");
      v.reasons().stream()
          .limit(MAX_REASONS)
          .forEach(r -> html.append("<li>").append(escape(r)).append("</li>"));
      if (v.reasons().size() > MAX_REASONS) {
        html.append("<li>(+").append(v.reasons().size() - MAX_REASONS).append(" more)</li>");
      }
      html.append("</ul></td><td><ul>");
      Runbook.hints(v.reasons())
          .forEach(h -> html.append("<li>").append(escape(h)).append("</li>"));
      html.append("</ul><code>assay gate -c ")
          .append(escape(configLabel))
          .append(" -d ")
          .append(escape(dataset))
          .append(" -p ")
          .append(escape(v.partition()))
          .append("</code></td></tr>");
    }
    html.append("</tbody></table>");
  }

  /** WARN partitions in one line each: training may use them, but someone should look. */
  private static void warnings(StringBuilder html, List<Decision> rows) {
    List<Decision> warned = rows.stream().filter(v -> v.verdict() == Verdict.WARN).toList();
    if (warned.isEmpty()) {
      return;
    }
    html.append("<details><summary>")
        .append(warned.size())
        .append(" partition(s) with warnings (training")
        .append(" allowed unless the gate runs with --block-on warn)</summary><ul>");
    for (Decision v : warned) {
      html.append("<li><b>")
          .append(escape(v.partition()))
          .append("</b>: ")
          .append(escape(String.join("; ", v.reasons().stream().limit(3).toList())))
          .append(v.reasons().size() > 3 ? " (+" + (v.reasons().size() - 3) + " more)" : "")
          .append("</li>");
    }
    html.append("</ul></details>");
  }

  /** The first partition of the run of consecutive FAIL verdicts that ends at {@code index}. */
  private static String streakStart(List<Decision> rows, int index) {
    int start = index;
    while (start > 0 && rows.get(start - 1).verdict() == Verdict.FAIL) {
      start--;
    }
    return rows.get(start).partition() + (start == 0 && rows.get(0).older() ? " (or earlier)" : "");
  }

  // ---------------------------------------------------------------- debug view

  private void debug(StringBuilder html) {
    String window = windowPredicate();
    html.append("<section id=\"debug\"><h2>Debug: the evidence</h2>");
    html.append(
        "<h3 id=\"drift\">Drifted features: the partition against its trusted baseline</h3>");
    List<Row> drifted =
        lake.rows(
            "SELECT dataset, partition, feature, psi, reason FROM "
                + lake.table("feature_drift")
                + " WHERE status = 'FAIL' AND "
                + window
                + " ORDER BY psi DESC NULLS LAST, dataset, partition, feature LIMIT "
                + MAX_HISTOGRAMS);
    if (drifted.isEmpty()) {
      html.append("<p>No feature failed its drift thresholds.</p>");
    }
    html.append("<div class=\"charts\">");
    for (Row row : drifted) {
      FeatureHistograms histograms =
          FeatureHistograms.read(lake, row.getString(0), row.getString(1), row.getString(2));
      html.append("<figure>")
          .append(
              Svg.pairedBars(
                  row.getString(0) + " " + row.getString(1) + ": " + row.getString(2),
                  histograms.labels(),
                  doubles(histograms.currentShares()),
                  doubles(histograms.baselineShares()),
                  "partition " + row.getString(1),
                  "baseline (" + histograms.baselinePartitions().size() + " trusted partitions)"))
          .append("<figcaption>")
          .append(escape(nullToEmpty(row.getString(4))))
          .append("</figcaption></figure>");
    }
    html.append("</div>");
    html.append("<h3 id=\"labels\">Labels: flagged segments, backdoor triggers, annotators</h3>");
    table(
        html,
        "Label shifts (whole partition and segments)",
        "SELECT dataset, partition, segment_column,"
            + " segment_value, max_share_label, max_share_delta, p_adjusted, status, reason FROM "
            + lake.table("label_drift")
            + " WHERE status <> 'OK' AND "
            + window
            + " ORDER BY dataset, partition");
    table(
        html,
        "Backdoor trigger candidates",
        "SELECT dataset, partition, trigger, target_label, support,"
            + " target_rows, purity, lift, sample_ids FROM "
            + lake.table("trigger_candidates")
            + " WHERE "
            + window
            + " ORDER BY dataset, partition, trigger");
    table(
        html,
        "Trigger evidence rows",
        "SELECT dataset, partition, trigger, row_id, label, row FROM "
            + lake.table("trigger_evidence")
            + " WHERE "
            + window
            + " ORDER BY dataset, partition, trigger, row_id");
    table(
        html,
        "Annotators below their agreement thresholds",
        "SELECT dataset, partition,"
            + " coalesce(annotator, '(all: Fleiss)') AS annotator, items, kappa, baseline_kappa, status, reason FROM "
            + lake.table("annotator_agreement")
            + " WHERE status <> 'OK' AND "
            + window
            + " ORDER BY dataset, partition, annotator");
    html.append("<h3 id=\"duplicates\">Replays, label conflicts and duplicates</h3>");
    table(
        html,
        "Partitions with suspicious duplicate rates",
        "SELECT dataset, partition, rows, replayed_rows,"
            + " conflict_rows, duplicate_rows, near_duplicate_rows, replay_rate, conflict_rate, duplicate_rate,"
            + " near_duplicate_rate, status FROM "
            + lake.table("duplicate_summary")
            + " WHERE status <> 'OK' AND "
            + window
            + " ORDER BY dataset, partition");
    String suspicious =
        " AND "
            + window
            + " AND (dataset, partition) IN (SELECT dataset, partition FROM "
            + lake.table("duplicate_summary")
            + " WHERE status <> 'OK')";
    table(
        html,
        "Evidence by kind (replays name the partition their rows were first seen in)",
        "SELECT dataset,"
            + " partition, kind, first_seen_partition, count(*) AS groups, sum(occurrences) AS rows,"
            + " slice(array_sort(flatten(collect_list(sample_ids))), 1, 6) AS some_ids FROM "
            + lake.table("duplicates")
            + " WHERE true"
            + suspicious
            + " GROUP BY dataset, partition, kind, first_seen_partition"
            + " ORDER BY dataset, partition, kind, rows DESC");
    table(
        html,
        "Largest evidence groups",
        "SELECT dataset, partition, kind, occurrences, first_seen_partition,"
            + " labels, sample_ids FROM (SELECT *, row_number() OVER (PARTITION BY dataset, partition, kind ORDER BY"
            + " occurrences DESC, fingerprint) AS n FROM "
            + lake.table("duplicates")
            + " WHERE true"
            + suspicious
            + ") WHERE n <= 3 ORDER BY dataset, partition, kind, occurrences DESC");
    html.append("<h3 id=\"clients\">Flagged federated clients</h3>");
    clients(html, window);
    html.append("<h3 id=\"checks\">Failed checks</h3>");
    table(
        html,
        "Constraints that failed or warned",
        "SELECT dataset, partition, check, constraint, value,"
            + " failing_rows, assertion, status, reason FROM "
            + lake.table("check_results")
            + " WHERE status <> 'OK' AND "
            + window
            + " ORDER BY dataset, partition, check, constraint");
    html.append("</section>");
  }

  private void clients(StringBuilder html, String window) {
    List<Row> rounds =
        lake.rows(
            "SELECT dataset, max_by(partition, "
                + ORDER_KEY
                + ") FROM "
                + lake.table("client_anomalies")
                + " WHERE flagged AND layer IS NULL AND "
                + window
                + " GROUP BY dataset ORDER BY dataset");
    if (rounds.isEmpty()) {
      html.append("<p>No client was flagged.</p>");
      return;
    }
    html.append("<div class=\"charts\">");
    for (Row round : rounds) {
      List<Svg.Point> points = new ArrayList<>();
      for (Row c :
          lake.rows(
              "SELECT client_id, norm_z, cosine_z, flagged FROM "
                  + lake.table("client_anomalies")
                  + " WHERE dataset = "
                  + literal(round.getString(0))
                  + " AND partition = "
                  + literal(round.getString(1))
                  + " AND layer IS NULL ORDER BY client_id")) {
        points.add(
            new Svg.Point(
                c.isNullAt(1) ? Double.NaN : c.getDouble(1),
                c.isNullAt(2) ? Double.NaN : c.getDouble(2),
                c.getString(0),
                c.getBoolean(3)));
      }
      html.append("<figure>")
          .append(
              Svg.scatter(
                  round.getString(0)
                      + ", round "
                      + round.getString(1)
                      + ": client updates (flagged in red)",
                  "norm z-score",
                  "cosine z-score",
                  points))
          .append("</figure>");
    }
    html.append("</div>");
    table(
        html,
        "Flagged clients",
        "SELECT dataset, partition AS round, client_id, score, sybil_partner, reasons"
            + " FROM "
            + lake.table("client_anomalies")
            + " WHERE flagged AND layer IS NULL AND "
            + window
            + " ORDER BY dataset, "
            + ORDER_KEY
            + " DESC, score DESC");
  }

  private void table(StringBuilder html, String caption, String query) {
    html.append("<h4>").append(escape(caption)).append("</h4>");
    var rows = lake.sql(query);
    String table = HtmlTable.of(rows, MAX_ROWS);
    html.append(
        table.contains("<tbody></tbody>")
            ? "<p>None.</p>"
            : "<div class=\"scroll\">" + table + "</div>");
  }

  /** A SQL predicate for the partitions the report shows. */
  private String windowPredicate() {
    List<String> terms = new ArrayList<>();
    verdicts.forEach(
        (dataset, rows) ->
            terms.add(
                "(dataset = "
                    + literal(dataset)
                    + " AND partition IN ("
                    + inList(rows.stream().map(Decision::partition).toList())
                    + "))"));
    return "(" + String.join(" OR ", terms) + ")";
  }

  private static String inList(List<String> values) {
    return String.join(", ", values.stream().map(IntegrityLake::literal).toList());
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static long count(List<Decision> rows, Verdict verdict) {
    return rows.stream().filter(r -> r.verdict() == verdict).count();
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#212121;background:#fafafa}
      header{background:#263238;color:#fff;padding:16px 32px}header h1{margin:0 0 4px;font-size:22px}
      header p{margin:0 0 8px;color:#cfd8dc}nav a{color:#80cbc4;margin-right:18px;text-decoration:none}
      main{padding:8px 32px 32px}section{margin-top:24px}h2{border-bottom:2px solid #263238;padding-bottom:4px}
      .tiles{display:flex;flex-wrap:wrap;gap:16px}.tile{background:#fff;border-left:8px solid #bdbdbd;
      padding:8px 16px;min-width:240px;box-shadow:0 1px 3px #0002}.tile.PASS{border-color:#2e7d32}
      .tile.WARN{border-color:#f9a825}.tile.FAIL{border-color:#c62828}.tile h3{margin:4px 0}
      .big{font-size:26px;font-weight:600;margin:4px 0}.charts{display:flex;flex-wrap:wrap;gap:16px}
      figure{background:#fff;margin:8px 0;padding:8px;box-shadow:0 1px 3px #0002;flex:1 1 520px;max-width:100%}
      figcaption{font-size:12px;color:#555}table{border-collapse:collapse;background:#fff;margin:4px 0 12px;
      font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
      td{overflow-wrap:anywhere;max-width:56em}.oncall td:nth-child(-n+3){white-space:nowrap}
      th{background:#eceff1}td.FAIL{background:#ffcdd2;font-weight:600}td.WARN{background:#fff3cd}
      td.PASS,td.OK{background:#e8f5e9}.oncall ul{margin:0;padding-left:18px}.oncall code{font-size:12px;
      color:#37474f}.alert{background:#ffebee;border-left:6px solid #c62828;padding:8px 12px}
      .more{color:#777;font-size:12px}.scroll{overflow-x:auto;max-width:100%}footer{padding:16px 32px;color:#777;font-size:12px}
      """;
}
