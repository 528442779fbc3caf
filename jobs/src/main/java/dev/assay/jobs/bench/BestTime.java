package dev.assay.jobs.bench;

/**
 * The fastest run of one benchmark step over a benchmark's rounds. Benchmarks report the best of N
 * rounds, since the noise of a shared machine only ever adds time.
 */
final class BestTime {
  private double best = Double.MAX_VALUE;

  /** Runs {@code step}, keeps its time if it is the fastest so far and returns its seconds. */
  double time(Runnable step) {
    double seconds = of(step);
    best = Math.min(best, seconds);
    return seconds;
  }

  /** The fastest time so far, in seconds. */
  double seconds() {
    return best;
  }

  /** The wall-clock seconds of one run of {@code step}. */
  static double of(Runnable step) {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }
}
