/**
 * The duplicates job: exact duplicates, replays of earlier partitions found through an incremental
 * fingerprint index, label conflicts, near-duplicates by banded MinHash, and quarantine of suspect
 * rows. docs/duplicates.md has the design and the index's lifecycle.
 */
package dev.assay.jobs.duplicates;
