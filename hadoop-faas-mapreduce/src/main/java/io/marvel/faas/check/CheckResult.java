package io.marvel.faas.check;

/**
 * The outcome of one installation check.
 *
 * @param subject what was checked, e.g. "PMEM dir /mnt/pmem0/dn"
 * @param ok whether it is usable
 * @param detail what was found, or what is wrong and how to fix it
 */
public record CheckResult(String subject, boolean ok, String detail) {
  static CheckResult ok(String subject, String detail) {
    return new CheckResult(subject, true, detail);
  }

  static CheckResult fail(String subject, String detail) {
    return new CheckResult(subject, false, detail);
  }

  /** @return one line for the operator */
  public String line() {
    return (ok ? "[ OK ] " : "[FAIL] ") + subject + ": " + detail;
  }
}
