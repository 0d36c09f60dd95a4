package io.marvel.whisk.platform.container;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A kept-alive HTTP/1.1 connection from the invoker to one container's runtime, used for one
 * request at a time. A plain blocking socket: the invoker's thread writes the request and reads
 * the reply itself, with no hand-off to other threads, which keeps a warm activation's overhead
 * well under a millisecond. Replies must carry a Content-Length, as OpenWhisk requires. Not
 * thread-safe.
 */
final class RuntimeConnection implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  /**
   * A connection idle longer than this is not reused: the runtime's HTTP server closes idle
   * connections (the JDK's server after about 30 s), and a request written into a connection
   * the server has closed is lost.
   */
  private static final long REUSE_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final InetAddress address;
  private final int port;
  private final long reuseWithinNanos;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long lastUsedNanos;
  private boolean replyBegan;

  /** A connection to a runtime on 127.0.0.1. */
  RuntimeConnection(int port) {
    this(InetAddress.getLoopbackAddress(), port, REUSE_WITHIN_NANOS);
  }

  /** A connection to a runtime listening on {@code address}, e.g. a placed container's host. */
  RuntimeConnection(InetAddress address, int port) {
    this(address, port, REUSE_WITHIN_NANOS);
  }

  /** As above, on 127.0.0.1, reusing a connection only if used within {@code reuseWithinNanos}. */
  RuntimeConnection(int port, long reuseWithinNanos) {
    this(InetAddress.getLoopbackAddress(), port, reuseWithinNanos);
  }

  private RuntimeConnection(InetAddress address, int port, long reuseWithinNanos) {
    this.address = address;
    this.port = port;
    this.reuseWithinNanos = reuseWithinNanos;
  }

  /**
   * Sends a POST and reads the reply.
   *
   * @param path the route
   * @param body the JSON body
   * @param timeoutMs the longest time to wait for the reply to begin, and between reads
   * @return the reply
   * @throws SocketTimeoutException if no reply came in time (the connection is closed)
   * @throws IOException if the connection failed or the reply is malformed (it is closed)
   */
  RuntimeReply post(String path, String body, int timeoutMs) throws IOException {
    if (socket != null && System.nanoTime() - lastUsedNanos > reuseWithinNanos) {
      close();
    }
    boolean reused = socket != null;
    try {
      return exchange(path, body, timeoutMs);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      // A kept-alive connection the runtime closed just before this request: the runtime never
      // saw it, so it goes once more on a new connection. A runtime that died refuses that one.
      if (reused && !replyBegan) {
        return exchange(path, body, timeoutMs);
      }
      throw e;
    }
  }

  private RuntimeReply exchange(String path, String body, int timeoutMs) throws IOException {
    replyBegan = false;
    try {
      if (socket == null) {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(address, port), timeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
      }
      socket.setSoTimeout(Math.max(1, timeoutMs));
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + address.getHostAddress() + ":"
          + port + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
          + "Content-Length: " + payload.length + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[headBytes.length + payload.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(payload, 0, request, headBytes.length, payload.length);
      out.write(request);
      out.flush();
      RuntimeReply reply = readReply();
      lastUsedNanos = System.nanoTime();
      return reply;
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private RuntimeReply readReply() throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("malformed status line from the runtime: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    long length = -1;
    boolean closeAfter = false;
    int headerBytes = 0;
    for (String h = line(); !h.isEmpty(); h = line()) {
      headerBytes += h.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new IOException("the runtime's reply headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
        closeAfter = true;
      }
    }
    if (length < 0) {
      // OpenWhisk's container client treats a reply of unknown length as no reply.
      throw new IOException("the runtime's reply has no Content-Length");
    }
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw new EOFException("the runtime's reply ended after " + bytes.length + " of " + length
          + " bytes");
    }
    if (closeAfter) {
      close();
    }
    return new RuntimeReply(code, new String(bytes, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the runtime closed the connection");
      }
      replyBegan = true;
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        buf.write(b);
      }
      if (buf.size() > MAX_HEADER_BYTES) {
        throw new IOException("a reply header line of the runtime exceeds " + MAX_HEADER_BYTES
            + " bytes");
      }
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a broken connection; there is nothing left to release.
      }
      socket = null;
    }
  }
}
