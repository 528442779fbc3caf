package dev.assay.archviolation.common.stats;

/** Violates "core is Spark-free". */
public class SparkInCore {
  public org.apache.spark.sql.Row row;
}
