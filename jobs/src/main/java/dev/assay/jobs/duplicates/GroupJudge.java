package dev.assay.jobs.duplicates;

import dev.assay.common.fingerprint.Hash128;
import dev.assay.common.stats.Hash64;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

/**
 * One reducer: groups its records by feature fingerprint and, for every pending partition in a
 * group, finds duplicates (a content more than once in the partition), replays (a content already
 * in an earlier partition) and label conflicts (the features with another label in the partition or
 * earlier). It emits the pending partitions' index rows, bounded findings and, for quarantine, the
 * ids of suspect rows.
 */
final class GroupJudge
    implements FlatMapFunction<Iterator<Tuple2<Integer, RecordBlock>>, GroupJudge.Result> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_LABELS = 10;

  private final boolean[] pending;
  private final int sampleIds;
  private final int maxGroups;
  private final List<String> quarantineKinds;

  GroupJudge(boolean[] pending, int sampleIds, int maxGroups, List<String> quarantineKinds) {
    this.pending = pending;
    this.sampleIds = sampleIds;
    this.maxGroups = maxGroups;
    this.quarantineKinds = quarantineKinds;
  }

  /** A reducer's output. */
  static final class Result implements Serializable {
    private static final long serialVersionUID = 1L;
    final RecordBlock index = new RecordBlock();
    final Findings findings;

    /** Suspect rows: ordinal, id and kind, parallel lists. */
    final List<Integer> suspectOrdinals = new ArrayList<>();

    final List<String> suspectIds = new ArrayList<>();
    final List<String> suspectKinds = new ArrayList<>();

    Result(int maxGroups) {
      findings = new Findings(maxGroups);
    }
  }

  /** One content in one partition. */
  private static final class Cell {
    final int ordinal;
    final long contentHi;
    final long contentLo;
    final String label;
    long rows;
    final List<String> ids = new ArrayList<>();

    Cell(int ordinal, long contentHi, long contentLo, String label) {
      this.ordinal = ordinal;
      this.contentHi = contentHi;
      this.contentLo = contentLo;
      this.label = label;
    }

    boolean sameContent(Cell other) {
      return contentHi == other.contentHi && contentLo == other.contentLo;
    }
  }

  @Override
  public Iterator<Result> call(Iterator<Tuple2<Integer, RecordBlock>> blocks) {
    RecordBlock all = new RecordBlock();
    while (blocks.hasNext()) {
      all.addAll(blocks.next()._2());
    }
    Result result = new Result(maxGroups);
    int n = all.size;
    int capacity = Integer.highestOneBit(Math.max(4, n) * 2 - 1) * 2;
    int[] head = new int[capacity];
    Arrays.fill(head, -1);
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      int slot = (int) Hash64.mix(all.featureLo[i]) & (capacity - 1);
      while (head[slot] != -1
          && (all.featureHi[head[slot]] != all.featureHi[i]
              || all.featureLo[head[slot]] != all.featureLo[i])) {
        slot = (slot + 1) & (capacity - 1);
      }
      next[i] = head[slot];
      head[slot] = i;
    }
    for (int slot = 0; slot < capacity; slot++) {
      if (head[slot] != -1) {
        judge(all, head[slot], next, result);
      }
    }
    return Collections.singletonList(result).iterator();
  }

  private void judge(RecordBlock all, int first, int[] next, Result result) {
    if (next[first] == -1) {
      if (pending[all.ordinal[first]]) {
        Findings.Counts counts = result.findings.of(all.ordinal[first]);
        counts.rows += all.rows[first];
        counts.distinct++;
        result.index.add(
            all.ordinal[first],
            all.featureHi[first],
            all.featureLo[first],
            all.contentHi[first],
            all.contentLo[first],
            all.rows[first],
            all.label[first],
            all.id[first]);
      }
      return;
    }
    Map<String, Cell> byKey = new LinkedHashMap<>();
    for (int i = first; i != -1; i = next[i]) {
      String key = all.ordinal[i] + ":" + all.contentHi[i] + ":" + all.contentLo[i];
      Cell cell = byKey.get(key);
      if (cell == null) {
        cell = new Cell(all.ordinal[i], all.contentHi[i], all.contentLo[i], all.label[i]);
        byKey.put(key, cell);
      }
      cell.rows += all.rows[i];
      if (all.id[i] != null) {
        cell.ids.add(all.id[i]);
      }
    }
    List<Cell> cells = new ArrayList<>(byKey.values());
    cells.sort((a, b) -> Integer.compare(a.ordinal, b.ordinal));
    String feature = Hash128.hex(all.featureHi[first], all.featureLo[first]);
    int start = 0;
    while (start < cells.size()) {
      int ordinal = cells.get(start).ordinal;
      int end = start;
      while (end < cells.size() && cells.get(end).ordinal == ordinal) {
        end++;
      }
      if (pending[ordinal]) {
        judgePartition(
            cells, start, end, all.featureHi[first], all.featureLo[first], feature, result);
      }
      start = end;
    }
  }

  /** Cells [start, end) are one pending partition's; cells before start are earlier partitions. */
  private void judgePartition(
      List<Cell> cells,
      int start,
      int end,
      long featureHi,
      long featureLo,
      String feature,
      Result result) {
    int ordinal = cells.get(start).ordinal;
    Findings.Counts counts = result.findings.of(ordinal);
    boolean twoLabelsHere = end - start > 1;
    long conflictRows = 0;
    int conflictFirstSeen = -1;
    List<String> conflictIds = new ArrayList<>();
    TreeSet<String> labels = new TreeSet<>();
    for (int c = start; c < end; c++) {
      Cell cell = cells.get(c);
      Collections.sort(cell.ids);
      counts.rows += cell.rows;
      counts.distinct++;
      result.index.add(
          ordinal,
          featureHi,
          featureLo,
          cell.contentHi,
          cell.contentLo,
          cell.rows,
          cell.label,
          cell.ids.isEmpty() ? null : cell.ids.get(0));
      String content = Hash128.hex(cell.contentHi, cell.contentLo);
      if (cell.rows > 1) {
        counts.duplicateRows += cell.rows - 1;
        counts.recurringRows += cell.rows;
        offer(
            result,
            new Evidence(
                ordinal,
                "DUPLICATE",
                content,
                cell.rows,
                -1,
                labelList(cell.label),
                sample(cell.ids),
                Double.NaN),
            cell.ids.subList(Math.min(1, cell.ids.size()), cell.ids.size()));
      }
      int firstSeen = -1;
      int sources = 0;
      boolean otherLabelEarlier = false;
      for (int e = 0; e < start; e++) {
        Cell earlier = cells.get(e);
        if (earlier.sameContent(cell)) {
          // one cell per (partition, content): each match is another earlier partition
          sources++;
          firstSeen = firstSeen == -1 ? earlier.ordinal : Math.min(firstSeen, earlier.ordinal);
        } else {
          otherLabelEarlier = true;
          labels.add(String.valueOf(earlier.label));
        }
      }
      if (firstSeen >= 0) {
        counts.replayedRows += cell.rows;
        if (sources == 1) {
          counts.soleSourceRows.merge(firstSeen, cell.rows, Long::sum);
        }
        offer(
            result,
            new Evidence(
                ordinal,
                "REPLAY",
                content,
                cell.rows,
                firstSeen,
                labelList(cell.label),
                sample(cell.ids),
                Double.NaN),
            cell.ids);
      }
      if (twoLabelsHere) {
        counts.withinConflictRows += cell.rows;
      }
      if (twoLabelsHere || otherLabelEarlier) {
        conflictRows += cell.rows;
        conflictIds.addAll(cell.ids);
        labels.add(String.valueOf(cell.label));
        if (otherLabelEarlier) {
          conflictFirstSeen = cells.get(0).ordinal;
        }
      }
    }
    if (conflictRows > 0) {
      counts.conflictRows += conflictRows;
      Collections.sort(conflictIds);
      List<String> labelSample = new ArrayList<>(labels);
      offer(
          result,
          new Evidence(
              ordinal,
              "LABEL_CONFLICT",
              feature,
              conflictRows,
              conflictFirstSeen,
              labelSample.subList(0, Math.min(MAX_LABELS, labelSample.size())),
              sample(conflictIds),
              Double.NaN),
          conflictIds);
    }
  }

  private void offer(Result result, Evidence evidence, List<String> suspects) {
    result.findings.offer(evidence);
    if (quarantineKinds.contains(evidence.kind())) {
      for (String id : suspects) {
        result.suspectOrdinals.add(evidence.ordinal());
        result.suspectIds.add(id);
        result.suspectKinds.add(evidence.kind());
      }
    }
  }

  private List<String> sample(List<String> sortedIds) {
    return new ArrayList<>(sortedIds.subList(0, Math.min(sampleIds, sortedIds.size())));
  }

  private static List<String> labelList(String label) {
    return label == null ? List.of() : List.of(label);
  }
}
