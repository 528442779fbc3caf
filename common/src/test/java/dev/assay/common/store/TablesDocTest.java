package dev.assay.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.records.TableRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/tables.md against the records: every table has a section, every column is documented there,
 * and every column a section's table lists exists. A renamed column fails here until the docs
 * follow.
 */
@Tag("fast")
class TablesDocTest {
  private static final Pattern CODE = Pattern.compile("`([a-z_][a-z0-9_]*)`");

  @Test
  void everyColumnIsDocumentedAndEveryDocumentedColumnExists() throws IOException {
    Map<String, String> sections = sections(Files.readString(Path.of("..", "docs", "tables.md")));
    List<String> problems = new ArrayList<>();
    for (IntegrityTable<?> table : IntegrityTables.all()) {
      String section = sections.get(table.name());
      if (section == null) {
        problems.add(table.name() + ": no '## " + table.name() + "' section");
        continue;
      }
      Set<String> listed = tableColumns(section);
      Set<String> mentioned = new LinkedHashSet<>(listed);
      Matcher code = CODE.matcher(section);
      while (code.find()) {
        mentioned.add(code.group(1));
      }
      boolean isResult = table.hasColumn("partition");
      for (String column : table.schema().fieldNames()) {
        if (!mentioned.contains(column)
            && !(isResult && TableRecords.RESULT_KEYS.contains(column))) {
          problems.add(table.name() + "." + column + ": not documented");
        }
      }
      for (String column : listed) {
        if (!table.hasColumn(column)) {
          problems.add(
              table.name() + "." + column + ": documented, but the table has no such column");
        }
      }
    }
    assertEquals(
        List.of(),
        problems,
        "docs/tables.md disagrees with the records in dev.assay.common.records");
  }

  @Test
  void theCheckSeesARenamedColumn() {
    String section =
        "| column | type | meaning |\n|---|---|---|\n| verdict, reasons | string | x |\n";
    assertEquals(Set.of("verdict", "reasons"), tableColumns(section));
    assertTrue(tableColumns("`verdict` in prose").isEmpty());
  }

  /** Each "## name ..." section's text, by table name. */
  private static Map<String, String> sections(String doc) {
    Map<String, String> sections = new LinkedHashMap<>();
    String[] parts = doc.split("\n## ");
    for (int i = 1; i < parts.length; i++) {
      String name = parts[i].split("[ \n]", 2)[0];
      sections.put(name, parts[i]);
    }
    return sections;
  }

  /** The names in the first cell of a markdown table's rows ("| a, b | type | meaning |"). */
  private static Set<String> tableColumns(String section) {
    Set<String> columns = new LinkedHashSet<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| column ")) {
        continue;
      }
      for (String name : line.substring(2, line.indexOf(" |", 1)).split(",")) {
        columns.add(name.trim());
      }
    }
    return columns;
  }
}
