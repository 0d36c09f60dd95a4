package io.marvel.whisk.platform.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The invoker's kept-alive connection to a runtime, against a scripted runtime on a real
 * loopback socket: connections the runtime closed while idle are replaced without losing or
 * repeating a request, and a dead runtime is an error.
 */
class RuntimeConnectionTest {
  private static final long REUSE_ALWAYS = TimeUnit.HOURS.toNanos(1);

  private ScriptedRuntime runtime;

  @AfterEach
  void stop() throws IOException {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void keepsOneConnectionForRequestsInQuickSuccession() throws Exception {
    runtime = new ScriptedRuntime(false);
    try (RuntimeConnection connection = new RuntimeConnection(runtime.port(), REUSE_ALWAYS)) {
      for (int i = 0; i < 3; i++) {
        RuntimeReply reply = connection.post("/run", "{\"n\":" + i + "}", 5000);
        assertEquals(200, reply.status());
        assertEquals("{\"n\":" + i + "}", reply.body());
      }
    }
    assertEquals(3, runtime.requests.get());
    assertEquals(1, runtime.connections.get());
  }

  @Test
  void aConnectionTheRuntimeClosedIsReplacedAndTheRequestSentOnce() throws Exception {
    // This runtime closes every connection after one reply, as an HTTP server does with
    // connections that stay idle past its timeout.
    runtime = new ScriptedRuntime(true);
    try (RuntimeConnection connection = new RuntimeConnection(runtime.port(), REUSE_ALWAYS)) {
      assertEquals("{\"n\":1}", connection.post("/run", "{\"n\":1}", 5000).body());
      runtime.awaitClosed(1);
      assertEquals("{\"n\":2}", connection.post("/run", "{\"n\":2}", 5000).body());
    }
    assertEquals(2, runtime.requests.get(), "each request reached the runtime once");
    assertEquals(2, runtime.connections.get());
  }

  @Test
  void aConnectionIdleTooLongIsNotReused() throws Exception {
    runtime = new ScriptedRuntime(false);
    try (RuntimeConnection connection = new RuntimeConnection(runtime.port(), 0)) {
      connection.post("/run", "{}", 5000);
      connection.post("/run", "{}", 5000);
    }
    assertEquals(2, runtime.connections.get());
  }

  @Test
  void aDeadRuntimeIsAnError() throws Exception {
    runtime = new ScriptedRuntime(false);
    try (RuntimeConnection connection = new RuntimeConnection(runtime.port(), REUSE_ALWAYS)) {
      connection.post("/run", "{}", 5000);
      runtime.close();
      assertThrows(IOException.class, () -> connection.post("/run", "{}", 5000));
    }
    assertEquals(1, runtime.requests.get());
  }

  /** Echoes each request body with a Content-Length; optionally closes after each reply. */
  private static final class ScriptedRuntime implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final ServerSocket server;
    private final boolean closeAfterReply;
    private final Thread thread;
    private volatile Socket current;

    ScriptedRuntime(boolean closeAfterReply) throws IOException {
      this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      this.closeAfterReply = closeAfterReply;
      this.thread = new Thread(this::serve, "scripted-runtime");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void awaitClosed(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (closed.get() < count && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(count, closed.get(), "connections the runtime closed");
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          current = socket;
          connections.incrementAndGet();
          BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
              StandardCharsets.US_ASCII));
          OutputStream out = socket.getOutputStream();
          while (answer(in, out) && !closeAfterReply) {
            continue;
          }
          closed.incrementAndGet();
        } catch (IOException e) {
          // The test closed the server, or the client went away: nothing more to serve.
        }
      }
    }

    /** @return false when the client closed the connection */
    private boolean answer(BufferedReader in, OutputStream out) throws IOException {
      String line = in.readLine();
      if (line == null) {
        return false;
      }
      int length = 0;
      for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
        if (h.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(h.substring(h.indexOf(':') + 1).trim());
        }
      }
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        read += in.read(body, read, length - read);
      }
      requests.incrementAndGet();
      byte[] reply = new String(body).getBytes(StandardCharsets.US_ASCII);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
          + reply.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(reply);
      out.flush();
      return true;
    }

    /**
     * Dies: stops listening, drops the connection it serves, and returns once its thread has
     * ended. Without the wait a request sent right after could still be read: closing a socket
     * from another thread lets a read already blocked in it take data that arrives before it
     * wakes, which a killed process never does.
     */
    @Override
    public void close() throws IOException {
      server.close();
      Socket socket = current;
      if (socket != null) {
        socket.close();
      }
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the scripted runtime stopped", e);
      }
      if (thread.isAlive()) {
        throw new IOException("the scripted runtime's thread did not end within 10 s");
      }
    }
  }
}
