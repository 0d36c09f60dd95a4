package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.whisk.client.ActivationStatus;
import org.junit.jupiter.api.Test;

class ActivationFailureTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";

  @Test
  void aContainerThatDiedIsNotCalledAnErrorOfTheTasksCode() {
    assertEquals("activation " + ID + ": its container process died while it ran the attempt;"
        + " this is no error of the task's code, which the task reports as a failed task with"
        + " its stack trace. The process was killed (by a signal, e.g. the kernel's OOM killer),"
        + " crashed, or something in it called System.exit. The platform says: The action did"
        + " not produce a valid response and exited unexpectedly. Its container process (pid 42)"
        + " was killed by signal 9 (SIGKILL). (OpenWhisk status: action developer error)",
        ActivationFailure.describe(ID, ActivationStatus.DEVELOPER_ERROR, "The action did not"
            + " produce a valid response and exited unexpectedly. Its container process (pid 42)"
            + " was killed by signal 9 (SIGKILL)."));
  }

  @Test
  void otherFailuresKeepThePlatformsStatusAndError() {
    assertEquals("activation " + ID + " ended with action developer error: The action exceeded"
        + " its time limits of 1000 milliseconds.", ActivationFailure.describe(ID,
        ActivationStatus.DEVELOPER_ERROR, "The action exceeded its time limits of 1000"
            + " milliseconds."));
    assertEquals("activation " + ID + " ended with whisk internal error: The platform is"
        + " stopping.", ActivationFailure.describe(ID, ActivationStatus.WHISK_ERROR,
        "The platform is stopping."));
  }
}
