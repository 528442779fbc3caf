package dev.assay.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  private static String withThreshold(String key, Object value) {
    return ConfigLoaderTest.VALID + "    thresholds:\n      " + key + ": " + value + "\n";
  }

  private static <T> boolean defaultIsValid(Thresholds.Entry<T> entry) {
    return entry.isValid(entry.defaultValue());
  }

  @SuppressWarnings("unchecked")
  private static boolean accepts(Thresholds.Entry<?> entry, Object value) {
    return ((Thresholds.Entry<Object>) entry).isValid(value);
  }

  @Test
  void everyDefaultPassesItsOwnValidator() {
    for (Thresholds.Entry<?> entry : Thresholds.ENTRIES) {
      assertTrue(defaultIsValid(entry), entry.key() + " default " + entry.defaultValue());
      assertEquals(entry.defaultValue(), Thresholds.DEFAULTS.get(entry), entry.key());
    }
  }

  @Test
  void theDefaultsKeepEveryOrder() {
    for (Thresholds.Order order : Thresholds.ORDERS) {
      assertTrue(
          Thresholds.DEFAULTS.get(order.lower()) <= Thresholds.DEFAULTS.get(order.upper()),
          order.lower() + " <= " + order.upper());
    }
  }

  @Test
  void everyDeclaredEntryIsListedOnceWithAUniqueKey() throws IllegalAccessException {
    List<Object> declared = new ArrayList<>();
    for (Field field : Thresholds.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Thresholds.Entry.class) {
        declared.add(field.get(null));
      }
    }
    assertEquals(declared, List.copyOf(Thresholds.ENTRIES));
    Set<String> keys = new HashSet<>();
    for (Thresholds.Entry<?> entry : Thresholds.ENTRIES) {
      assertTrue(keys.add(entry.key()), "duplicate key " + entry.key());
      assertTrue(!entry.doc().isBlank(), entry.key());
    }
  }

  @Test
  void anOutOfRangeValueOfEveryEntryIsRefusedWithItsKey() {
    for (Thresholds.Entry<?> entry : Thresholds.ENTRIES) {
      List<Object> bad = new ArrayList<>();
      for (Object candidate :
          entry.defaultValue() instanceof Long ? List.of(0L, -3L) : List.of(-0.5, 1.5)) {
        if (!accepts(entry, candidate)) {
          bad.add(candidate);
        }
      }
      assertTrue(!bad.isEmpty(), entry.key() + " refuses neither candidate");
      for (Object value : bad) {
        AssayException e = ConfigLoaderTest.invalid(withThreshold(entry.key(), value));
        String at = "datasets[0].thresholds." + entry.key() + ": expected ";
        assertTrue(
            e.getMessage().startsWith(at)
                && e.getMessage().contains(String.valueOf(value))
                && e.getMessage()
                    .contains(
                        entry.defaultValue() instanceof Long
                            ? "at least 1"
                            : "leave " + entry.key() + " out"),
            e.getMessage());
        assertEquals(Optional.of("datasets[0].thresholds." + entry.key()), e.keyPath());
      }
    }
  }

  @Test
  void aValueInRangeIsReadIntoItsEntry() {
    for (Thresholds.Entry<?> entry : Thresholds.ENTRIES) {
      Object value = entry.defaultValue() instanceof Long ? (Object) 7L : (Object) 0.0;
      if (Thresholds.ORDERS.stream().anyMatch(o -> o.upper() == entry)) {
        continue;
      }
      Thresholds read =
          ConfigLoaderTest.parse(withThreshold(entry.key(), value)).datasets().get(0).thresholds();
      assertEquals(value, read.get(entry), entry.key());
    }
  }

  @Test
  void kappaFailAboveKappaWarnIsRefused() {
    AssayException e =
        ConfigLoaderTest.invalid(
            ConfigLoaderTest.VALID
                + "    thresholds:\n      kappa_fail: 0.9\n      kappa_warn: 0.8\n");
    assertTrue(
        e.getMessage()
            .startsWith(
                "datasets[0].thresholds.kappa_fail: kappa_fail 0.9 is above kappa_warn 0.8;"),
        e.getMessage());
  }

  @Test
  void readmeTableListsEveryKeyWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("### Thresholds and defaults"));
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : section.lines().takeWhile(l -> !l.startsWith("## ")).toList()) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("| `") || cells.length < 3) {
        continue;
      }
      List<String> keys =
          Pattern.compile("`([a-z_]+)`").matcher(cells[1]).results().map(m -> m.group(1)).toList();
      List<String> defaults = List.of(cells[2].trim().split(",\\s*"));
      assertEquals(keys.size(), defaults.size(), line);
      for (int i = 0; i < keys.size(); i++) {
        documented.put(keys.get(i), defaults.get(i));
      }
    }
    Map<String, String> declared = new LinkedHashMap<>();
    for (Thresholds.Entry<?> entry : Thresholds.ENTRIES) {
      Object value = entry.defaultValue();
      declared.put(
          entry.key(),
          value instanceof Double d
              ? (d.isInfinite()
                  ? "off"
                  : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString())
              : String.valueOf(value));
    }
    assertEquals(declared, documented);
  }
}
