package dev.assay.jobs.clients;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.config.DatasetKind;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.records.ClientAnomalyRecord;
import dev.assay.common.records.ClientHistoryRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores every client of every pending round of a {@code client_updates} dataset: norm, cosine to
 * the coordinate-wise median, sign agreement, Multi-Krum, sybil similarity of histories, and the
 * client's own history. Writes {@code client_anomalies} (the verdict source) and the history state
 * {@code client_history}. docs/client-anomalies.md explains every score.
 */
public final class ClientAnomaliesJob implements Job {
  @Override
  public String name() {
    return "client-anomalies";
  }

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.kind() instanceof DatasetKind.ClientUpdates;
  }

  @Override
  public Optional<IntegrityTable<?>> verdictSource() {
    return Optional.of(IntegrityTables.CLIENT_ANOMALIES);
  }

  @Override
  public String describe(JobContext context) {
    return "Scoring the clients of "
        + context.partitions().size()
        + " round(s) of "
        + context.dataset().name();
  }

  /**
   * Histories run through the rounds in order, so a round is scored after every earlier round:
   * rounds before the selection that have no history yet come along, and so do the later rounds
   * whose histories a re-scored round changes.
   */
  @Override
  public List<String> alsoProcess(
      IntegrityStore store, DatasetTable table, List<String> all, List<String> selected) {
    Set<String> stated = historyRounds(store, table.config().name());
    Set<String> chosen = new HashSet<>(selected);
    int first = all.size();
    int last = -1;
    for (int i = 0; i < all.size(); i++) {
      if (chosen.contains(all.get(i))) {
        first = Math.min(first, i);
        last = i;
      }
      if (stated.contains(all.get(i))) {
        last = Math.max(last, i);
      }
    }
    while (first > 0 && first < all.size() && !stated.contains(all.get(first - 1))) {
      first--;
    }
    List<String> more = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      if (!chosen.contains(all.get(i))) {
        more.add(all.get(i));
      }
    }
    return more;
  }

  @Override
  public JobOutcome run(JobContext context) {
    DatasetConfig dataset = context.dataset();
    List<String> rounds = context.partitions();
    int first = context.allPartitions().indexOf(rounds.get(0));
    Map<String, ClientHistory> history = new HashMap<>();
    double[] spreads =
        first > 0
            ? loadHistory(context, context.allPartitions().get(first - 1), history)
            : new double[0];
    RoundScorer scorer = new RoundScorer(dataset, spreads);
    String runId = context.run().runId();
    List<ClientAnomalyRecord> results = new ArrayList<>();
    List<ClientHistoryRecord> states = new ArrayList<>();
    long flagged = 0;
    long clients = 0;
    Iterator<UpdatePass.RoundSums> pass = UpdatePass.run(context, rounds);
    while (pass.hasNext()) {
      UpdatePass.RoundSums round = pass.next();
      List<RoundScorer.Update> updates = new ArrayList<>();
      for (Map.Entry<String, Map<String, Partial>> client :
          new TreeMap<>(round.clients()).entrySet()) {
        Partial whole = new Partial();
        client.getValue().values().forEach(whole::merge);
        updates.add(new RoundScorer.Update(client.getKey(), whole, client.getValue()));
      }
      RoundScorer.Scored scored =
          scorer.score(round.round(), round.medianByLayer(), updates, history);
      history = scored.history();
      for (ClientScore score : scored.scores()) {
        results.add(ClientRecords.anomaly(dataset.name(), round.round(), runId, score));
        if (score.layer() == null) {
          clients++;
          flagged += score.flagged() ? 1 : 0;
        }
      }
      double[] roundSpreads = scorer.krumSpreads();
      for (ClientHistory state : new TreeMap<>(history).values()) {
        states.add(
            ClientRecords.history(dataset.name(), round.round(), runId, state, roundSpreads));
      }
    }
    IntegrityStore store = context.store();
    store.replacePartitions(
        IntegrityTables.CLIENT_ANOMALIES, dataset.name(), rounds, results, context.run());
    store.replacePartitions(
        IntegrityTables.CLIENT_HISTORY, dataset.name(), rounds, states, context.run());
    return new JobOutcome(
        clients,
        "scored "
            + clients
            + " client update(s) in "
            + rounds.size()
            + " round(s); "
            + flagged
            + " flagged");
  }

  private static Set<String> historyRounds(IntegrityStore store, String dataset) {
    Set<String> rounds = new HashSet<>();
    for (ClientHistoryRecord row :
        IntegrityTables.CLIENT_HISTORY.collect(
            store
                .read(IntegrityTables.CLIENT_HISTORY)
                .where(col("dataset").equalTo(dataset))
                .select("partition")
                .distinct())) {
      rounds.add(row.partition());
    }
    return rounds;
  }

  /**
   * Fills {@code history} with every client's state through {@code round} and returns the spreads
   * of ln Multi-Krum through it (empty for history written before krum_z was calibrated).
   */
  private static double[] loadHistory(
      JobContext context, String round, Map<String, ClientHistory> history) {
    double[] spreads = new double[0];
    for (ClientHistoryRecord stored :
        IntegrityTables.CLIENT_HISTORY.collect(
            context
                .store()
                .read(IntegrityTables.CLIENT_HISTORY)
                .where(
                    col("dataset")
                        .equalTo(context.dataset().name())
                        .and(col("partition").equalTo(round))))) {
      history.put(stored.clientId(), ClientRecords.state(stored));
      spreads = ClientRecords.krumSpreads(stored);
    }
    return spreads;
  }
}
