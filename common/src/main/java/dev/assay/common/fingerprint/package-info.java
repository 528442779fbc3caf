/**
 * Content fingerprints of rows: a documented canonical encoding (docs/duplicates.md) hashed to 128
 * bits, shared by the duplicates job, checksum checks and the red team.
 */
package dev.assay.common.fingerprint;
