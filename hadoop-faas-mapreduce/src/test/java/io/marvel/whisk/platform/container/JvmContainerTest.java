package io.marvel.whisk.platform.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JvmContainerTest {
  @Test
  void describesHowTheProcessEnded() {
    assertEquals("was killed by signal 9 (SIGKILL)", JvmContainer.describeExit(137));
    assertEquals("was killed by signal 15 (SIGTERM)", JvmContainer.describeExit(143));
    assertEquals("was killed by signal 6 (SIGABRT)", JvmContainer.describeExit(134));
    assertEquals("was killed by signal 12", JvmContainer.describeExit(140));
    assertEquals("exited with code 3", JvmContainer.describeExit(3));
    assertEquals("exited with code 0", JvmContainer.describeExit(0));
    assertEquals("exited with code 255", JvmContainer.describeExit(255));
  }
}
