/**
 * Mergeable per-partition feature states (histograms, moments, sketches, top-K counts) and their
 * table rows.
 */
package dev.assay.common.profile;
