package dev.assay.jobs.duplicates;

import java.io.Serializable;
import java.util.List;

/**
 * One evidence group of a partition. Ordered by importance: more occurrences first, then by
 * fingerprint, so the groups kept under {@code max_groups} do not depend on task order.
 *
 * @param firstSeen ordinal of the earliest partition holding the content (REPLAY) or the features
 *     (LABEL_CONFLICT against history); -1 for none
 * @param similarity Jaccard similarity of a near-duplicate pair; NaN otherwise
 */
record Evidence(
    int ordinal,
    String kind,
    String fingerprint,
    long occurrences,
    int firstSeen,
    List<String> labels,
    List<String> sampleIds,
    double similarity)
    implements Serializable, Comparable<Evidence> {

  Evidence {
    labels = List.copyOf(labels);
    sampleIds = List.copyOf(sampleIds);
  }

  /** Negative when this group matters less than {@code other}. */
  @Override
  public int compareTo(Evidence other) {
    int byCount = Long.compare(occurrences, other.occurrences);
    return byCount != 0 ? byCount : other.fingerprint.compareTo(fingerprint);
  }
}
