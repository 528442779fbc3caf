package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.stats.NaturalRange;
import dev.assay.common.verdict.Calibrated;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.Locale;

/** A status and the reason for it (null when OK). */
record Judgement(Status status, String reason) {
  static final Judgement OK = new Judgement(Status.OK, null);

  /** The subject of the whole partition's shift. */
  static final String WHOLE = "whole partition";

  /**
   * A label distribution's shift. Its effect, the largest class-share change or the PSI, is judged
   * against the thresholds; a FAIL also needs {@code pAdjusted <= label_alpha} and a WARN {@code
   * pAdjusted <= label_warn_alpha}, where the p-value already allows for the table's natural
   * variation (its overdispersion, {@link LabelRanges.Dispersion}). An effect past a threshold that
   * stays OK because it is not significant says so in its reason.
   */
  static Judgement ofShift(
      String subject,
      LabelShift shift,
      double pAdjusted,
      Thresholds t,
      LabelRanges.Dispersion dispersion,
      NaturalRange shareRange) {
    boolean shareFail = shift.maxShareDelta() >= t.labelShareFail();
    boolean psiFail = shift.psi() >= t.psiFail();
    boolean shareWarn = shift.maxShareDelta() >= t.labelShareWarn();
    boolean psiWarn = shift.psi() >= t.psiWarn();
    if (!shareWarn && !psiWarn) {
      return OK;
    }
    boolean pastFail = shareFail || psiFail;
    boolean byShare = pastFail ? shareFail : shareWarn;
    String level = pastFail ? "fail" : "warn";
    String text =
        byShare
            ? String.format(
                Locale.ROOT,
                "share of label '%s' moved from %s to %s: change %s >= %s %s",
                shift.maxShareLabel(),
                Reasons.number(shift.baselineShare()),
                Reasons.number(shift.share()),
                Reasons.number(shift.maxShareDelta()),
                level,
                Reasons.number(pastFail ? t.labelShareFail() : t.labelShareWarn()))
            : Reasons.comparison(
                "psi", "labels", shift.psi(), level, pastFail ? t.psiFail() : t.psiWarn());
    Status status =
        pastFail && pAdjusted <= t.labelAlpha()
            ? Status.FAIL
            : pAdjusted <= t.labelWarnAlpha() ? Status.WARN : Status.OK;
    boolean significant = status != Status.OK;
    // a class the table never had, or one that vanished, is a new encoding or a poisoned label,
    // never natural
    // variation
    // (whole partition only: one segment value's few rows may lack a class on a quiet day)
    boolean novel = WHOLE.equals(subject) && shift.newShare() >= t.labelShareWarn();
    if (novel) {
      status = status.worst(shift.newShare() >= t.labelShareFail() ? Status.FAIL : Status.WARN);
    }
    boolean natural =
        !novel && byShare && shareRange != null && !shareRange.exceededBy(shift.maxShareDelta());
    String range =
        !byShare
            ? ""
            : shareRange == null
                ? ", natural range not yet known"
                : (natural ? ", within its " : ", above its ") + Calibrated.describe(shareRange);
    if (natural) {
      status = Status.OK;
    }
    double alpha =
        pastFail && (significant || pAdjusted > t.labelAlpha())
            ? t.labelAlpha()
            : t.labelWarnAlpha();
    String significance =
        "p_adjusted "
            + Reasons.number(pAdjusted)
            + (significant ? " <= " : " > ")
            + "alpha "
            + Reasons.number(alpha)
            + ", "
            + dispersion.describe();
    String unseen =
        shift.newLabels().isEmpty()
            ? ""
            : "; classes not in the baseline: "
                + shift.newLabels()
                + (novel
                    ? " hold "
                        + Reasons.number(shift.newShare())
                        + " of the rows (a class the table never had is"
                        + " judged by its share alone)"
                    : "");
    if (novel && shift.newLabels().isEmpty()) {
      unseen =
          "; classes that vanished held "
              + Reasons.number(shift.newShare())
              + " of the baseline (judged by"
              + " their share alone)";
    }
    return new Judgement(
        status,
        "label-drift: "
            + subject
            + ": "
            + text
            + range
            + " ("
            + significance
            + ")"
            + (status == Status.OK ? ": within the table's natural variation, so OK" : "")
            + unseen);
  }

  /** The worse of two; of two equal, the one with a reason. */
  Judgement worst(Judgement other) {
    int order = other.status.compareTo(status);
    return order > 0 || order == 0 && reason == null ? other : this;
  }
}
