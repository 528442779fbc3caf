package dev.assay.common.table;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Column references built from config names, quoted so no name is ever parsed as SQL. */
public final class Columns {
  private Columns() {}

  /** The column named exactly {@code name}, whatever characters it holds. */
  public static Column named(String name) {
    return functions.col(quoted(name));
  }

  /** The name as a backquoted SQL identifier. */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A SQL string literal for {@code value}, with quotes and backslashes escaped. */
  public static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
