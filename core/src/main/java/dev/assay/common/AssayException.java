package dev.assay.common;

import java.util.Optional;

/**
 * An error that ends a command with a specific exit code. Messages name the problem, the offending
 * value, what was expected and how to fix it.
 */
public final class AssayException extends RuntimeException {
  private final ExitCode exitCode;
  private final String keyPath;

  private AssayException(ExitCode exitCode, String keyPath, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.keyPath = keyPath;
  }

  /** Bad usage, config or input (exit 2). */
  public static AssayException invalid(String message) {
    return new AssayException(ExitCode.INVALID, null, message, null);
  }

  /** Bad config at a key path, such as {@code datasets[0].features.numeric[2]} (exit 2). */
  public static AssayException invalidAt(String keyPath, String message) {
    return new AssayException(ExitCode.INVALID, keyPath, keyPath + ": " + message, null);
  }

  /** A runtime failure (exit 3). */
  public static AssayException failed(String message, Throwable cause) {
    return new AssayException(ExitCode.FAILED, null, message, cause);
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** The config key path the error is about, such as {@code datasets[0].table}; empty when none. */
  public Optional<String> keyPath() {
    return Optional.ofNullable(keyPath);
  }
}
