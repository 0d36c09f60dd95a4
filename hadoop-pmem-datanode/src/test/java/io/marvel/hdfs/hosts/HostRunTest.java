package io.marvel.hdfs.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Paths;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The names and addresses of a run: the sweep removes what these names match, nothing else. */
class HostRunTest {
  @Test
  void namesAndAddressesFollowFromTheRunNumber() {
    HostRun run = new HostRun(258);
    assertEquals("marvel-h258", run.name());
    assertEquals("marvel-h258-host2", run.hostNamespace(2));
    assertEquals("marvel-h258-link", run.linkNamespace());
    assertEquals("marvel-h258-gw", run.gatewayLink());
    assertEquals(Paths.get("/dev/shm/marvel-h258"), run.dir());
    assertEquals("198.19.2.3", run.hostAddress(2));
    assertEquals("198.19.2.254", run.gatewayAddress());
    assertEquals("198.18.0.1", new HostRun(0).hostAddress(0));
    assertEquals("198.19.255.250", new HostRun(HostRun.MAX_RUNS - 1)
        .hostAddress(HostRun.MAX_HOSTS - 1));
  }

  @Test
  void onlyTheRunsOwnNamesAreRecognized() {
    assertEquals(OptionalInt.of(12), HostRun.numberOf("marvel-h12"));
    assertEquals(OptionalInt.of(12), HostRun.numberOf("marvel-h12-host3"));
    assertEquals(OptionalInt.of(12), HostRun.numberOf("marvel-h12-link"));
    assertEquals(OptionalInt.of(12), HostRun.numberOf("marvel-h12-gw"));
    for (String other : new String[] {"marvel-hosts.lock", "marvel-h512", "marvel-h12-x",
        "marvel-h12-host", "marvel-h-host0", "xmarvel-h1", "marvel-h1-gw0", "eth0",
        "marvel-dn-test-1234", "marvel-whisk-test1"}) {
      assertEquals(OptionalInt.empty(), HostRun.numberOf(other), other);
    }
  }

  @Test
  void aRunNumberOutsideTheRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new HostRun(HostRun.MAX_RUNS));
    assertThrows(IllegalArgumentException.class, () -> new HostRun(-1));
  }
}
