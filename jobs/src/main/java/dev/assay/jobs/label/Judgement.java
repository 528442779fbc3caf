package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.Locale;

/** A status and the reason for it (null when OK). */
record Judgement(Status status, String reason) {
  static final Judgement OK = new Judgement(Status.OK, null);

  /**
   * A label distribution's shift: WARN or FAIL when the largest class-share change or the PSI reaches
   * its threshold and the change is significant ({@code pAdjusted <= label_alpha}).
   */
  static Judgement ofShift(String subject, LabelShift shift, double pAdjusted, Thresholds t) {
    if (!(pAdjusted <= t.labelAlpha())) {
      return OK;
    }
    Status status = shift.maxShareDelta() >= t.labelShareFail() || shift.psi() >= t.psiFail() ? Status.FAIL
        : shift.maxShareDelta() >= t.labelShareWarn() || shift.psi() >= t.psiWarn() ? Status.WARN : Status.OK;
    if (status == Status.OK) {
      return OK;
    }
    boolean byShare = status == Status.FAIL ? shift.maxShareDelta() >= t.labelShareFail()
        : shift.maxShareDelta() >= t.labelShareWarn();
    String level = status == Status.FAIL ? "fail" : "warn";
    String effect = byShare
        ? String.format(Locale.ROOT, "share of label '%s' moved from %s to %s: change %s >= %s %s",
            shift.maxShareLabel(), Reasons.number(shift.baselineShare()), Reasons.number(shift.share()),
            Reasons.number(shift.maxShareDelta()), level,
            Reasons.number(status == Status.FAIL ? t.labelShareFail() : t.labelShareWarn()))
        : Reasons.comparison("psi", "labels", shift.psi(), level, status == Status.FAIL ? t.psiFail() : t.psiWarn());
    String unseen = shift.newLabels().isEmpty() ? "" : "; classes not in the baseline: " + shift.newLabels();
    return new Judgement(status, "label-drift: " + subject + ": " + effect + " (p_adjusted "
        + Reasons.number(pAdjusted) + " <= alpha " + Reasons.number(t.labelAlpha()) + ")" + unseen);
  }

  Judgement worst(Judgement other) {
    return other.status.compareTo(status) > 0 ? other : this;
  }
}
