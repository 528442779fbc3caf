package dev.assay.jobs.clients;

import java.io.Serializable;

/**
 * Mergeable sums for one (round, client, layer): from the scan (norm, size, bad values, sketch) and
 * from the slice groups (dot product and sign agreement with the coordinate-wise median). For the
 * round's median itself (client null) only {@link #medianSquares} is set.
 */
final class Partial implements Serializable {
  private static final long serialVersionUID = 1L;

  double sumSquares;
  long elements;
  long nonFinite;
  long nullUpdates;
  long duplicates;
  double dot;
  long agree;
  long signed;
  double medianSquares;
  double[] sketch;

  Partial merge(Partial other) {
    sumSquares += other.sumSquares;
    elements += other.elements;
    nonFinite += other.nonFinite;
    nullUpdates += other.nullUpdates;
    duplicates += other.duplicates;
    dot += other.dot;
    agree += other.agree;
    signed += other.signed;
    medianSquares += other.medianSquares;
    if (other.sketch != null) {
      if (sketch == null) {
        sketch = other.sketch.clone();
      } else {
        for (int i = 0; i < sketch.length; i++) {
          sketch[i] += other.sketch[i];
        }
      }
    }
    return this;
  }
}
