/**
 * The profile job: one pass over every feature of every pending partition into mergeable states.
 */
package dev.assay.jobs.profile;
