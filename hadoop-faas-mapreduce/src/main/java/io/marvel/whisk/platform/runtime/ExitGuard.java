package io.marvel.whisk.platform.runtime;

import java.security.Permission;

/**
 * Keeps action code from ending the runtime: {@code System.exit}, {@code Runtime.halt} and
 * Hadoop's {@code ExitUtil.terminate} (which calls {@code System.exit}) throw a
 * {@link SecurityException} instead, and the attempt is remembered so that the runtime can turn
 * the activation into an error while the container lives on. Everything else is allowed.
 *
 * <p>Why a security manager: on Java 17 it is the only way to veto {@code System.exit}; the JVM
 * offers no other hook (shutdown hooks run, but cannot cancel the exit). OpenWhisk's Java
 * runtime does the same ({@code WhiskSecurityManager.java} beside {@code Proxy.java} in
 * apache/openwhisk-runtime-java). From Java 18 on the JVM must be started with
 * {@code -Djava.security.manager=allow} for this; the embedded platform starts it so, and Java
 * 17 (the docker image's) allows it without. Thread-safe.
 */
@SuppressWarnings("removal")
final class ExitGuard extends SecurityManager {
  private volatile boolean runtimeMayExit;
  private volatile Attempt attempt;

  /**
   * An exit the action tried.
   *
   * @param status the status it asked for
   * @param where the stack of the call, for the activation's logs
   */
  record Attempt(int status, Throwable where) {
  }

  private ExitGuard() {
  }

  /**
   * Installs the guard as the JVM's security manager. Java 17 then prints a deprecation warning
   * of four lines on the process's stderr, through a stream of its own that neither
   * {@code System.setErr} nor any option silences.
   *
   * @return the guard, or null if this JVM forbids security managers (Java 18 or later started
   *     without {@code -Djava.security.manager=allow}); {@code System.exit} then ends the runtime
   */
  static ExitGuard install() {
    ExitGuard guard = new ExitGuard();
    try {
      System.setSecurityManager(guard);
      return guard;
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** Lets the runtime itself end the JVM from now on. */
  void allowRuntimeExit() {
    runtimeMayExit = true;
  }

  /** @return the exit the action tried since the last call, or null; clears it */
  Attempt takeAttempt() {
    Attempt a = attempt;
    attempt = null;
    return a;
  }

  @Override
  public void checkExit(int status) {
    if (runtimeMayExit) {
      return;
    }
    SecurityException refusal = new SecurityException("System.exit(" + status
        + ") called from within an action.");
    attempt = new Attempt(status, refusal);
    throw refusal;
  }

  @Override
  public void checkPermission(Permission perm) {
    // Anything but exiting is allowed: this guard is no sandbox.
  }

  @Override
  public void checkPermission(Permission perm, Object context) {
    // As above.
  }
}
