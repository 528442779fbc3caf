/**
 * {@code assay report}: a self-contained HTML page (inline SVG, no scripts) read from the integrity
 * tables only, with an executive summary, an on-call view with runbook hints, and a debug view.
 */
package dev.assay.jobs.report;
