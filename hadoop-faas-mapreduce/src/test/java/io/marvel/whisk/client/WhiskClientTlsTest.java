package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against an HTTPS server with a self-signed certificate made by keytool (child processes,
 * hence tagged integration): refused by default, accepted with its CA file or in insecure mode.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhiskClientTlsTest {
  private static final String KEY = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:"
      + "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";
  private static final char[] PASS = "changeit".toCharArray();

  @TempDir
  static Path dir;

  private HttpsServer server;
  private Path caFile;
  private URI apiHost;

  @BeforeAll
  void startHttpsServer() throws Exception {
    Path keystore = dir.resolve("server.p12");
    caFile = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "whisk", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "whisk", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", caFile.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(body);
        }
      }
    });
    server.start();
    apiHost = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool hung");
    assertEquals(0, p.exitValue(), out);
  }

  @Test
  void untrustedCertificateIsRefusedNamingTheFix() throws IOException {
    WhiskClient client = WhiskClient.create(WhiskSettings.of(apiHost, KEY));
    WhiskException e = assertThrows(WhiskException.class, client::listActions);
    assertEquals(0, e.statusCode());
    assertTrue(e.getMessage().contains("TLS with OpenWhisk at " + apiHost + " failed"),
        e.getMessage());
    assertTrue(e.getMessage().contains("CA file"), e.getMessage());
    assertTrue(!e.getMessage().contains("attempts"), "a TLS failure must not be retried");
  }

  @Test
  void caFileMakesTheCertificateTrusted() throws IOException {
    WhiskClient client = WhiskClient.create(WhiskSettings.of(apiHost, KEY).withCaFile(caFile));
    assertEquals(List.of(), client.listActions());
  }

  @Test
  void insecureModeAcceptsAnyCertificate() throws IOException {
    WhiskClient client = WhiskClient.create(WhiskSettings.of(apiHost, KEY).withInsecure(true));
    assertEquals(List.of(), client.listActions());
  }

  @Test
  void caFileWithoutCertificatesIsNamed() throws IOException {
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "not a certificate\n");
    IOException e = assertThrows(IOException.class, () -> WhiskClient.create(
        WhiskSettings.of(apiHost, KEY).withCaFile(empty)));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }
}
