package dev.assay.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.common.AssayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A YAML node with its key path, so every config error names where it happened. */
final class YamlNode {
  private final JsonNode node;
  private final String path;

  YamlNode(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  YamlNode child(String key) {
    JsonNode value = node == null ? null : node.get(key);
    return new YamlNode(value, path.isEmpty() ? key : path + "." + key);
  }

  boolean has(String key) {
    return !child(key).isMissing();
  }

  AssayException error(String message) {
    return AssayException.invalidAt(path.isEmpty() ? "(top level)" : path, message);
  }

  void requireMapWithKeys(Set<String> allowed) {
    if (isMissing() || !node.isObject()) {
      throw error("expected a mapping, found " + describe());
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw AssayException.invalidAt(
            (path.isEmpty() ? "" : path + ".")
                + (key.matches("[A-Za-z0-9_]+") ? key : printable(key)),
            "unknown key; allowed keys here are "
                + String.join(", ", allowed.stream().sorted().toList())
                + ". Check the spelling against README's config reference.");
      }
    }
  }

  String string() {
    if (isMissing()) {
      throw error("missing required value");
    }
    if (!node.isTextual()) {
      throw error("expected a string, found " + describe());
    }
    String value = node.textValue();
    if (value.isBlank()) {
      throw error("expected a non-empty string, found an empty one");
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw error("control characters are not allowed, found " + printable(value));
    }
    return value;
  }

  String stringOr(String fallback) {
    return isMissing() ? fallback : string();
  }

  double finiteNumber() {
    if (!isMissing()
        && node.isTextual()
        && node.textValue().matches("[-+]?\\.(nan|NaN|NAN|inf|Inf|INF)")) {
      throw error("expected a finite number, found " + node.textValue());
    }
    if (isMissing() || !node.isNumber()) {
      throw error("expected a number, found " + describe());
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      throw error("expected a finite number, found " + value);
    }
    return value;
  }

  boolean bool() {
    if (isMissing() || !node.isBoolean()) {
      throw error("expected true or false, found " + describe());
    }
    return node.booleanValue();
  }

  int positiveInt() {
    if (isMissing() || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
      throw error("expected a whole number of at least 1, found " + describe());
    }
    return node.intValue();
  }

  List<YamlNode> list() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw error("expected a list, found " + describe());
    }
    List<YamlNode> items = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      items.add(new YamlNode(node.get(i), path + "[" + i + "]"));
    }
    return items;
  }

  List<String> stringList() {
    List<String> values = new ArrayList<>();
    for (YamlNode item : list()) {
      values.add(item.string());
    }
    return List.copyOf(values);
  }

  boolean isText() {
    return !isMissing() && node.isTextual();
  }

  boolean isScalar() {
    return !isMissing() && node.isValueNode();
  }

  boolean isList() {
    return !isMissing() && node.isArray();
  }

  /** The keys of a mapping, in order; none when the node is missing. */
  List<String> keys() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw error("expected a mapping, found " + describe());
    }
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /**
   * The only key of a one-key mapping, such as a constraint's kind; {@code expected} describes it.
   */
  String singleKey(String expected) {
    List<String> keys = isMissing() || !node.isObject() ? List.of() : keys();
    if (keys.size() != 1) {
      throw error(
          "expected " + expected + ", found " + (keys.isEmpty() ? describe() : "keys " + keys));
    }
    return keys.get(0);
  }

  boolean isText(String text) {
    return !isMissing() && node.isTextual() && node.textValue().equals(text);
  }

  String describe() {
    if (isMissing()) {
      return "nothing (the key is missing or null)";
    }
    if (node.isTextual()) {
      return "the string " + printable(node.textValue());
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.getNodeType().toString().toLowerCase() + " " + node;
  }

  /** Quotes a user string for an error message, escaping anything unprintable. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder("'");
    String shown = value.length() > 120 ? value.substring(0, 120) + "..." : value;
    for (char c : shown.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('\'').toString();
  }
}
