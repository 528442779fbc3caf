/** The gate: may training use these partitions? Fails closed. */
package dev.assay.jobs.gate;
