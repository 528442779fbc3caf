/**
 * Plain-Java statistics over mergeable states, with no Spark: divergences between two binned or
 * categorical distributions (PSI, Jensen–Shannon, L∞, KS, chi-square with overdispersion), the
 * Wasserstein distance from exact value counts, exact mergeable moments, histograms over frozen
 * edges and the quantile edges that freeze them, robust scales and natural ranges, and CUSUMs of a
 * share against a long-term anchor. Spark jobs build these states per partition and merge them;
 * every formula here is unit-tested in microseconds against hand-computed textbook values.
 */
package dev.assay.common.stats;
