package io.marvel.whisk.platform.controller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An OpenWhisk API key, {@code uuid:key} with a 64-character key, and its file. The file is
 * created on first start, readable and writable only by its owner.
 *
 * @param uuid the Basic-auth user name
 * @param key the 64-character secret
 */
public record AuthKey(String uuid, String key) {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern KEY = Pattern.compile("[0-9a-fA-F-]{36}:[A-Za-z0-9]{64}");

  /** @return a fresh random key */
  public static AuthKey generate() {
    SecureRandom random = new SecureRandom();
    StringBuilder key = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new AuthKey(UUID.randomUUID().toString(), key.toString());
  }

  /**
   * Reads the key file, creating it with a fresh key (mode 600) when it does not exist.
   *
   * @param file the key file
   * @return the key
   * @throws IOException if the file cannot be read or written, or holds no valid key
   */
  public static AuthKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
      Path draft = Files.createTempFile(dir, ".auth", ".tmp", PosixFilePermissions
          .asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(draft, generate().asString() + "\n", StandardCharsets.UTF_8);
        // A hard link appears complete or not at all, and fails if another platform sharing
        // this data dir won the race; then its key is the one read below.
        Files.createLink(file, draft);
      } catch (FileAlreadyExistsException e) {
        // Another platform created the key first; use it.
      } finally {
        Files.deleteIfExists(draft);
      }
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (!KEY.matcher(text).matches()) {
      throw new IOException("auth file " + file + " does not hold an OpenWhisk key (uuid:"
          + "64 alphanumerics); delete it to have a new key generated");
    }
    int colon = text.indexOf(':');
    return new AuthKey(text.substring(0, colon), text.substring(colon + 1));
  }

  /** @return {@code uuid:key}, the form {@code wsk} and the clients take */
  public String asString() {
    return uuid + ":" + key;
  }

  /**
   * Checks an {@code Authorization} header in constant time.
   *
   * @param header the header value, may be null
   * @return true if it is HTTP Basic with this key
   */
  boolean matches(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, asString().getBytes(StandardCharsets.UTF_8));
  }

  /** Hides the secret. */
  @Override
  public String toString() {
    return "AuthKey[uuid=" + uuid + ", key=****]";
  }
}
