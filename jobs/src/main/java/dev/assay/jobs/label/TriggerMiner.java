package dev.assay.jobs.label;

import dev.assay.common.config.LabelSettings;
import dev.assay.common.records.TriggerRecord;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Backdoor-trigger mining in one partition. A single item (a categorical value, an exact numeric
 * value or a bin) is a trigger when it covers enough rows, almost all of them carry one label, and
 * it is rare or absent in the baseline; or when a value the baseline knows has at least twice its
 * expected rows and its excess rows all carry one label, its other labels staying within their
 * expectation (a backdoor hidden behind a value's natural rows). Pairs are counted only among
 * suspicious items (whose rows with one label exceed the baseline's expectation): one filtered read
 * of the partition, done only when there are at least two. A pair that covers almost all of a
 * single trigger's rows replaces it, being more specific. The mining works on counts; reading the
 * partition's rows (for pairs and evidence) is {@link TriggerEvidence}'s.
 */
final class TriggerMiner {
  static final int SAMPLE_IDS = 20;

  /**
   * z-score of an item's excess rows with one label for it to be suspicious (its pairs are
   * counted).
   */
  static final double SUSPICIOUS_Z = 4.0;

  /**
   * z-score a single trigger's excess must reach: a naturally pure rare value (one exact capital
   * gain that is always >50K) fluctuates between partitions, and its excess is never this far from
   * chance.
   */
  static final double TRIGGER_Z = 5.0;

  /** Chance probability of a trigger's purity given its label's baseline share, at most. */
  static final double PURITY_P = 1e-4;

  /** How many times its expected rows a value with pure excess rows must have to be a trigger. */
  static final double EXCESS_LIFT = 2.0;

  /**
   * Baseline pseudo-rows with the label's overall share that an item's own label share is shrunk
   * with.
   */
  static final double PRIOR_ROWS = 10;

  /**
   * Distinct values outside the baseline's range that show a numeric feature moved (see
   * movedOutOfRange).
   */
  static final int MOVED_VALUES = 3;

  /**
   * Share of the partition's rows outside the baseline's range that shows a numeric feature moved.
   */
  static final double MOVED_SHARE = 0.01;

  /** Share of a single trigger's rows a pair must cover to replace it. */
  static final double COVER = 0.95;

  /**
   * A feature whose values are mostly absent from the baseline has shifted wholesale (a unit bug, a
   * new encoding), which feature drift reports; its values are not trigger candidates.
   */
  static final double MAX_UNSEEN_SHARE = 0.25;

  private final FeatureItems[] items;
  private final LabelSettings.Triggers settings;

  TriggerMiner(LabelSettings.Triggers settings, FeatureItems[] items) {
    this.items = items;
    this.settings = settings;
  }

  /** One feature's item (a value, a bin or a value pair), by the feature's index. */
  record Condition(int feature, String item) {}

  /**
   * How many of the partition's rows carry one label and match each suspicious condition or not.
   *
   * @param matches per condition, in the order asked, whether these rows match it
   */
  record Combo(boolean[] matches, String label, long rows) {}

  /** Counts the rows of each combination of the suspicious conditions that some row matches. */
  interface Combos {
    List<Combo> count(List<Condition> suspects);
  }

  /**
   * A trigger found, with everything its {@code trigger_candidates} row says but the ids of sample
   * rows, which only the partition's rows have.
   *
   * @param description its conditions as "column=value" joined by AND
   */
  record Candidate(
      List<Condition> conditions,
      String target,
      String description,
      List<String> columns,
      List<String> values,
      long support,
      long targetRows,
      double purity,
      double baseShare,
      double lift,
      String reason) {
    TriggerRecord record(Scope scope, List<String> sampleIds) {
      return new TriggerRecord(
          scope.dataset(),
          scope.partition(),
          scope.runId(),
          description,
          columns,
          values,
          target,
          support,
          targetRows,
          purity,
          baseShare,
          lift,
          List.copyOf(sampleIds),
          Status.FAIL.name(),
          reason);
    }
  }

  /** One condition: a feature's item, with the label its excess rows carry. */
  private record Item(
      int feature,
      String item,
      String target,
      long support,
      long targetRows,
      double baseShare,
      double lift,
      double excess,
      double z) {}

  /** A reported trigger: one or two items. */
  private record Trigger(
      List<Item> items,
      String target,
      long support,
      long targetRows,
      double baseShare,
      double lift) {}

  /**
   * The triggers of one partition, each a FAIL; none without labelled rows on either side.
   *
   * @param drifted features whose feature drift FAILed in this partition: their values moved
   *     wholesale (a unit bug, a new encoding), which feature-drift reports, so they are no trigger
   * @param combos counts the partition's rows for pairs of suspicious items (asked only when they
   *     come from at least two features)
   */
  List<Candidate> mine(LabelState state, LabelState base, Set<String> drifted, Combos combos) {
    long n = state.rows - state.nullLabels;
    long baseRows = base.rows - base.nullLabels;
    List<Candidate> found = new ArrayList<>();
    if (n == 0 || baseRows == 0) {
      return found;
    }
    long minSupport =
        Math.max(settings.minSupport(), (long) Math.ceil(settings.minSupportShare() * n));
    List<Item> singles = new ArrayList<>();
    List<Item> suspects = new ArrayList<>();
    boolean[] moved = new boolean[items.length];
    for (int f = 0; f < items.length; f++) {
      FeatureItems feature = items[f];
      moved[f] =
          feature.mode() == FeatureItems.Mode.PAIR
              ? moved[feature.firstIndex()] || moved[feature.secondIndex()]
              : drifted.contains(feature.feature())
                  || unseenShare(state, base, f, n) > MAX_UNSEEN_SHARE
                  || movedOutOfRange(state, base, f, n);
    }
    for (int f = 0; f < items.length; f++) {
      if (items[f].mode() == FeatureItems.Mode.SKIPPED || moved[f]) {
        continue;
      }
      for (Map.Entry<String, Map<String, Long>> entry : state.features.get(f).entrySet()) {
        if (LabelCounter.OTHER.equals(entry.getKey())) {
          continue;
        }
        Map<String, Long> labels = entry.getValue();
        long support = LabelDriftJob.sum(labels);
        if (support < minSupport / 2) {
          continue;
        }
        String target =
            labels.entrySet().stream()
                .max(
                    Map.Entry.<String, Long>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .get()
                .getKey();
        long targetRows = labels.get(target);
        Map<String, Long> before = base.features.get(f).getOrDefault(entry.getKey(), Map.of());
        double baseShare = (double) LabelDriftJob.sum(before) / baseRows;
        double lift = ((double) support / n) / Math.max(baseShare, 0.5 / baseRows);
        double expected = n * (before.getOrDefault(target, 0L) + 0.5) / (baseRows + 1);
        double excess = targetRows - expected;
        // the expectation's own variance (it comes from the baseline's count) widens the noise
        Item item =
            new Item(
                f,
                entry.getKey(),
                target,
                support,
                targetRows,
                baseShare,
                lift,
                excess,
                excess / Math.sqrt(expected * (1 + (double) n / baseRows) + 1));
        // against the item's own labels in the baseline: a value that was already this pure is no
        // trigger,
        // whatever its frequency did
        boolean newAssociation =
            surprising(
                targetRows,
                support,
                Math.max(
                    ownShare(base, f, entry.getKey(), target, baseRows),
                    currentShare(state, target, n)));
        boolean pure =
            support >= minSupport
                && (double) targetRows / support >= settings.purity()
                && lift >= settings.minLift()
                && newAssociation;
        double expectedRows = n * (LabelDriftJob.sum(before) + 0.5) / (baseRows + 1);
        double otherExcess = (support - targetRows) - (expectedRows - expected);
        boolean excessPure =
            newAssociation
                && excess >= minSupport
                && support >= EXCESS_LIFT * expectedRows
                && otherExcess
                    <= (1 - settings.purity()) * excess
                        + 2 * Math.sqrt(expectedRows - expected + 1);
        boolean single = (pure || excessPure) && item.z() >= TRIGGER_Z;
        if (single) {
          singles.add(item);
        }
        boolean pairFeature = items[f].mode() == FeatureItems.Mode.PAIR;
        if (!pairFeature && (single || excess >= minSupport / 2.0 && item.z() >= SUSPICIOUS_Z)) {
          suspects.add(item);
        }
      }
    }
    suspects.sort(Comparator.comparingDouble(Item::z).reversed());
    List<Item> searched = suspects.subList(0, Math.min(settings.maxSingles(), suspects.size()));
    List<Trigger> triggers =
        choose(tightest(singles), pairs(combos, searched, minSupport, n, state, base, baseRows));
    for (Trigger trigger : distinct(triggers)) {
      found.add(candidate(trigger, n));
    }
    return found;
  }

  /**
   * Pairs of suspicious items from different features that qualify as triggers, most rows first.
   */
  private List<Trigger> pairs(
      Combos combos,
      List<Item> suspects,
      long minSupport,
      long n,
      LabelState state,
      LabelState base,
      long baseRows) {
    Set<Integer> features = new HashSet<>();
    suspects.forEach(s -> features.add(s.feature()));
    List<Trigger> pairs = new ArrayList<>();
    if (features.size() < 2) {
      return pairs;
    }
    List<Combo> counted =
        combos.count(suspects.stream().map(s -> new Condition(s.feature(), s.item())).toList());
    for (int i = 0; i < suspects.size(); i++) {
      for (int j = i + 1; j < suspects.size(); j++) {
        Item a = suspects.get(i);
        Item b = suspects.get(j);
        if (a.feature() == b.feature() || !a.target().equals(b.target())) {
          continue;
        }
        long support = 0;
        long targetRows = 0;
        for (Combo combo : counted) {
          if (combo.matches()[i] && combo.matches()[j]) {
            support += combo.rows();
            targetRows += a.target().equals(combo.label()) ? combo.rows() : 0;
          }
        }
        boolean explains =
            targetRows >= 0.5 * Math.min(a.excess(), b.excess())
                || targetRows >= COVER * Math.min(a.targetRows(), b.targetRows());
        double shareA = ownShare(base, a.feature(), a.item(), a.target(), baseRows);
        double shareB = ownShare(base, b.feature(), b.item(), a.target(), baseRows);
        double ownShare =
            Math.max(
                currentShare(state, a.target(), n),
                Math.max(
                    Math.max(shareA, shareB),
                    together(shareA, shareB, overallShare(base, a.target(), baseRows))));
        double baseShare =
            share(base, a, baseRows)
                * share(base, b, baseRows)
                / Math.max(targetShare(base, a.target(), baseRows), 0.5 / baseRows);
        double lift = ((double) support / n) / Math.max(baseShare, 0.5 / baseRows);
        // a backdoor adds rows carrying its values, so at least one of them must have become more
        // frequent;
        // a storm makes an ordinary route late without making it more frequent
        boolean added = Math.max(a.lift(), b.lift()) >= EXCESS_LIFT;
        if (support >= minSupport
            && (double) targetRows / support >= settings.purity()
            && explains
            && lift >= settings.minLift()
            && added
            && surprising(targetRows, support, ownShare)) {
          pairs.add(new Trigger(List.of(a, b), a.target(), support, targetRows, baseShare, lift));
        }
      }
    }
    pairs.sort(Comparator.comparingLong(Trigger::targetRows).reversed());
    return pairs;
  }

  /**
   * The single triggers without those a value combination (a pair feature's trigger) explains: a
   * single value whose target rows the combination nearly covers is reported as the combination.
   */
  private List<Item> tightest(List<Item> singles) {
    List<Item> kept = new ArrayList<>();
    for (Item single : singles) {
      boolean covered = false;
      for (Item combination : singles) {
        FeatureItems pair = items[combination.feature()];
        covered |=
            pair.mode() == FeatureItems.Mode.PAIR
                && items[single.feature()].mode() != FeatureItems.Mode.PAIR
                && combination.target().equals(single.target())
                && pair.pairSets(combination.item(), single.feature(), single.item())
                && explains(combination.targetRows(), single);
      }
      if (!covered) {
        kept.add(single);
      }
    }
    return kept;
  }

  /**
   * Whether a combination's {@code targetRows} explain a single trigger: at least {@value #COVER}
   * of its target rows, or of its excess when the value's natural rows dilute it (a backdoor on a
   * divorced wife makes 'wife' look like a trigger too, through the injected rows alone).
   */
  private static boolean explains(long targetRows, Item single) {
    return targetRows >= COVER * Math.min(single.targetRows(), Math.max(single.excess(), 0));
  }

  /**
   * The triggers without those that share a condition (a feature's value) and the label with one
   * that explains more rows (see {@link #explained}; the purer first among equals): they are views
   * of the same injected rows (setting two values on rows leaves their other values, so the rows
   * also form rarer combinations with those).
   */
  private List<Trigger> distinct(List<Trigger> triggers) {
    List<Trigger> sorted = new ArrayList<>(triggers);
    sorted.sort(
        Comparator.comparingDouble(TriggerMiner::explained)
            .reversed()
            .thenComparing(
                Comparator.comparingDouble((Trigger t) -> (double) t.targetRows() / t.support())
                    .reversed()));
    List<Trigger> kept = new ArrayList<>();
    for (Trigger trigger : sorted) {
      boolean overlaps = false;
      for (Trigger larger : kept) {
        overlaps |=
            larger.target().equals(trigger.target())
                && !java.util.Collections.disjoint(conditions(larger), conditions(trigger));
      }
      if (!overlaps) {
        kept.add(trigger);
      }
    }
    return kept;
  }

  /**
   * The rows a trigger explains: its target rows, or for one item diluted by its natural rows only
   * those beyond the baseline's expectation (a two-value pair found among suspects is new, so all
   * of them).
   */
  private static double explained(Trigger trigger) {
    return trigger.items().size() == 1
        ? Math.min(trigger.targetRows(), trigger.items().get(0).excess())
        : trigger.targetRows();
  }

  /** A trigger's conditions as "column=value" strings. */
  private Set<String> conditions(Trigger trigger) {
    Set<String> conditions = new HashSet<>();
    for (Item item : trigger.items()) {
      List<String> columns = items[item.feature()].columns();
      List<String> values = items[item.feature()].values(item.item());
      for (int i = 0; i < columns.size(); i++) {
        conditions.add(columns.get(i) + "=" + values.get(i));
      }
    }
    return conditions;
  }

  /** The share of the partition's labelled rows whose value of feature f the baseline never had. */
  private static double unseenShare(LabelState state, LabelState base, int f, long n) {
    long unseen = 0;
    for (Map.Entry<String, Map<String, Long>> entry : state.features.get(f).entrySet()) {
      if (!base.features.get(f).containsKey(entry.getKey())) {
        unseen += LabelDriftJob.sum(entry.getValue());
      }
    }
    return (double) unseen / n;
  }

  /**
   * Whether {@code targetRows} of {@code support} rows with one label is unlikely by chance when
   * each row has the label with probability {@code share}: P(Binomial(support, share) >=
   * targetRows) <= {@value #PURITY_P}. Ten rows all of a 76% label happen by chance (p 0.06); ten
   * of a 24% label do not (6e-7).
   */
  private static boolean surprising(long targetRows, long support, double share) {
    double tail =
        new BinomialDistribution(
                null, (int) Math.min(support, Integer.MAX_VALUE), Math.min(share, 1))
            .cumulativeProbability((int) Math.min(targetRows, Integer.MAX_VALUE) - 1);
    return 1 - tail <= PURITY_P;
  }

  /**
   * The item's own share of the target label in the baseline, shrunk by {@value #PRIOR_ROWS}
   * pseudo-rows towards what is expected without its history: the label's overall share for a
   * value, and for a combination what its two values predict together. A value the baseline rarely
   * saw is judged against that expectation, a value it saw often against its own history.
   */
  private double ownShare(LabelState base, int feature, String item, String target, long baseRows) {
    FeatureItems pair = items[feature];
    double prior = overallShare(base, target, baseRows);
    if (pair.mode() == FeatureItems.Mode.PAIR) {
      List<String> values = pair.values(item);
      prior =
          together(
              ownShare(base, pair.firstIndex(), values.get(0), target, baseRows),
              ownShare(base, pair.secondIndex(), values.get(1), target, baseRows),
              prior);
    }
    Map<String, Long> before = base.features.get(feature).getOrDefault(item, Map.of());
    return (before.getOrDefault(target, 0L) + PRIOR_ROWS * prior)
        / (LabelDriftJob.sum(before) + PRIOR_ROWS);
  }

  private static double overallShare(LabelState base, String target, long baseRows) {
    return (base.labels.getOrDefault(target, 0L) + 0.5) / (baseRows + 1);
  }

  /**
   * The label's share that two values with shares {@code a} and {@code b} predict together when
   * each carries its own evidence (naive Bayes: their odds multiplied, over the label's overall
   * odds). Two values that each go with the label are purer together (a master's degree and a
   * managerial job); with a day or two of history such a combination is seen on a handful of rows,
   * and is judged against this rather than the label's overall share.
   */
  static double together(double a, double b, double overall) {
    double odds = odds(a) * odds(b) / odds(overall);
    return odds / (1 + odds);
  }

  private static double odds(double share) {
    double p = Math.min(Math.max(share, 1e-6), 1 - 1e-6);
    return p / (1 - p);
  }

  /**
   * The label's share in the partition itself. When a whole day moves towards one label (every
   * flight on time in fair weather) any large group is that pure by chance, so purity is also
   * judged against it.
   */
  private static double currentShare(LabelState state, String target, long n) {
    return (double) state.labels.getOrDefault(target, 0L) / n;
  }

  /** The smallest and largest exact value of a numeric feature in the baseline. */
  private static double[] valueRange(Map<String, Map<String, Long>> baseline) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (String item : baseline.keySet()) {
      double v = number(item);
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }

  /**
   * Whether a numeric feature's values moved out of the baseline's range: at least {@value
   * #MOVED_VALUES} distinct values outside it on at least {@value #MOVED_SHARE} of the rows. A unit
   * bug spreads over many new values; a backdoor sets one.
   */
  private boolean movedOutOfRange(LabelState state, LabelState base, int f, long n) {
    if (items[f].mode() != FeatureItems.Mode.EXACT) {
      return false;
    }
    double[] range = valueRange(base.features.get(f));
    if (range == null) {
      return false;
    }
    int values = 0;
    long rows = 0;
    for (Map.Entry<String, Map<String, Long>> entry : state.features.get(f).entrySet()) {
      double v = number(entry.getKey());
      if (Double.isFinite(v) && (v < range[0] || v > range[1])) {
        values++;
        rows += LabelDriftJob.sum(entry.getValue());
      }
    }
    return values >= MOVED_VALUES && rows >= MOVED_SHARE * n;
  }

  private static double number(String item) {
    try {
      return item == null ? Double.NaN : Double.parseDouble(item);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double share(LabelState base, Item item, long baseRows) {
    long rows =
        base.features
            .get(item.feature())
            .getOrDefault(item.item(), Map.of())
            .getOrDefault(item.target(), 0L);
    return (rows + 0.5) / (baseRows + 1);
  }

  private static double targetShare(LabelState base, String target, long baseRows) {
    return (double) base.labels.getOrDefault(target, 0L) / baseRows;
  }

  /**
   * The reported triggers: a pair replaces each single trigger whose rows it nearly covers; a pair
   * of two non-trigger items is reported when neither item is already used; remaining singles
   * alone.
   */
  private static List<Trigger> choose(List<Item> singles, List<Trigger> pairs) {
    List<Trigger> chosen = new ArrayList<>();
    Set<Item> used = new HashSet<>();
    for (Trigger pair : pairs) {
      Item a = pair.items().get(0);
      Item b = pair.items().get(1);
      if (used.contains(a) || used.contains(b)) {
        continue;
      }
      boolean replacesA = singles.contains(a) && explains(pair.targetRows(), a);
      boolean replacesB = singles.contains(b) && explains(pair.targetRows(), b);
      boolean fresh = !singles.contains(a) && !singles.contains(b);
      if (replacesA || replacesB || fresh) {
        chosen.add(pair);
        used.add(a);
        used.add(b);
      }
    }
    singles.sort(Comparator.comparingLong(Item::targetRows).reversed());
    for (Item single : singles) {
      if (!used.contains(single)) {
        chosen.add(
            new Trigger(
                List.of(single),
                single.target(),
                single.support(),
                single.targetRows(),
                single.baseShare(),
                single.lift()));
      }
    }
    return chosen;
  }

  private Candidate candidate(Trigger trigger, long n) {
    List<Condition> conditions = new ArrayList<>();
    List<String> described = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Item item : trigger.items()) {
      FeatureItems feature = items[item.feature()];
      conditions.add(new Condition(item.feature(), item.item()));
      described.add(feature.describe(item.item()));
      columns.addAll(feature.columns());
      values.addAll(feature.values(item.item()));
    }
    String description = String.join(" AND ", described);
    double purity = (double) trigger.targetRows() / trigger.support();
    String reason =
        "label-drift: backdoor trigger candidate: "
            + description
            + " -> label '"
            + trigger.target()
            + "' on "
            + trigger.targetRows()
            + " of "
            + trigger.support()
            + " rows ("
            + purityText(trigger, purity)
            + ", support "
            + Reasons.number(100.0 * trigger.support() / n)
            + "% of the partition, "
            + Reasons.number(trigger.lift())
            + "x its baseline share "
            + Reasons.number(trigger.baseShare())
            + ")";
    return new Candidate(
        conditions,
        trigger.target(),
        description,
        columns,
        values,
        trigger.support(),
        trigger.targetRows(),
        purity,
        trigger.baseShare(),
        trigger.lift(),
        reason);
  }

  /**
   * The purity, or for a trigger hidden behind a value's natural rows, the excess that carries the
   * label.
   */
  private String purityText(Trigger trigger, double purity) {
    if (purity >= settings.purity()) {
      return "purity " + Reasons.number(purity) + " >= " + Reasons.number(settings.purity());
    }
    return "purity "
        + Reasons.number(purity)
        + ", diluted by the value's natural rows: its "
        + Reasons.number(trigger.items().get(0).excess())
        + " rows beyond the baseline's expectation carry this"
        + " label and its other labels stay within theirs";
  }
}
