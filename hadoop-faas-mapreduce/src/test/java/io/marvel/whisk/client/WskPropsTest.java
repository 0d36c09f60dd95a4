package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WskPropsTest {
  private static final String KEY = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:"
      + "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

  @TempDir
  Path home;

  @Test
  void readsWskpropsInHome() throws IOException {
    Files.writeString(home.resolve(".wskprops"),
        "APIHOST=http://127.0.0.1:3233\nAUTH=" + KEY + "\nNAMESPACE=guest\n");
    WhiskSettings s = WskProps.resolve(Map.of(), home);
    assertEquals(URI.create("http://127.0.0.1:3233"), s.apiHost());
    assertEquals(KEY, s.authKey());
    assertEquals("guest", s.namespace());
    assertFalse(s.insecure());
  }

  @Test
  void environmentOverridesTheFile() throws IOException {
    Files.writeString(home.resolve(".wskprops"), "APIHOST=a.example\nAUTH=" + KEY + "\n");
    WhiskSettings s = WskProps.resolve(Map.of("__OW_API_HOST", "http://10.0.0.1:80",
        "__OW_NAMESPACE", "other", "__OW_IGNORE_CERTS", "true"), home);
    assertEquals(URI.create("http://10.0.0.1:80"), s.apiHost());
    assertEquals("other", s.namespace());
    assertTrue(s.insecure());
  }

  @Test
  void wskConfigFileNamesAnotherFile() throws IOException {
    Path file = home.resolve("custom.props");
    Files.writeString(file, "APIHOST=whisk.example.com\nAUTH=" + KEY + "\n");
    WhiskSettings s = WskProps.resolve(Map.of("WSK_CONFIG_FILE", file.toString()), home);
    assertEquals(URI.create("https://whisk.example.com"), s.apiHost());
    assertEquals("_", s.namespace());
  }

  @Test
  void missingApiHostNamesBothSources() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WskProps.resolve(Map.of("__OW_API_KEY", KEY), home));
    assertTrue(e.getMessage().contains("APIHOST"), e.getMessage());
    assertTrue(e.getMessage().contains("__OW_API_HOST"), e.getMessage());
  }

  @Test
  void missingKeyNamesBothSources() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WskProps.resolve(Map.of("__OW_API_HOST", "https://x"), home));
    assertTrue(e.getMessage().contains("AUTH"), e.getMessage());
    assertTrue(e.getMessage().contains("__OW_API_KEY"), e.getMessage());
  }
}
