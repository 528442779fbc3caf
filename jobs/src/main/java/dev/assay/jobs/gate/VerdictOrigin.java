package dev.assay.jobs.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.AssayException;
import dev.assay.common.records.PartitionRun;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DeltaCommits;
import dev.assay.common.table.DeltaCommits.Commit;
import dev.assay.common.table.DeltaCommits.FileAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Whether each verdict row was written by Assay's verdict job, and is still the one its latest
 * finished verdict run wrote.
 *
 * <ul>
 *   <li>Every row must come from a verdict run recorded as SUCCEEDED in {@code runs}, and no
 *       verdict run of the same partition may have started after it finished: a killed run's rows,
 *       and a table rolled back to older rows, are not trusted.
 *   <li>Without a key, the verdicts table's Delta log must show the commit that wrote the row's
 *       run, with Assay's provenance, and no later commit to the partition's rows without it.
 *       Provenance can be forged by a writer who sets the same userMetadata: only a key stops that.
 * </ul>
 */
final class VerdictOrigin {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerdictOrigin() {}

  /**
   * Problems with rows whose run did not finish, or that a later finished verdict run should have
   * replaced; per partition.
   */
  static Map<String, String> unfinishedOrRolledBack(
      IntegrityStore store, String dataset, Map<String, VerdictRecord> verdicts) {
    Map<String, Map<String, PartitionRun>> runs = new HashMap<>();
    for (PartitionRun run : store.succeededRuns(dataset, "job = 'verdict'", verdicts.keySet())) {
      runs.computeIfAbsent(run.partition(), k -> new HashMap<>()).put(run.runId(), run);
    }
    Map<String, String> problems = new HashMap<>();
    for (Map.Entry<String, VerdictRecord> entry : verdicts.entrySet()) {
      String runId = entry.getValue().runId();
      Map<String, PartitionRun> ofPartition = runs.getOrDefault(entry.getKey(), Map.of());
      PartitionRun own = ofPartition.get(runId);
      if (own == null) {
        problems.put(
            entry.getKey(),
            "its verdict row names run "
                + runId
                + ", which integrity.runs does not record as"
                + " a finished verdict run: a killed run's row or one written outside Assay; re-run `assay verdict`");
        continue;
      }
      for (Map.Entry<String, PartitionRun> other : ofPartition.entrySet()) {
        if (other.getValue().startedAt().after(own.finishedAt())) {
          problems.put(
              entry.getKey(),
              "its verdict row is from run "
                  + runId
                  + ", but verdict run "
                  + other.getKey()
                  + " finished later and its row is gone: the verdicts table was rolled back or edited; re-run"
                  + " `assay verdict`");
          break;
        }
      }
    }
    return problems;
  }

  /**
   * Without a key: per partition, the problem with its row's provenance (absent when there is
   * none). A row whose commit is older than the log can be read (cleaned up) is not trusted either.
   */
  static Map<String, String> provenance(
      SparkSession spark,
      IntegrityStore store,
      String dataset,
      Map<String, VerdictRecord> verdicts) {
    Map<String, String> wanted = new HashMap<>();
    for (Map.Entry<String, VerdictRecord> entry : verdicts.entrySet()) {
      wanted.put(entry.getKey(), entry.getValue().runId());
    }
    Map<String, List<String>> foreign = new LinkedHashMap<>();
    Set<String> found = new HashSet<>();
    DeltaCommits log = DeltaCommits.of(spark, store.ref(IntegrityTables.VERDICTS));
    long version = log.latestVersion();
    Long horizon = null;
    for (; version >= 0 && found.size() < wanted.size(); version--) {
      Commit commit;
      try {
        commit = log.read(version);
      } catch (AssayException e) {
        horizon = version + 1;
        break;
      }
      JsonNode provenance = provenanceOf(commit);
      boolean assays =
          provenance != null
              && "verdict".equals(provenance.path("job").asText(null))
              && dataset.equals(provenance.path("dataset").asText(null));
      for (FileAction file : commit.files()) {
        if (!commit.changes(file)
            || !dataset.equals(file.partitionValues().getOrDefault("dataset", dataset))) {
          continue;
        }
        String partition = file.partitionValues().get("partition");
        for (String p : partition == null ? wanted.keySet() : Set.of(partition)) {
          if (!wanted.containsKey(p) || found.contains(p)) {
            continue;
          }
          if (assays
              && wanted.get(p).equals(provenance.path("run_id").asText(null))
              && file.added()) {
            found.add(p);
          } else if (!assays) {
            foreign
                .computeIfAbsent(p, k -> new ArrayList<>())
                .add(version + " (" + commit.operation() + ")");
          }
        }
      }
    }
    Map<String, String> problems = new HashMap<>();
    for (String partition : wanted.keySet()) {
      List<String> edits = foreign.getOrDefault(partition, List.of());
      if (!edits.isEmpty()) {
        problems.put(
            partition,
            "its verdict was changed outside Assay: verdicts table version(s) "
                + String.join(", ", edits)
                + " carry no Assay provenance; re-run `assay verdict`, and find out who"
                + " wrote them (docs/security.md)");
      } else if (!found.contains(partition) && horizon == null) {
        problems.put(
            partition,
            "no commit of the verdicts table carries its verdict's run "
                + wanted.get(partition)
                + ": the row was not written by Assay; re-run `assay verdict`");
      } else if (!found.contains(partition)) {
        problems.put(
            partition,
            "the commit of its verdict's run "
                + wanted.get(partition)
                + " is older than the"
                + " verdicts table's log, which starts at version "
                + horizon
                + " (older files were cleaned up), so its"
                + " provenance cannot be checked; re-run `assay verdict`, or configure a verdict key (docs/security.md)");
      }
    }
    return problems;
  }

  private static JsonNode provenanceOf(Commit commit) {
    if (commit.userMetadata() == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(commit.userMetadata());
      return node.isObject() ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
