import static org.apache.spark.sql.functions.*;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * flights.csv.gz from vega-datasets' flights-3m.parquet: the 36 days from 2001-01-01, flights from the 30
 * busiest origins of those days, and the rows whose CRC-32 of their CSV line mod 100 is below 45.
 * Run by derive.sh. Args: the parquet file, the output file.
 */
public class Derive {
  static final int DAYS = 36;
  static final int ORIGINS = 30;
  static final int KEEP_PERCENT = 45;

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Dataset<Row> window = spark.read().parquet(args[0])
        .where(col("date").geq(lit(java.time.LocalDateTime.of(2001, 1, 1, 0, 0)))
            .and(col("date").lt(lit(java.time.LocalDateTime.of(2001, 1, 1, 0, 0).plusDays(DAYS)))));
    if (window.where(second(col("date")).notEqual(0)).count() > 0) {
      throw new IllegalStateException("times with seconds: the HH:mm format would lose them");
    }
    // The busiest origins by flights over the window; ties by name.
    Dataset<Row> busiest = window.groupBy("origin").count()
        .orderBy(col("count").desc(), col("origin")).limit(ORIGINS).select("origin");
    Dataset<Row> lines = window.join(busiest, "origin")
        .select(col("date"), col("origin"), col("destination"), col("delay"), col("distance"),
            concat_ws(",", date_format(col("date"), "yyyy-MM-dd"), date_format(col("date"), "yyyy-MM-dd HH:mm"),
                col("delay"), col("distance"), col("origin"), col("destination")).as("line"))
        .where(pmod(crc32(col("line").cast("binary")), lit(100)).lt(KEEP_PERCENT))
        .orderBy("date", "origin", "destination", "delay", "distance");
    try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(Path.of(args[1]))),
        StandardCharsets.UTF_8)) {
      out.write("flight_date,dep_time,delay,distance,origin,destination\n");
      for (java.util.Iterator<Row> it = lines.select("line").toLocalIterator(); it.hasNext(); ) {
        out.write(it.next().getString(0) + "\n");
      }
    }
    spark.stop();
  }
}
