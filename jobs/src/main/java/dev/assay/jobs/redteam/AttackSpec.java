package dev.assay.jobs.redteam;

import dev.assay.common.AssayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code --attack KIND:key=value,key=value}: its kind and parameters as given. Lists inside a
 * value are separated by {@code |}, and column/value pairs are written {@code column:value}, as in
 * {@code backdoor:trigger=workclass:Never-worked|capital_loss:1234,support=20,target=>50K}.
 *
 * @param index position among the run's attacks, which makes its id and its random stream
 */
public record AttackSpec(int index, AttackKind kind, Map<String, String> params, String text) {

  /** Parses and validates the parameter names; values are checked when the attack reads them. */
  public static AttackSpec parse(int index, String text) {
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String kindName = colon < 0 ? trimmed : trimmed.substring(0, colon);
    AttackKind kind = AttackKind.named(kindName, text);
    Map<String, String> params = new LinkedHashMap<>();
    if (colon >= 0 && colon < trimmed.length() - 1) {
      for (String pair : trimmed.substring(colon + 1).split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw invalid(text, "'" + pair + "' is not key=value");
        }
        String key = pair.substring(0, eq).trim();
        if (!kind.params().contains(key)) {
          throw invalid(
              text,
              "unknown parameter '"
                  + key
                  + "'; "
                  + kind.label()
                  + " takes "
                  + String.join(", ", kind.params()));
        }
        if (params.put(key, pair.substring(eq + 1).trim()) != null) {
          throw invalid(text, "parameter '" + key + "' is given twice");
        }
      }
    }
    return new AttackSpec(index, kind, Map.copyOf(params), trimmed);
  }

  /** A stable id such as {@code a2_label_flip}: position and kind. */
  public String id() {
    return "a" + (index + 1) + "_" + kind.label();
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(params.get(key)).filter(v -> !v.isEmpty());
  }

  public String required(String key) {
    return get(key).orElseThrow(() -> invalid(text, "missing required parameter '" + key + "'"));
  }

  /** A fraction in (0, 1]. */
  public double rate(String key, double fallback) {
    double value = number(key, fallback);
    if (!(value > 0 && value <= 1)) {
      throw invalid(
          text, key + "=" + params.get(key) + " is not a fraction in (0, 1]; write 0.05 for 5%");
    }
    return value;
  }

  public double number(String key, double fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value.get());
      if (Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(text, key + "=" + value.get() + " is not a finite number");
  }

  /** A whole number of at least 1. */
  public int count(String key, int fallback) {
    double value = number(key, fallback);
    if (value < 1 || value != Math.rint(value) || value > 1_000_000_000) {
      throw invalid(text, key + "=" + params.get(key) + " is not a whole number >= 1");
    }
    return (int) value;
  }

  /** A {@code |}-separated list; empty when absent. */
  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (String item : get(key).map(v -> v.split("\\|")).orElse(new String[0])) {
      if (!item.isBlank()) {
        out.add(item.trim());
      }
    }
    return out;
  }

  /** {@code column:value|column:value} pairs, in order. */
  public Map<String, String> pairs(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list(key)) {
      int colon = item.indexOf(':');
      if (colon <= 0) {
        throw invalid(text, key + ": '" + item + "' is not column:value");
      }
      out.put(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
    }
    return out;
  }

  AssayException invalid(String problem) {
    return invalid(text, problem);
  }

  static AssayException invalid(String spec, String problem) {
    return AssayException.invalid(
        "Invalid --attack '" + spec + "': " + problem + ". See docs/redteam.md.");
  }
}
