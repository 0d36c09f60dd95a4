package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.platform.runtime.RuntimeHttpServer.Reply;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's HTTP server on real loopback sockets, spoken to byte by byte as an invoker's
 * HTTP/1.1 client does: kept-alive connections, bodies by length or chunked, {@code Expect:
 * 100-continue}, replies that always carry a length, and one request handled at a time.
 */
class RuntimeHttpServerTest {
  private final List<String> seen = new ArrayList<>();
  private RuntimeHttpServer server;

  private void start(RuntimeHttpServer.Handler handler) throws IOException {
    server = RuntimeHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        16, Set.of("/init", "/run"), handler);
  }

  private void startEcho() throws IOException {
    start((path, body) -> {
      synchronized (seen) {
        seen.add(path + " " + body);
      }
      return new Reply(200, "{\"path\":\"" + path + "\",\"body\":" + body + "}");
    });
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** A reply as read off the wire. */
  private record Wire(int status, Map<String, String> headers, String body) {
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(10_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        buf.write(b);
      }
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  private static Wire read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Wire(Integer.parseInt(status.split(" ")[1]), headers, body);
  }

  private static void assertClosed(InputStream in) {
    int next;
    try {
      next = in.read();
    } catch (IOException e) {
      next = -1;
    }
    assertEquals(-1, next, "the server closed the connection");
  }

  private static String post(String path, String body, String... headers) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList())
        + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
  }

  @Test
  void servesRequestsInTurnOnOneKeptAliveConnectionEachReplyWithItsLength() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      // Both requests written at once: the second waits in the connection until the first is
      // answered.
      send(s, post("/init", "{\"a\":\"\u00fc\"}") + post("/run?x=1", "{\"b\":2}"));
      Wire first = read(in);
      Wire second = read(in);
      assertEquals(200, first.status());
      assertEquals("{\"path\":\"/init\",\"body\":{\"a\":\"\u00fc\"}}", first.body());
      assertEquals(String.valueOf(first.body().getBytes(StandardCharsets.UTF_8).length),
          first.headers().get("content-length"));
      assertEquals("application/json", first.headers().get("content-type"));
      assertFalse(first.headers().containsKey("connection"));
      assertEquals("{\"path\":\"/run\",\"body\":{\"b\":2}}", second.body(), "query dropped");
    }
    assertEquals(List.of("/init {\"a\":\"\u00fc\"}", "/run {\"b\":2}"), seen);
  }

  @Test
  void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      send(s, "POST /run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "4;ext=1\r\n{\"c\"\r\n3\r\n:3}\r\n0\r\nX-Trailer: t\r\n\r\n");
      Wire reply = read(new BufferedInputStream(s.getInputStream()));
      assertEquals("{\"path\":\"/run\",\"body\":{\"c\":3}}", reply.body());
    }
  }

  @Test
  void sendsContinueBeforeReadingABodyThatAsksForIt() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      send(s, "POST /run HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 7\r\n"
          + "\r\n");
      assertEquals("HTTP/1.1 100 Continue", line(in));
      assertEquals("", line(in));
      send(s, "{\"d\":4}");
      assertEquals("{\"path\":\"/run\",\"body\":{\"d\":4}}", read(in).body());
    }
  }

  @Test
  void anUnknownPathIsA404AndAClientThatAsksForCloseIsClosedAfterItsReply() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      send(s, post("/ping", "{}", "Connection: close"));
      Wire reply = read(in);
      assertEquals(404, reply.status());
      assertTrue(reply.body().contains("No route /ping"), reply.body());
      assertEquals("close", reply.headers().get("connection"));
      assertClosed(in);
    }
    assertTrue(seen.isEmpty());
  }

  @Test
  void anHttp10ClientIsClosedAfterItsReplyUnlessItAsksForKeepAlive() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      send(s, "POST /run HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}"
          + "POST /run HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}");
      Wire kept = read(in);
      assertEquals(200, kept.status());
      assertEquals("keep-alive", kept.headers().get("connection"));
      Wire last = read(in);
      assertEquals(200, last.status());
      assertEquals("close", last.headers().get("connection"));
      assertClosed(in);
    }
  }

  @Test
  void aMalformedRequestIsA400AndEndsItsConnection() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      send(s, "HELLO\r\n");
      Wire reply = read(in);
      assertEquals(400, reply.status());
      assertTrue(reply.body().contains("Malformed request line: HELLO"), reply.body());
      assertClosed(in);
    }
    try (Socket s = connect()) {
      send(s, "POST /run HTTP/1.1\r\nContent-Length: x\r\n\r\n");
      assertEquals(400, read(new BufferedInputStream(s.getInputStream())).status());
    }
  }

  @Test
  void aHeadOverTheLimitIsRefused() throws Exception {
    startEcho();
    try (Socket s = connect()) {
      // Exactly one byte over, so that the server has read all that was sent when it replies
      // (unread bytes would make its close a reset).
      String start = "POST /run HTTP/1.1\r\nX-Big: ";
      send(s, start + "a".repeat(RuntimeHttpServer.MAX_HEADER_BYTES + 1 - start.length()));
      assertEquals(431, read(new BufferedInputStream(s.getInputStream())).status());
    }
  }

  @Test
  void requestsOfTwoConnectionsAreHandledOneAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch firstIn = new CountDownLatch(1);
    start((path, body) -> {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      firstIn.countDown();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inside.decrementAndGet();
      return new Reply(200, body);
    });
    try (Socket a = connect(); Socket b = connect()) {
      send(a, post("/run", "{\"n\":1}"));
      assertTrue(firstIn.await(10, TimeUnit.SECONDS));
      send(b, post("/run", "{\"n\":2}"));
      assertEquals("{\"n\":1}", read(new BufferedInputStream(a.getInputStream())).body());
      assertEquals("{\"n\":2}", read(new BufferedInputStream(b.getInputStream())).body());
    }
    assertEquals(1, most.get(), "no two requests were handled at once");
  }

  @Test
  void aHandlerThatFailsGivesA500AndTheConnectionServesOn() throws Exception {
    start((path, body) -> {
      if (body.contains("fail")) {
        throw new IOException("disk gone");
      }
      return new Reply(200, body);
    });
    try (Socket s = connect()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      send(s, post("/run", "{\"fail\":1}"));
      Wire failed = read(in);
      assertEquals(500, failed.status());
      assertTrue(failed.body().contains("disk gone"), failed.body());
      send(s, post("/run", "{}"));
      assertEquals(200, read(in).status());
    }
  }

  @Test
  void closingEndsOpenConnectionsAndStopsAccepting() throws Exception {
    startEcho();
    int port = server.port();
    try (Socket s = connect()) {
      send(s, post("/run", "{}"));
      InputStream in = new BufferedInputStream(s.getInputStream());
      assertEquals(200, read(in).status());
      server.close();
      assertClosed(in);
    }
    // The listening socket goes once its accepting thread has woken up: soon, not at once.
    boolean refused = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!refused && System.nanoTime() < deadline) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        Thread.sleep(20);
      } catch (IOException e) {
        refused = true;
      }
    }
    assertTrue(refused, "nothing listens after close");
    server = null;
  }
}
