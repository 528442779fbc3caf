/**
 * The client-anomalies job: per-round scores of federated-learning client updates
 * (docs/client-anomalies.md).
 */
package dev.assay.jobs.clients;
