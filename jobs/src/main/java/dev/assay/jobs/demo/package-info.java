/** The demo lake built from the UCI Adult sample, with deliberately poisoned partitions. */
package dev.assay.jobs.demo;
