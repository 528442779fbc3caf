package dev.assay.common.checks;

import dev.assay.common.stats.Robust;
import dev.assay.common.verdict.Reasons;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * How a metric's value is judged against its own history: the values of earlier partitions that did
 * not FAIL, so an attacker cannot train the detector. Each strategy turns the history into an
 * expected range; a value outside it is an anomaly. docs/checks.md gives the formulas.
 */
public sealed interface AnomalyStrategy {
  /** The strategy's YAML name, such as {@code relative_rate}. */
  String name();

  /**
   * Judges {@code value} at partition position {@code position} against the history.
   *
   * @param history earlier trusted points, oldest first
   */
  Evaluation evaluate(double value, int position, List<Point> history);

  /**
   * One earlier value: the partition's position in the dataset's partition order, and the metric.
   */
  record Point(int position, String partition, double value) {}

  /**
   * The outcome.
   *
   * @param enoughHistory false when the history is too short to judge; the value is then not an
   *     anomaly
   * @param low the lowest expected value (NaN without enough history)
   * @param high the highest expected value
   * @param used the partitions the range came from
   */
  record Evaluation(
      boolean anomalous,
      boolean enoughHistory,
      double low,
      double high,
      List<String> used,
      String explanation) {
    static Evaluation tooShort(int have, int need) {
      return new Evaluation(
          false,
          false,
          Double.NaN,
          Double.NaN,
          List.of(),
          "history too short to judge: "
              + have
              + " trusted earlier partition(s), "
              + need
              + " needed");
    }

    static Evaluation range(double value, double low, double high, List<Point> used, String basis) {
      boolean anomalous = !(value >= low && value <= high);
      List<String> partitions = used.stream().map(Point::partition).toList();
      return new Evaluation(
          anomalous,
          true,
          low,
          high,
          partitions,
          "expected [" + Reasons.number(low) + ", " + Reasons.number(high) + "] from " + basis);
    }
  }

  /**
   * The ratio to the previous trusted value must lie within [minRatio, maxRatio] (Deequ's relative
   * rate of change, order 1). A previous value of 0 allows only 0.
   */
  record RelativeRate(double minRatio, double maxRatio) implements AnomalyStrategy {
    public RelativeRate {
      if (!(minRatio >= 0 && maxRatio >= minRatio)) {
        throw new IllegalArgumentException(
            "expected 0 <= min_ratio <= max_ratio, got " + minRatio + ", " + maxRatio);
      }
    }

    public String name() {
      return "relative_rate";
    }

    public Evaluation evaluate(double value, int position, List<Point> history) {
      if (history.isEmpty()) {
        return Evaluation.tooShort(0, 1);
      }
      Point previous = history.get(history.size() - 1);
      double a = previous.value() * minRatio;
      double b = previous.value() * maxRatio;
      return Evaluation.range(
          value,
          Math.min(a, b),
          Math.max(a, b),
          List.of(previous),
          "ratio "
              + Reasons.number(minRatio)
              + ".."
              + Reasons.number(maxRatio)
              + " of "
              + Reasons.number(previous.value())
              + " in partition "
              + previous.partition());
    }
  }

  /** The change from the previous trusted value must lie within [-maxDecrease, +maxIncrease]. */
  record AbsoluteChange(double maxDecrease, double maxIncrease) implements AnomalyStrategy {
    public AbsoluteChange {
      if (!(maxDecrease >= 0 && maxIncrease >= 0)) {
        throw new IllegalArgumentException("max_decrease and max_increase must be >= 0");
      }
    }

    public String name() {
      return "absolute_change";
    }

    public Evaluation evaluate(double value, int position, List<Point> history) {
      if (history.isEmpty()) {
        return Evaluation.tooShort(0, 1);
      }
      Point previous = history.get(history.size() - 1);
      return Evaluation.range(
          value,
          previous.value() - maxDecrease,
          previous.value() + maxIncrease,
          List.of(previous),
          "change -"
              + Reasons.number(maxDecrease)
              + "..+"
              + Reasons.number(maxIncrease)
              + " from "
              + Reasons.number(previous.value())
              + " in partition "
              + previous.partition());
    }
  }

  /**
   * Mean ± k·σ of the last {@code window} trusted values (Deequ's online normal strategy), with σ
   * at least {@link #spreadFloor}.
   */
  record OnlineNormal(double lowerK, double upperK, int window, int minHistory, double minStddev)
      implements AnomalyStrategy {
    public String name() {
      return "normal";
    }

    public Evaluation evaluate(double value, int position, List<Point> history) {
      List<Point> used = last(history, window);
      if (used.size() < minHistory) {
        return Evaluation.tooShort(used.size(), minHistory);
      }
      SummaryStatistics stats = new SummaryStatistics();
      used.forEach(p -> stats.addValue(p.value()));
      double sigma = spreadFloor(stats.getStandardDeviation(), stats.getMean(), minStddev);
      return Evaluation.range(
          value,
          stats.getMean() - lowerK * sigma,
          stats.getMean() + upperK * sigma,
          used,
          "mean "
              + Reasons.number(stats.getMean())
              + " ± k·σ (σ "
              + Reasons.number(sigma)
              + ") of "
              + used.size()
              + " trusted partition(s)");
    }
  }

  /**
   * Median ± k·1.4826·MAD of the last {@code window} trusted values: robust to earlier outliers.
   */
  record MedianMad(double k, int window, int minHistory, double minStddev)
      implements AnomalyStrategy {
    public String name() {
      return "mad";
    }

    public Evaluation evaluate(double value, int position, List<Point> history) {
      List<Point> used = last(history, window);
      if (used.size() < minHistory) {
        return Evaluation.tooShort(used.size(), minHistory);
      }
      double[] values = used.stream().mapToDouble(Point::value).toArray();
      double median = Robust.median(values);
      double sigma = spreadFloor(Robust.sigma(values), median, minStddev);
      return Evaluation.range(
          value,
          median - k * sigma,
          median + k * sigma,
          used,
          "median "
              + Reasons.number(median)
              + " ± k·1.4826·MAD ("
              + Reasons.number(sigma)
              + ") of "
              + used.size()
              + " trusted partition(s)");
    }
  }

  /**
   * Mean ± k·σ of the trusted values exactly 1..cycles periods earlier (for daily partitions and
   * period 7, the same weekday of earlier weeks). Positions count partitions, not calendar days.
   */
  record Seasonal(int period, int cycles, int minCycles, double k, double minStddev)
      implements AnomalyStrategy {
    public String name() {
      return "seasonal";
    }

    public Evaluation evaluate(double value, int position, List<Point> history) {
      List<Point> used = new ArrayList<>();
      for (Point point : history) {
        int lag = position - point.position();
        if (lag > 0 && lag % period == 0 && lag / period <= cycles) {
          used.add(point);
        }
      }
      if (used.size() < minCycles) {
        return Evaluation.tooShort(used.size(), minCycles);
      }
      SummaryStatistics stats = new SummaryStatistics();
      used.forEach(p -> stats.addValue(p.value()));
      double sigma =
          spreadFloor(
              used.size() > 1 ? stats.getStandardDeviation() : 0, stats.getMean(), minStddev);
      return Evaluation.range(
          value,
          stats.getMean() - k * sigma,
          stats.getMean() + k * sigma,
          used,
          "mean "
              + Reasons.number(stats.getMean())
              + " ± k·σ (σ "
              + Reasons.number(sigma)
              + ") of the same"
              + " season in "
              + used.size()
              + " earlier period(s) of "
              + period);
    }
  }

  /**
   * The spread used for a range: the measured one, but at least {@code minStddev} and 1% of the
   * centre's magnitude, so a perfectly constant history does not turn any change into an anomaly.
   */
  static double spreadFloor(double sigma, double centre, double minStddev) {
    double measured = Double.isNaN(sigma) ? 0 : sigma;
    return Math.max(measured, Math.max(minStddev, 0.01 * Math.abs(centre)));
  }

  private static List<Point> last(List<Point> history, int window) {
    return history.subList(Math.max(0, history.size() - window), history.size());
  }
}
