/** Reading a dataset's Parquet column batches directly, for the jobs' one-pass scans. */
package dev.assay.common.scan;
