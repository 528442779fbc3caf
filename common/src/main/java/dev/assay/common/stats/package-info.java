/**
 * Plain-Java statistics over mergeable states: divergences between binned distributions, exact
 * moments, histograms with frozen edges. No Spark here, so every formula is unit-tested in
 * microseconds against textbook values.
 */
package dev.assay.common.stats;
