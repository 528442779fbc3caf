package dev.assay.common.testing;

import dev.assay.common.spark.AssaySpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SparkSession per test JVM (local[2], UI off, two shuffle partitions, UTC, Delta, loopback),
 * kept in the root store and stopped when the JVM's tests end. Tests take it as a parameter.
 */
public final class SparkExtension implements ParameterResolver {
  private static final String KEY = "assay.spark";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KEY, k -> new ClosableSession(AssaySpark.embedded("local[2]", 2)),
            ClosableSession.class)
        .spark;
  }

  /** Stops the session when JUnit closes the root store. */
  static final class ClosableSession implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final SparkSession spark;

    ClosableSession(SparkSession spark) {
      this.spark = spark;
    }

    @Override
    public void close() {
      spark.stop();
    }
  }
}
