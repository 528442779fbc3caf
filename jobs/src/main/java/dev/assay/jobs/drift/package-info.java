/**
 * The feature-drift job: stored profiles against their merged baseline, with effect-size statuses.
 */
package dev.assay.jobs.drift;
