package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Pmem#runCurrentThreadWhenIdle()} changes the calling thread's policy only. */
class IdleThreadTest {
  /** SCHED_IDLE in linux/sched.h. */
  private static final String SCHED_IDLE = "5";

  @Test
  void theCallingThreadRunsAtIdlePriorityAndOthersDoNot() throws Exception {
    AtomicReference<String> policy = new AtomicReference<>();
    AtomicReference<Boolean> result = new AtomicReference<>();
    Thread background = new Thread(() -> {
      try {
        result.set(Pmem.runCurrentThreadWhenIdle());
        policy.set(policyOfThisThread());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    background.start();
    // Long: once at idle priority the thread gets almost no CPU while the cores are busy.
    background.join(60_000);
    assertFalse(background.isAlive(), "the idle thread did not finish within 60 s");
    assertTrue(result.get());
    assertEquals(SCHED_IDLE, policy.get());
    assertEquals("0", policyOfThisThread(), "SCHED_OTHER: other threads keep theirs");
  }

  /** Field 41 (policy) of /proc/thread-self/stat. */
  private static String policyOfThisThread() throws Exception {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[38];
  }
}
