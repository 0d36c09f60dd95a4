package io.marvel.whisk.platform.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthKeyTest {
  @TempDir
  Path dir;

  @Test
  void firstStartWritesAnOwnerOnlyKeyFileThatLaterStartsReuse() throws IOException {
    Path file = dir.resolve("auth");
    AuthKey key = AuthKey.loadOrCreate(file);
    assertTrue(key.asString().matches("[0-9a-f-]{36}:[A-Za-z0-9]{64}"), key.asString());
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(key, AuthKey.loadOrCreate(file));
  }

  @Test
  void corruptKeyFileSaysHowToRecover() throws IOException {
    Path file = dir.resolve("auth");
    Files.writeString(file, "garbage");
    IOException e = assertThrows(IOException.class, () -> AuthKey.loadOrCreate(file));
    assertTrue(e.getMessage().contains("delete it"), e.getMessage());
  }

  @Test
  void matchesOnlyBasicAuthWithTheKey() {
    AuthKey key = AuthKey.generate();
    String good = "Basic " + Base64.getEncoder().encodeToString(
        key.asString().getBytes(StandardCharsets.UTF_8));
    assertTrue(key.matches(good));
    assertFalse(key.matches(null));
    assertFalse(key.matches("Bearer x"));
    assertFalse(key.matches("Basic !!!"));
    assertFalse(key.matches("Basic " + Base64.getEncoder().encodeToString(
        AuthKey.generate().asString().getBytes(StandardCharsets.UTF_8))));
    assertFalse(key.toString().contains(key.key()));
  }
}
