/** Baseline selection: trusted, trailing or pinned partitions, judged in partition order. */
package dev.assay.common.baseline;
