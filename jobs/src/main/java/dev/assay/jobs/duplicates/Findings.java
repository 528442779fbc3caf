package dev.assay.jobs.duplicates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What the reducers found, merged on the driver: exact counts per partition, and the most important
 * {@code maxGroups} evidence groups per partition and kind. Its size is bounded whatever the data.
 */
final class Findings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Row counts of one partition. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    long distinct;

    /** Extra copies: rows minus distinct contents. */
    long duplicateRows;

    /** Rows whose content occurs more than once in the partition. */
    long recurringRows;

    long replayedRows;
    long conflictRows;

    /** Rows in feature groups with two labels inside the partition. */
    long withinConflictRows;

    long nearRows;

    /**
     * Replayed rows whose content is in exactly one earlier partition, by that partition's ordinal:
     * natural recurrence spreads these over the history, a replay of one old partition piles them
     * up.
     */
    final Map<Integer, Long> soleSourceRows = new HashMap<>();

    void add(Counts o) {
      rows += o.rows;
      distinct += o.distinct;
      duplicateRows += o.duplicateRows;
      recurringRows += o.recurringRows;
      replayedRows += o.replayedRows;
      conflictRows += o.conflictRows;
      withinConflictRows += o.withinConflictRows;
      nearRows += o.nearRows;
      o.soleSourceRows.forEach((source, n) -> soleSourceRows.merge(source, n, Long::sum));
    }
  }

  private final int maxGroups;
  final Map<Integer, Counts> counts = new HashMap<>();
  private final Map<String, PriorityQueue<Evidence>> groups = new HashMap<>();

  /** Groups found per partition and kind, kept or not. */
  final Map<String, Long> found = new HashMap<>();

  Findings(int maxGroups) {
    this.maxGroups = maxGroups;
  }

  Counts of(int ordinal) {
    return counts.computeIfAbsent(ordinal, o -> new Counts());
  }

  void offer(Evidence evidence) {
    String key = evidence.ordinal() + "/" + evidence.kind();
    found.merge(key, 1L, Long::sum);
    keep(key, evidence);
  }

  private void keep(String key, Evidence evidence) {
    PriorityQueue<Evidence> queue = groups.computeIfAbsent(key, k -> new PriorityQueue<>());
    queue.add(evidence);
    if (queue.size() > maxGroups) {
      queue.poll();
    }
  }

  Findings merge(Findings other) {
    other.counts.forEach((ordinal, c) -> of(ordinal).add(c));
    other.found.forEach((key, n) -> found.merge(key, n, Long::sum));
    other.groups.forEach((key, queue) -> queue.forEach(e -> keep(key, e)));
    return this;
  }

  /** The kept groups of a partition and kind, most important first. */
  List<Evidence> groups(int ordinal, String kind) {
    List<Evidence> list =
        new ArrayList<>(groups.getOrDefault(ordinal + "/" + kind, new PriorityQueue<>()));
    list.sort((a, b) -> b.compareTo(a));
    return list;
  }

  long found(int ordinal, String kind) {
    return found.getOrDefault(ordinal + "/" + kind, 0L);
  }
}
