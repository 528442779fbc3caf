/** The YAML config, loaded into immutable validated records; every error names its key path. */
package dev.assay.common.config;
