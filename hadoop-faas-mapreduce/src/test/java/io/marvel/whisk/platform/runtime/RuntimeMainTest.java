package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RuntimeMainTest {
  @Test
  void noArgumentsMeansTheEmbeddedInvokersChildModeOnLoopback() {
    RuntimeMain.Launch launch = RuntimeMain.parse(new String[0]);
    assertTrue(launch.child());
    assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), launch.address());
  }

  @Test
  void bindIsTheChildModeOnAPlacedContainersAddress() {
    RuntimeMain.Launch launch = RuntimeMain.parse(new String[] {"--bind", "198.18.0.2"});
    assertTrue(launch.child());
    assertEquals("198.18.0.2", launch.address().getHostString());
    assertEquals(0, launch.address().getPort(), "a free port, announced on stderr");
  }

  @Test
  void listenTakesAnAddressAndPortForContainerImages() {
    RuntimeMain.Launch launch = RuntimeMain.parse(new String[] {"--listen", "0.0.0.0:8080"});
    assertFalse(launch.child());
    assertEquals(8080, launch.address().getPort());
    assertEquals("0.0.0.0", launch.address().getHostString());
  }

  @Test
  void badListenValuesSayWhatIsExpected() {
    IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
        () -> RuntimeMain.parse(new String[] {"--listen", "8080"}));
    assertTrue(noPort.getMessage().contains("ADDRESS:PORT"), noPort.getMessage());
    IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
        () -> RuntimeMain.parse(new String[] {"--listen", "0.0.0.0:http"}));
    assertTrue(badPort.getMessage().contains("bad port"), badPort.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RuntimeMain.parse(new String[] {"--port", "1"}));
    assertThrows(IllegalArgumentException.class,
        () -> RuntimeMain.parse(new String[] {"--bind"}));
  }
}
