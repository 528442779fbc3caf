/** Spark sessions: the cluster's under spark-submit, else an embedded local one with Delta. */
package dev.assay.common.spark;
