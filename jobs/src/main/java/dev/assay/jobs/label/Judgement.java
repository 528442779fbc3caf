package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.Locale;

/** A status and the reason for it (null when OK). */
record Judgement(Status status, String reason) {
  static final Judgement OK = new Judgement(Status.OK, null);

  /**
   * A label distribution's shift: FAIL when the largest class-share change or the PSI reaches its
   * fail threshold and {@code pAdjusted <= label_alpha}; WARN when one reaches its warn threshold and
   * {@code pAdjusted <= label_warn_alpha}.
   */
  static Judgement ofShift(String subject, LabelShift shift, double pAdjusted, Thresholds t) {
    boolean fail = pAdjusted <= t.labelAlpha()
        && (shift.maxShareDelta() >= t.labelShareFail() || shift.psi() >= t.psiFail());
    boolean warn = !fail && pAdjusted <= t.labelWarnAlpha()
        && (shift.maxShareDelta() >= t.labelShareWarn() || shift.psi() >= t.psiWarn());
    if (!fail && !warn) {
      return OK;
    }
    Status status = fail ? Status.FAIL : Status.WARN;
    boolean byShare = shift.maxShareDelta() >= (fail ? t.labelShareFail() : t.labelShareWarn());
    String level = fail ? "fail" : "warn";
    double alpha = fail ? t.labelAlpha() : t.labelWarnAlpha();
    String effect = byShare
        ? String.format(Locale.ROOT, "share of label '%s' moved from %s to %s: change %s >= %s %s",
            shift.maxShareLabel(), Reasons.number(shift.baselineShare()), Reasons.number(shift.share()),
            Reasons.number(shift.maxShareDelta()), level,
            Reasons.number(fail ? t.labelShareFail() : t.labelShareWarn()))
        : Reasons.comparison("psi", "labels", shift.psi(), level, fail ? t.psiFail() : t.psiWarn());
    String unseen = shift.newLabels().isEmpty() ? "" : "; classes not in the baseline: " + shift.newLabels();
    return new Judgement(status, "label-drift: " + subject + ": " + effect + " (p_adjusted "
        + Reasons.number(pAdjusted) + " <= alpha " + Reasons.number(alpha) + ")" + unseen);
  }

  Judgement worst(Judgement other) {
    return other.status.compareTo(status) > 0 ? other : this;
  }
}
