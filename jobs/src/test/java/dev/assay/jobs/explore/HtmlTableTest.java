package dev.assay.jobs.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class HtmlTableTest {
  @Test
  void cellsAreEscapedAndStatusesGetTheirClass() {
    String html =
        HtmlTable.of(
            new String[] {"partition", "status", "<col>"},
            List.of(RowFactory.create("<img src=x onerror=alert(1)>", "FAIL", "a & 'b' \"c\"")));
    assertFalse(html.contains("<img"), html);
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
    assertTrue(
        html.matches("(?s).*<td class=\"FAIL\" style=\"[^\"]*background:#ffcdd2\">FAIL</td>.*"),
        html);
    assertTrue(
        html.contains("&lt;col&gt;") && html.contains("a &amp; &#39;b&#39; &quot;c&quot;"), html);
  }

  @Test
  void valuesPrintReadably() {
    assertEquals("", HtmlTable.cell(null));
    assertEquals("3", HtmlTable.cell(3.0));
    assertEquals("0.1235", HtmlTable.cell(0.123456));
    assertEquals("a, b", HtmlTable.cell(List.of("a", "b")));
    assertEquals("(x 2)", HtmlTable.cell(RowFactory.create("x", 2L)));
    assertEquals("<3 bytes>", HtmlTable.cell(new byte[3]));
  }
}
