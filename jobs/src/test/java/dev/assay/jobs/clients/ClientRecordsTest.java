package dev.assay.jobs.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.assay.common.records.ClientAnomalyRecord;
import dev.assay.common.records.ClientHistoryRecord;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A round's judged client scores and client histories as records, without Spark. */
@Tag("fast")
class ClientRecordsTest {
  private static final double NAN = Double.NaN;

  /** A whole-update score: norm 12.5 with z 6.2, the rest not computed or infinite. */
  private static ClientScore score(
      boolean flagged, List<String> reasons, String status, String note) {
    return new ClientScore(
        "c007",
        null,
        40,
        12.5,
        6.2,
        NAN,
        NAN,
        NAN,
        NAN,
        0.5,
        NAN,
        NAN,
        NAN,
        NAN,
        null,
        Double.POSITIVE_INFINITY,
        3,
        NAN,
        NAN,
        NAN,
        0,
        1.55,
        flagged,
        reasons,
        status,
        note);
  }

  @Test
  void aFlaggedClientsReasonNamesTheRoundAndEveryFlag() {
    ClientScore flagged =
        score(true, List.of("norm_z 6.2 >= 4", "sign_agreement 0.5 < 0.6"), "FAIL", null);
    ClientAnomalyRecord record = ClientRecords.anomaly("fl", "r12", "run-1", flagged);
    assertEquals(
        "client-anomalies: round r12: norm_z 6.2 >= 4; sign_agreement 0.5 < 0.6", record.reason());
    assertEquals("FAIL", record.status());
    assertEquals(true, record.flagged());
    assertEquals(List.of("norm_z 6.2 >= 4", "sign_agreement 0.5 < 0.6"), record.reasons());
    assertEquals("r12", record.partition());
    assertEquals("c007", record.clientId());
    assertNull(record.layer());
    assertEquals(40L, record.dim());
    assertEquals(12.5, record.norm());
    assertEquals(6.2, record.normZ());
    assertEquals(1.55, record.score());
  }

  @Test
  void scoresNotComputedOrInfiniteAreNull() {
    ClientAnomalyRecord record =
        ClientRecords.anomaly("fl", "r12", "run-1", score(false, List.of(), "OK", null));
    assertNull(record.cosineToMedian());
    assertNull(record.krumScore());
    assertNull(record.sybilZ(), "infinite");
    assertEquals(3L, record.historyRounds());
    assertEquals(0L, record.nonFinite());
  }

  @Test
  void anUnflaggedClientCarriesOnlyItsNote() {
    ClientAnomalyRecord noted =
        ClientRecords.anomaly(
            "fl", "r2", "run-1", score(false, List.of(), "OK", "history too short: 1 of 3 rounds"));
    assertEquals("client-anomalies: history too short: 1 of 3 rounds", noted.reason());
    assertEquals("history too short: 1 of 3 rounds", noted.note());
    ClientAnomalyRecord quiet =
        ClientRecords.anomaly("fl", "r2", "run-1", score(false, List.of(), "OK", null));
    assertNull(quiet.reason());
    assertEquals(List.of(), quiet.reasons());
  }

  @Test
  void aHistoryRoundTripsThroughItsRecord() {
    ClientHistory state =
        new ClientHistory("c007", 4, 40, new double[] {0.5, -1.25}, 3, 2.0, 0.5, 2, 0.9, 0.02);
    ClientHistoryRecord stored =
        ClientRecords.history("fl", "r4", "run-1", state, new double[] {0.3, 0.4});
    assertEquals(List.of(0.5, -1.25), stored.sketch());
    assertEquals(List.of(0.3, 0.4), stored.krumSpreads());
    ClientHistory read = ClientRecords.state(stored);
    assertEquals("c007", read.client);
    assertEquals(4, read.rounds);
    assertEquals(40, read.dim);
    assertArrayEquals(new double[] {0.5, -1.25}, read.sketch);
    assertEquals(3, read.normCount);
    assertEquals(2.0, read.normMean);
    assertEquals(0.5, read.normM2);
    assertEquals(2, read.cosineCount);
    assertEquals(0.9, read.cosineMean);
    assertEquals(0.02, read.cosineM2);
    assertArrayEquals(new double[] {0.3, 0.4}, ClientRecords.krumSpreads(stored));
  }

  @Test
  void historyWrittenBeforeKrumCalibrationHasNoSpreads() {
    ClientHistoryRecord old =
        new ClientHistoryRecord(
            "fl", "r4", "run-1", "c007", 4L, 40L, List.of(0.5), 3L, 2.0, 0.5, 2L, 0.9, 0.02, null);
    assertArrayEquals(new double[0], ClientRecords.krumSpreads(old));
  }

  @Test
  void theStoredSketchIsACopy() {
    ClientHistory state =
        new ClientHistory("c007", 4, 40, new double[] {0.5}, 3, 2.0, 0.5, 2, 0.9, 0.02);
    ClientHistoryRecord stored = ClientRecords.history("fl", "r4", "run-1", state, new double[0]);
    // later rounds keep accumulating into the live sketch; the stored round must not move
    state.sketch[0] = 9;
    assertEquals(List.of(0.5), stored.sketch());
  }
}
