/** Statuses and reason strings that verdicts are made of. */
package dev.assay.common.verdict;
