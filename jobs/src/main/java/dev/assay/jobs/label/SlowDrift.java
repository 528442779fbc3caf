package dev.assay.jobs.label;

import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.LabelDriftRecord;
import dev.assay.common.stats.Cusum;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Slow drift of the whole-partition label shares since the long-term anchor: for each class of the
 * anchor, an upper and a lower CUSUM ({@link Cusum}) over the partitions after the anchor that a
 * baseline may use (trusted ones by default) plus the partition judged. A trailing baseline follows
 * an attacker who flips 1% more labels each partition; the anchor does not. Shares come from this
 * run's counts or the stored {@code label_drift} rows, never from a rescan.
 * docs/label-integrity.md.
 */
final class SlowDrift {
  /**
   * What the CUSUM says about one partition.
   *
   * @param judgement FAIL with its reason when a statistic reaches {@link Cusum#H}; OK otherwise
   * @param cusum the largest statistic over classes and directions; null when not judged
   * @param label its class
   * @param anchor the anchor partitions; null when not judged
   */
  record Result(Judgement judgement, Double cusum, String label, List<String> anchor) {
    static final Result NONE = new Result(Judgement.OK, null, null, null);
  }

  private final JobContext context;
  private final BaselinePicker picker;
  private final Map<String, LabelState> inRun;
  private Map<String, Map<String, Long>> stored;

  /**
   * @param inRun this run's states of the pending partitions
   */
  SlowDrift(JobContext context, BaselinePicker picker, Map<String, LabelState> inRun) {
    this.context = context;
    this.picker = picker;
    this.inRun = inRun;
  }

  /**
   * Judges {@code partition}; the picker must know how this run judged the partitions before it.
   */
  Result judge(String partition) {
    long minRows = context.dataset().thresholds().minRows();
    List<String> anchor = picker.anchorOf(partition);
    Map<String, Long> current = counts(partition);
    if (anchor.isEmpty() || current == null || LabelDriftJob.sum(current) < minRows) {
      return Result.NONE;
    }
    List<Map<String, Long>> anchorCounts = new ArrayList<>();
    for (String a : anchor) {
      anchorCounts.add(counts(a));
    }
    List<Map<String, Long>> since = new ArrayList<>();
    for (String p : picker.sinceAnchor(partition)) {
      since.add(counts(p));
    }
    return judge(anchor, anchorCounts, since, current, minRows);
  }

  /**
   * The CUSUM judgement from plain counts: {@code anchorCounts} of the anchor partitions, {@code
   * since} of the usable partitions after it (oldest first), {@code current} of the partition
   * judged. Unknown (null) counts, an empty anchor partition and a later partition below {@code
   * minRows} are left out.
   */
  static Result judge(
      List<String> anchor,
      List<Map<String, Long>> anchorCounts,
      List<Map<String, Long>> since,
      Map<String, Long> current,
      long minRows) {
    if (anchor.isEmpty() || current == null || LabelDriftJob.sum(current) < minRows) {
      return Result.NONE;
    }
    List<Map<String, Long>> anchored = new ArrayList<>();
    for (Map<String, Long> counts : anchorCounts) {
      if (counts != null && LabelDriftJob.sum(counts) > 0) {
        anchored.add(counts);
      }
    }
    if (anchored.isEmpty()) {
      return Result.NONE;
    }
    List<Map<String, Long>> sequence = new ArrayList<>();
    for (Map<String, Long> counts : since) {
      if (counts != null && LabelDriftJob.sum(counts) >= minRows) {
        sequence.add(counts);
      }
    }
    sequence.add(current);

    long[] anchorTotals = anchored.stream().mapToLong(LabelDriftJob::sum).toArray();
    long[] totals = sequence.stream().mapToLong(LabelDriftJob::sum).toArray();
    Map<String, Long> pooled = new HashMap<>();
    anchored.forEach(counts -> counts.forEach((label, n) -> pooled.merge(label, n, Long::sum)));
    // Majority classes first, so a tie (the two mirrored sides of a binary label) names the larger
    // one.
    List<String> classes = new ArrayList<>(pooled.keySet());
    classes.sort(
        Comparator.comparing((String label) -> -pooled.get(label))
            .thenComparing(Comparator.nullsFirst(Comparator.<String>naturalOrder())));
    Cusum.Side worst = null;
    String worstLabel = null;
    Cusum.Anchor worstAnchor = null;
    for (String label : classes) {
      Cusum.Anchor share = Cusum.Anchor.of(hits(anchored, label), anchorTotals);
      Cusum.Side side = share.track(hits(sequence, label), totals).worst();
      if (worst == null || side.statistic() > worst.statistic()) {
        worst = side;
        worstLabel = label;
        worstAnchor = share;
      }
    }
    if (worst == null) {
      return Result.NONE;
    }
    Judgement judgement = Judgement.OK;
    if (worst.alarm()) {
      double share = (double) current.getOrDefault(worstLabel, 0L) / LabelDriftJob.sum(current);
      judgement =
          new Judgement(
              Status.FAIL,
              String.format(
                  Locale.ROOT,
                  "label-drift: slow drift: cumulative share change of label '%s' since the anchor (%s): CUSUM %s >= %s"
                      + " over %d partition(s) (share %s against anchor %s)",
                  worstLabel,
                  span(anchor),
                  Reasons.number(worst.statistic()),
                  Reasons.number(Cusum.H),
                  worst.run(),
                  Reasons.number(share),
                  Reasons.number(worstAnchor.share())));
    }
    return new Result(judgement, worst.statistic(), worstLabel, anchor);
  }

  /** The worse of the trailing judgement and the slow drift's; both reasons when equally bad. */
  static Judgement combine(Judgement trailing, Judgement slow) {
    int order = slow.status().compareTo(trailing.status());
    if (order != 0 || slow.reason() == null) {
      return order > 0 ? slow : trailing;
    }
    return trailing.reason() == null
        ? slow
        : new Judgement(trailing.status(), trailing.reason() + "; " + slow.reason());
  }

  private static String span(List<String> anchor) {
    return anchor.size() == 1
        ? anchor.get(0)
        : anchor.get(0)
            + ".."
            + anchor.get(anchor.size() - 1)
            + ", "
            + anchor.size()
            + " partitions";
  }

  private static long[] hits(List<Map<String, Long>> counts, String label) {
    return counts.stream().mapToLong(c -> c.getOrDefault(label, 0L)).toArray();
  }

  /** The labelled rows per class of a partition: this run's, else stored; null when unknown. */
  private Map<String, Long> counts(String partition) {
    LabelState state = inRun.get(partition);
    if (state != null) {
      return state.labels;
    }
    if (stored == null) {
      stored = new HashMap<>();
      for (LabelDriftRecord row :
          LabelStates.wholePartitionRows(context, "partition", "label_counts")) {
        stored.put(row.partition(), LabelStates.counts(row.labelCounts()));
      }
    }
    return stored.get(partition);
  }
}
