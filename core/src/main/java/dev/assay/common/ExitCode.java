package dev.assay.common;

/** Process exit codes shared by every command. */
public enum ExitCode {
  /** The command ran; for the gate, the partitions passed. */
  OK(0),
  /** The gate blocked training. */
  BLOCKED(1),
  /** Bad usage, config or input; nothing was written. */
  INVALID(2),
  /** A runtime failure; the job's results were rolled back. */
  FAILED(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
