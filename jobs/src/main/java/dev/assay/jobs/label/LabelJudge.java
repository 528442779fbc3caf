package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.LabelDriftRecord;
import dev.assay.common.stats.MultipleTesting;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code label_drift} rows of one partition from its label counts and its baseline's: the whole
 * partition's shift (share change, PSI, significance, null labels, slow drift) and each segment
 * value's, whose p-values are BH-adjusted together. Plain counts in, records out.
 */
final class LabelJudge {
  static final String BOOTSTRAP =
      "label-drift: no baseline yet (bootstrap): this partition's labels become the reference";
  static final String SEGMENT_BOOTSTRAP = "bootstrap: no baseline yet";

  private final Thresholds t;
  private final String labelColumn;
  private final List<String> segmentColumns;

  LabelJudge(Thresholds t, String labelColumn, List<String> segmentColumns) {
    this.t = t;
    this.labelColumn = labelColumn;
    this.segmentColumns = segmentColumns;
  }

  /**
   * The rows of a partition without a baseline: its counts become the reference, unless it has
   * fewer than min_rows rows (WARN: too few to be trusted).
   */
  List<LabelDriftRecord> bootstrap(Scope scope, LabelState state) {
    Judgement judgement =
        state.rows < t.minRows()
            ? new Judgement(
                Status.WARN, Reasons.tooFewToBootstrap("label-drift", state.rows, t.minRows()))
            : new Judgement(Status.OK, BOOTSTRAP);
    List<LabelDriftRecord> rows = new ArrayList<>();
    rows.add(
        record(
            scope,
            null,
            null,
            List.of(),
            state.rows,
            0,
            state.nullLabels,
            state.labels,
            Map.of(),
            null,
            null,
            judgement,
            null,
            SlowDrift.Result.NONE));
    for (int s = 0; s < segmentColumns.size(); s++) {
      for (Map.Entry<String, Map<String, Long>> entry :
          nullsFirst(state.segments.get(s)).entrySet()) {
        rows.add(
            record(
                scope,
                segmentColumns.get(s),
                entry.getKey(),
                List.of(),
                LabelDriftJob.sum(entry.getValue()),
                0,
                0,
                entry.getValue(),
                Map.of(),
                null,
                null,
                Judgement.OK,
                SEGMENT_BOOTSTRAP,
                SlowDrift.Result.NONE));
      }
    }
    return rows;
  }

  /**
   * The whole-partition row (which also carries the slow-drift CUSUM against the anchor) and one
   * row per segment value.
   */
  List<LabelDriftRecord> judge(
      Scope scope,
      LabelState state,
      LabelState base,
      List<String> baseline,
      LabelRanges ranges,
      SlowDrift.Result slow) {
    List<LabelDriftRecord> rows = new ArrayList<>();
    long labeled = state.rows - state.nullLabels;
    long baseLabeled = base.rows - base.nullLabels;
    double nullShare = state.rows == 0 ? 0 : (double) state.nullLabels / state.rows;
    double baseNullShare = base.rows == 0 ? 0 : (double) base.nullLabels / base.rows;
    Judgement global = nullJudgement(nullShare, baseNullShare);
    LabelShift shift = null;
    String note = null;
    if (labeled == 0) {
      global =
          new Judgement(
              Status.FAIL,
              "label-drift: all "
                  + state.rows
                  + " rows have a null "
                  + labelColumn
                  + "; there are no labels to train on");
    } else if (labeled < t.minRows() || baseLabeled < t.minRows()) {
      shift = LabelShift.of(state.labels, base.labels);
      note =
          "not judged: "
              + labeled
              + " labelled rows (baseline "
              + baseLabeled
              + ") < min_rows "
              + t.minRows();
    } else {
      shift = LabelShift.of(state.labels, base.labels);
      global =
          global.worst(
              Judgement.ofShift(
                  Judgement.WHOLE,
                  shift,
                  shift.pValue(ranges.global().factor()),
                  t,
                  ranges.global(),
                  ranges.globalShare()));
    }
    global = SlowDrift.combine(global, slow.judgement());
    rows.add(
        record(
            scope,
            null,
            null,
            baseline,
            state.rows,
            base.rows,
            state.nullLabels,
            state.labels,
            base.labels,
            shift,
            shift == null ? null : shift.chi2PValue(),
            global,
            note,
            slow));
    rows.addAll(segments(scope, state, base, baseline, ranges));
    return rows;
  }

  /** One segment value compared with the baseline's (or, when new, the whole baseline). */
  private record Segment(
      int column,
      String value,
      Map<String, Long> counts,
      Map<String, Long> reference,
      long rows,
      long refRows,
      LabelShift shift,
      String note) {}

  private List<LabelDriftRecord> segments(
      Scope scope, LabelState state, LabelState base, List<String> baseline, LabelRanges ranges) {
    List<Segment> segments = new ArrayList<>();
    List<Double> pValues = new ArrayList<>();
    for (int s = 0; s < segmentColumns.size(); s++) {
      Map<String, Map<String, Long>> baseSegments = base.segments.get(s);
      for (Map.Entry<String, Map<String, Long>> entry :
          nullsFirst(state.segments.get(s)).entrySet()) {
        Map<String, Long> counts = entry.getValue();
        Map<String, Long> reference = baseSegments.get(entry.getKey());
        String note = null;
        if (reference == null) {
          reference = base.labels;
          note = "new segment: compared with the whole baseline";
        }
        long rows = LabelDriftJob.sum(counts);
        long refRows = LabelDriftJob.sum(reference);
        LabelShift shift = refRows == 0 ? null : LabelShift.of(counts, reference);
        if (rows < t.segmentMinRows() || refRows < t.segmentMinRows()) {
          note =
              "not judged: "
                  + rows
                  + " rows (baseline "
                  + refRows
                  + ") < segment_min_rows "
                  + t.segmentMinRows();
          pValues.add(Double.NaN);
        } else {
          pValues.add(shift.pValue(ranges.segment(s, entry.getKey()).factor()));
        }
        segments.add(new Segment(s, entry.getKey(), counts, reference, rows, refRows, shift, note));
      }
    }
    double[] adjusted =
        MultipleTesting.benjaminiHochberg(
            pValues.stream().mapToDouble(Double::doubleValue).toArray());
    List<LabelDriftRecord> rows = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      String column = segmentColumns.get(segment.column());
      String value = segment.value();
      Judgement judgement =
          Double.isNaN(adjusted[i])
              ? Judgement.OK
              : Judgement.ofShift(
                  "segment " + column + "=" + (value == null ? "NULL" : "'" + value + "'"),
                  segment.shift(),
                  adjusted[i],
                  t,
                  ranges.segment(segment.column(), value),
                  ranges.segmentShare(segment.column(), value));
      if (judgement.status() != Status.OK && ranges.noisySegments(segment.column())) {
        judgement =
            new Judgement(
                Status.OK,
                judgement.reason()
                    + "; its values vary naturally "
                    + Reasons.number(LabelRanges.NOISY_SEGMENTS)
                    + "x or more beyond sampling, so one value's shift alone"
                    + " is reported, not judged");
      }
      rows.add(
          record(
              scope,
              column,
              value,
              baseline,
              segment.rows(),
              segment.refRows(),
              0L,
              segment.counts(),
              segment.reference(),
              segment.shift(),
              Double.isNaN(adjusted[i]) ? null : adjusted[i],
              judgement,
              segment.note(),
              SlowDrift.Result.NONE));
    }
    return rows;
  }

  private Judgement nullJudgement(double share, double baseShare) {
    double change = share - baseShare;
    if (change >= t.nullShareFail() || change >= t.nullShareWarn()) {
      boolean fail = change >= t.nullShareFail();
      return new Judgement(
          fail ? Status.FAIL : Status.WARN,
          "label-drift: "
              + Reasons.comparison(
                  "null_label_share_change",
                  "labels",
                  change,
                  fail ? "fail" : "warn",
                  fail ? t.nullShareFail() : t.nullShareWarn())
              + " (null share "
              + Reasons.number(share)
              + ", baseline "
              + Reasons.number(baseShare)
              + ")");
    }
    return Judgement.OK;
  }

  private static Map<String, Map<String, Long>> nullsFirst(
      Map<String, Map<String, Long>> segments) {
    Map<String, Map<String, Long>> sorted = new TreeMap<>(Comparator.nullsFirst(String::compareTo));
    sorted.putAll(segments);
    return sorted;
  }

  private static LabelDriftRecord record(
      Scope scope,
      String column,
      String value,
      List<String> baseline,
      long rows,
      long baselineRows,
      long nullLabels,
      Map<String, Long> counts,
      Map<String, Long> baseCounts,
      LabelShift shift,
      Double pAdjusted,
      Judgement judgement,
      String note,
      SlowDrift.Result slow) {
    return new LabelDriftRecord(
        scope.dataset(),
        scope.partition(),
        scope.runId(),
        column,
        value,
        List.copyOf(baseline),
        rows,
        baselineRows,
        nullLabels,
        LabelStates.countList(counts),
        LabelStates.countList(baseCounts),
        shift == null ? null : shift.psi(),
        shift == null ? null : shift.jsDistance(),
        shift == null ? null : shift.chi2PValue(),
        pAdjusted,
        shift == null ? null : shift.maxShareDelta(),
        shift == null ? null : shift.maxShareLabel(),
        judgement.status().name(),
        judgement.reason(),
        note,
        slow.cusum(),
        slow.label(),
        slow.anchor() == null ? null : List.copyOf(slow.anchor()));
  }
}
