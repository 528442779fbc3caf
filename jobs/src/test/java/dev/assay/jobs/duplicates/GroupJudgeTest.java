package dev.assay.jobs.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * One reducer's fingerprint records judged into counts, evidence, index records and suspects,
 * without Spark.
 */
@Tag("fast")
class GroupJudgeTest {
  private static final int HISTORY = 0;
  private static final int PENDING = 1;

  /**
   * Partition 0 is indexed history, partition 1 pending. Features 1 to 4 (content = feature * 10 +
   * n): feature 1's content was indexed in partition 0 and comes again (a replay); feature 2's
   * content is twice in the pending partition (a duplicate); feature 3 has two labels in it (a
   * conflict); feature 4 is a plain unique row.
   */
  private static GroupJudge.Result judge(List<String> quarantineKinds) {
    RecordBlock block = new RecordBlock();
    block.add(HISTORY, 1, 1, 11, 11, 3, "<=50K", null);
    block.add(PENDING, 1, 1, 11, 11, 1, "<=50K", "r1");
    block.add(PENDING, 2, 2, 21, 21, 1, ">50K", "r3");
    block.add(PENDING, 2, 2, 21, 21, 1, ">50K", "r2");
    block.add(PENDING, 3, 3, 31, 31, 1, "a", "r4");
    block.add(PENDING, 3, 3, 32, 32, 1, "b", "r5");
    block.add(PENDING, 4, 4, 41, 41, 1, "a", "r6");
    Iterator<Tuple2<Integer, RecordBlock>> input = List.of(new Tuple2<>(0, block)).iterator();
    Iterator<GroupJudge.Result> results =
        new GroupJudge(new boolean[] {false, true}, 5, 10, quarantineKinds).call(input);
    return results.next();
  }

  @Test
  void countsEachKindOfRecurrence() {
    Findings.Counts counts = judge(List.of()).findings.of(PENDING);
    assertEquals(6, counts.rows, "1 replayed + 2 duplicates + 2 conflicting + 1 unique");
    assertEquals(5, counts.distinct);
    assertEquals(1, counts.duplicateRows, "the second copy of feature 2");
    assertEquals(2, counts.recurringRows);
    assertEquals(1, counts.replayedRows);
    assertEquals(java.util.Map.of(HISTORY, 1L), counts.soleSourceRows);
    assertEquals(2, counts.conflictRows);
    assertEquals(2, counts.withinConflictRows);
  }

  @Test
  void evidenceNamesTheGroupAndWhereItWasFirstSeen() {
    Findings findings = judge(List.of()).findings;
    Evidence replay = findings.groups(PENDING, "REPLAY").get(0);
    assertEquals(1, replay.occurrences());
    assertEquals(HISTORY, replay.firstSeen());
    assertEquals(List.of("r1"), replay.sampleIds());
    Evidence duplicate = findings.groups(PENDING, "DUPLICATE").get(0);
    assertEquals(2, duplicate.occurrences());
    assertEquals(-1, duplicate.firstSeen());
    assertEquals(List.of("r2", "r3"), duplicate.sampleIds(), "ids sorted");
    Evidence conflict = findings.groups(PENDING, "LABEL_CONFLICT").get(0);
    assertEquals(2, conflict.occurrences());
    assertEquals(List.of("a", "b"), conflict.labels());
    assertEquals(List.of("r4", "r5"), conflict.sampleIds());
    assertEquals(0, findings.found(HISTORY, "REPLAY"), "history is not judged");
  }

  @Test
  void indexesEachPendingContentOnceWithItsSmallestId() {
    RecordBlock index = judge(List.of()).index;
    assertEquals(
        5, index.size, "contents 11, 21, 31, 32, 41 of the pending partition; none of history");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < index.size; i++) {
      assertEquals(PENDING, index.ordinal[i]);
      if (index.contentHi[i] == 21) {
        assertEquals(2, index.rows[i]);
      }
      ids.add(index.id[i]);
    }
    ids.sort(null);
    assertEquals(List.of("r1", "r2", "r4", "r5", "r6"), ids);
  }

  @Test
  void suspectsAreTheRowsOfQuarantinedKindsButTheFirstCopy() {
    GroupJudge.Result result = judge(List.of("DUPLICATE", "REPLAY"));
    List<String> suspects = new ArrayList<>();
    for (int i = 0; i < result.suspectIds.size(); i++) {
      suspects.add(result.suspectKinds.get(i) + ":" + result.suspectIds.get(i));
    }
    suspects.sort(null);
    assertEquals(List.of("DUPLICATE:r3", "REPLAY:r1"), suspects);
  }
}
