package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RuntimeMainTest {
  @Test
  void noArgumentsMeansTheEmbeddedInvokersChildMode() {
    assertNull(RuntimeMain.parse(new String[0]));
  }

  @Test
  void listenTakesAnAddressAndPortForContainerImages() {
    InetSocketAddress address = RuntimeMain.parse(new String[] {"--listen", "0.0.0.0:8080"});
    assertEquals(8080, address.getPort());
    assertEquals("0.0.0.0", address.getHostString());
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
  }
}
