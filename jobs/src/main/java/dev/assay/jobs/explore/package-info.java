/**
 * The Java API for exploring integrity tables from notebooks and reports: {@link
 * dev.assay.jobs.explore.IntegrityLake} opens a config read-only, and {@link
 * dev.assay.jobs.explore.FeatureHistograms} rebuilds a partition's histogram next to its trusted
 * baseline's from the stored profiles.
 */
package dev.assay.jobs.explore;
