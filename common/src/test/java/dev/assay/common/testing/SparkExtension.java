package dev.assay.common.testing;

import dev.assay.common.spark.AssaySpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SparkSession per test JVM (local[2], UI off, two shuffle partitions, UTC, Delta, loopback),
 * stopped when the JVM exits. Tests take it as a parameter. It is held by the JVM, not by JUnit's
 * root store: with parallel forks Surefire runs each test class as its own JUnit execution, whose
 * root store closes after the class, and a session stopped there would leave the next class a
 * broken one.
 */
public final class SparkExtension implements ParameterResolver {
  private static SparkSession spark;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session();
  }

  private static synchronized SparkSession session() {
    if (spark == null) {
      SparkSession created = AssaySpark.embedded("local[2]", 2);
      Runtime.getRuntime().addShutdownHook(new Thread(created::stop, "stop-test-spark"));
      spark = created;
    }
    return spark;
  }
}
