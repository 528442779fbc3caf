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

  /**
   * A label distribution's shift. Its effect, the largest class-share change or the PSI, is judged
   * against the thresholds and the table's natural range for it ({@link Calibrated}); a FAIL also
   * needs {@code pAdjusted <= label_alpha} and a WARN {@code pAdjusted <= label_warn_alpha}. An effect
   * past a threshold that stays OK (natural, or not significant) says why in its reason.
   *
   * @param shareRange natural range of the largest share change (null: unknown)
   * @param psiRange natural range of the label PSI (null: unknown)
   */
  static Judgement ofShift(String subject, LabelShift shift, double pAdjusted, Thresholds t,
      NaturalRange shareRange, NaturalRange psiRange) {
    Calibrated share = Calibrated.judge(shift.maxShareDelta(), t.labelShareWarn(), t.labelShareFail(), shareRange);
    Calibrated psi = Calibrated.judge(shift.psi(), t.psiWarn(), t.psiFail(), psiRange);
    boolean byShare = share.status().compareTo(psi.status()) > 0
        || share.status() == psi.status() && (share.note() != null || psi.note() == null);
    Calibrated effect = byShare ? share : psi;
    if (effect.note() == null) {
      return OK;
    }
    boolean pastFail = byShare ? shift.maxShareDelta() >= t.labelShareFail() : shift.psi() >= t.psiFail();
    String level = pastFail ? "fail" : "warn";
    String text = byShare
        ? String.format(Locale.ROOT, "share of label '%s' moved from %s to %s: change %s >= %s %s",
            shift.maxShareLabel(), Reasons.number(shift.baselineShare()), Reasons.number(shift.share()),
            Reasons.number(shift.maxShareDelta()), level,
            Reasons.number(pastFail ? t.labelShareFail() : t.labelShareWarn()))
        : Reasons.comparison("psi", "labels", shift.psi(), level, pastFail ? t.psiFail() : t.psiWarn());
    Status status = effect.status();
    double alpha = status == Status.FAIL ? t.labelAlpha() : t.labelWarnAlpha();
    String significance;
    if (status == Status.OK) {
      significance = "";
    } else if (pAdjusted <= alpha) {
      significance = " (p_adjusted " + Reasons.number(pAdjusted) + " <= alpha " + Reasons.number(alpha) + ")";
    } else {
      status = Status.OK;
      significance = " (p_adjusted " + Reasons.number(pAdjusted) + " > alpha " + Reasons.number(alpha)
          + ": not significant, so OK)";
    }
    String unseen = shift.newLabels().isEmpty() ? "" : "; classes not in the baseline: " + shift.newLabels();
    return new Judgement(status, "label-drift: " + subject + ": " + text + ", " + effect.note() + significance
        + (effect.status() == Status.OK ? ", so OK" : "") + unseen);
  }

  /** The worse of two; of two equal, the one with a reason. */
  Judgement worst(Judgement other) {
    int order = other.status.compareTo(status);
    return order > 0 || order == 0 && reason == null ? other : this;
  }
}
