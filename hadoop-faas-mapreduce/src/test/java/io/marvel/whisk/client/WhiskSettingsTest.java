package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WhiskSettingsTest {
  private static final String KEY = "uuid-part:secretsecret";

  @Test
  void apiHostWithoutSchemeGetsHttps() {
    assertEquals(URI.create("https://whisk.example.com"),
        WhiskSettings.parseApiHost("whisk.example.com/"));
    assertEquals(URI.create("http://127.0.0.1:3233"),
        WhiskSettings.parseApiHost("http://127.0.0.1:3233/api/v1"));
  }

  @Test
  void rejectsNonHttpApiHost() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WhiskSettings.of(URI.create("ftp://x"), KEY));
    assertTrue(e.getMessage().contains("ftp://x"), e.getMessage());
    assertTrue(e.getMessage().contains("http"), e.getMessage());
  }

  @Test
  void rejectsKeyWithoutColon() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WhiskSettings.of(URI.create("http://x"), "nocolon"));
    assertTrue(e.getMessage().contains("uuid:key"), e.getMessage());
    assertFalse(e.getMessage().contains("nocolon"), "the key must not be echoed");
  }

  @Test
  void rejectsNonPositiveTimeout() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WhiskSettings.of(URI.create("http://x"), KEY)
            .withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("connectTimeout"), e.getMessage());
  }

  @Test
  void toStringHidesTheSecret() {
    String s = WhiskSettings.of(URI.create("http://x"), KEY).toString();
    assertFalse(s.contains("secretsecret"), s);
    assertTrue(s.contains("uuid-part"), s);
  }
}
