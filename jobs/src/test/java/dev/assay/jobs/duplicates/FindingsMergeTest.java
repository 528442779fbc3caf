package dev.assay.jobs.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.AdultSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link Findings}, merged on the driver in reducer order: an empty state is the
 * identity, merging is associative and commutative, including which of many tied groups survive the
 * max_groups cut (Evidence's order breaks ties by fingerprint). Groups are Adult's (education,
 * occupation) combinations in two partitions, sized by how often each occurs.
 */
@Tag("fast")
class FindingsMergeTest {
  private static final int MAX_GROUPS = 4;
  private static final String[] KINDS = {"DUPLICATE", "REPLAY"};
  private static final List<Evidence> EVIDENCE = evidence();

  private static List<Evidence> evidence() {
    Map<String, Long> occurrences = new TreeMap<>();
    for (String[] row : AdultSample.rows(400)) {
      occurrences.merge(
          row[AdultSample.EDUCATION] + "|" + row[AdultSample.OCCUPATION], 1L, Long::sum);
    }
    List<Evidence> evidence = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Long> group : occurrences.entrySet()) {
      int ordinal = i % 2;
      String kind = KINDS[(i / 2) % 2];
      evidence.add(
          new Evidence(
              ordinal,
              kind,
              group.getKey(),
              group.getValue(),
              kind.equals("REPLAY") ? 0 : -1,
              List.of(),
              List.of("row-" + i),
              Double.NaN));
      i++;
    }
    return evidence;
  }

  /** The findings of evidence [from, to), with row counts that follow from it. */
  private static Findings findings(int from, int to) {
    Findings findings = new Findings(MAX_GROUPS);
    for (Evidence e : EVIDENCE.subList(from, to)) {
      findings.offer(e);
      Findings.Counts counts = findings.of(e.ordinal());
      counts.rows += e.occurrences();
      counts.distinct++;
      counts.duplicateRows += e.occurrences() - 1;
      if (e.kind().equals("REPLAY")) {
        counts.replayedRows += e.occurrences();
        counts.soleSourceRows.merge(e.firstSeen(), e.occurrences(), Long::sum);
      }
    }
    return findings;
  }

  private static List<Object> summary(Findings f) {
    List<Object> out = new ArrayList<>();
    for (int ordinal = 0; ordinal < 2; ordinal++) {
      Findings.Counts c = f.counts.get(ordinal);
      out.add(
          c == null
              ? "none"
              : List.of(
                  c.rows,
                  c.distinct,
                  c.duplicateRows,
                  c.recurringRows,
                  c.replayedRows,
                  c.conflictRows,
                  c.withinConflictRows,
                  c.nearRows,
                  c.soleSourceRows));
      for (String kind : KINDS) {
        out.add(f.found(ordinal, kind));
        out.add(f.groups(ordinal, kind).stream().map(Evidence::fingerprint).toList());
      }
    }
    return out;
  }

  @Test
  void theExampleHasTiesAtTheCut() {
    int n = EVIDENCE.size();
    assertTrue(n > 40, "groups " + n);
    assertNotEquals(summary(findings(0, n / 3)), summary(findings(n / 3, n)));
    // many groups occur once or twice, so the cut at max_groups falls among equal counts
    long ones = EVIDENCE.stream().filter(e -> e.occurrences() == 1).count();
    assertTrue(ones > MAX_GROUPS * 4, "groups seen once " + ones);
  }

  @Test
  void mergeLaws() {
    int n = EVIDENCE.size();
    int x = n / 3;
    int y = 2 * n / 3;
    Findings empty = new Findings(MAX_GROUPS);
    assertEquals(summary(findings(0, x)), summary(findings(0, x).merge(empty)));
    assertEquals(summary(findings(0, x)), summary(new Findings(MAX_GROUPS).merge(findings(0, x))));
    assertEquals(
        summary(findings(0, x).merge(findings(x, y)).merge(findings(y, n))),
        summary(findings(0, x).merge(findings(x, y).merge(findings(y, n)))));
    assertEquals(
        summary(findings(0, x).merge(findings(x, y))),
        summary(findings(x, y).merge(findings(0, x))));
    assertEquals(
        summary(findings(0, n)),
        summary(findings(y, n).merge(findings(0, x)).merge(findings(x, y))));
  }
}
