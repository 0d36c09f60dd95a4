package io.marvel.whisk.platform.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The action runtime's HTTP/1.1 server: blocking sockets, a thread per connection, and requests
 * handled one at a time. It serves what OpenWhisk's invokers send a runtime: {@code POST /init}
 * and {@code POST /run} with a JSON body (of a {@code Content-Length}, or chunked), on kept-alive
 * connections; every reply has a {@code Content-Length}, as invokers require. Any other path gets
 * a 404.
 *
 * <p>Not the JDK's {@code com.sun.net.httpserver}, because of what it costs a container's start,
 * measured on a container class path of about 190 jars: it asks {@code System.getLogger} for a
 * logger before it serves, and the JDK looks up logger services on the class path for it, which
 * opens every jar of the class path (about 120 ms of CPU) before the runtime can announce its
 * port; and its first reply formats a {@code Date} header, which loads the JDK's locale and time
 * zone data. This server uses neither, nor a selector. Thread-safe.
 */
final class RuntimeHttpServer implements AutoCloseable {
  /** Longest request line or header block. */
  static final int MAX_HEADER_BYTES = 64 * 1024;
  /**
   * A connection idle this long between requests is closed, as the JDK's server did (its
   * default); the invoker does not reuse a connection idle for more than 10 s.
   */
  static final int IDLE_TIMEOUT_MS = 30_000;

  /** Answers a request. */
  @FunctionalInterface
  interface Handler {
    /**
     * @param path the request's path, without a query
     * @param body the request's body as UTF-8
     * @return the reply
     * @throws IOException if the request cannot be answered; the client gets a 500
     */
    Reply handle(String path, String body) throws IOException;
  }

  /**
   * A reply.
   *
   * @param status the HTTP status code
   * @param body the body, sent as UTF-8 JSON
   */
  record Reply(int status, String body) {
  }

  private final ServerSocket listener;
  private final Set<String> paths;
  private final Handler handler;
  private final Object oneAtATime = new Object();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private RuntimeHttpServer(ServerSocket listener, Set<String> paths, Handler handler) {
    this.listener = listener;
    this.paths = Set.copyOf(paths);
    this.handler = handler;
  }

  /**
   * Binds and starts serving on a thread of its own, which keeps the JVM alive until
   * {@link #close()}.
   *
   * @param address where to listen; port 0 picks a free port
   * @param backlog the listen backlog
   * @param paths the paths the handler serves
   * @param handler answers requests for those paths, one at a time
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  static RuntimeHttpServer start(InetSocketAddress address, int backlog, Set<String> paths,
      Handler handler) throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(address, backlog);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    RuntimeHttpServer server = new RuntimeHttpServer(listener, paths, handler);
    Thread acceptor = new Thread(server::accept, "runtime-http");
    acceptor.start();
    return server;
  }

  /** @return the bound port */
  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        // Closed, or a connection that failed while being accepted: the loop decides.
        continue;
      }
      connections.add(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread t = new Thread(() -> serve(socket), "runtime-http-" + socket.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(IDLE_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = socket.getOutputStream();
      boolean keepAlive = true;
      while (keepAlive && !closed) {
        Request request;
        try {
          request = Request.read(in, out);
        } catch (BadRequest e) {
          write(out, new Reply(e.status, RuntimeReplies.error(e.getMessage()).toString()),
              "close");
          return;
        }
        if (request == null) {
          return;
        }
        keepAlive = request.keepAlive();
        write(out, answer(request), keepAlive ? (request.http10() ? "keep-alive" : null)
            : "close");
      }
    } catch (SocketTimeoutException | EOFException e) {
      // Idle past the timeout, or the client went away mid-request: the connection ends.
    } catch (IOException e) {
      // A broken connection; the client sees it as such.
    } finally {
      connections.remove(socket);
    }
  }

  private Reply answer(Request request) {
    if (!paths.contains(request.path())) {
      return new Reply(404, RuntimeReplies.error("No route " + request.path()
          + "; the runtime serves " + String.join(" and ", paths.stream().sorted().toList()))
          .toString());
    }
    synchronized (oneAtATime) {
      try {
        return handler.handle(request.path(), request.body());
      } catch (IOException | RuntimeException e) {
        return new Reply(500, RuntimeReplies.error("The runtime failed: " + e).toString());
      }
    }
  }

  /** Writes a reply, with a Connection header of that value unless it is null. */
  private static void write(OutputStream out, Reply reply, String connection)
      throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + reply.status() + " " + reason(reply.status())
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + (connection == null ? "" : "\r\nConnection: " + connection) + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    out.write(all);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      default -> "Status";
    };
  }

  /** Stops accepting and closes every connection; a request in flight gets no reply. */
  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    connections.forEach(RuntimeHttpServer::closeQuietly);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing; nothing is left to release.
    }
  }

  /** A request the server cannot serve, answered with its status and then closed. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * One request, read whole.
   *
   * @param path the path without its query
   * @param body the body as UTF-8
   * @param keepAlive whether the connection stays open after the reply
   * @param http10 whether the client speaks HTTP/1.0, which keeps a connection only when told
   */
  record Request(String path, String body, boolean keepAlive, boolean http10) {
    /**
     * Reads the next request of a connection.
     *
     * @param in the connection's input
     * @param out the connection's output, for a {@code 100 Continue}
     * @return the request, or null if the connection ended before one began
     * @throws BadRequest if the request is malformed or too large
     * @throws IOException if the connection fails or ends within the request
     */
    static Request read(InputStream in, OutputStream out) throws IOException {
      HeaderReader reader = new HeaderReader(in);
      String requestLine = reader.line(true);
      while (requestLine != null && requestLine.isEmpty()) {
        // Tolerated before a request line (RFC 9112, 2.2).
        requestLine = reader.line(true);
      }
      if (requestLine == null) {
        return null;
      }
      String[] parts = requestLine.split(" ");
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        throw new BadRequest(400, "Malformed request line: " + requestLine);
      }
      boolean http10 = parts[2].equals("HTTP/1.0");
      long length = -1;
      boolean chunked = false;
      boolean keepAlive = !http10;
      boolean expectContinue = false;
      for (String h = reader.line(false); !h.isEmpty(); h = reader.line(false)) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new BadRequest(400, "Malformed header line: " + h);
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        String lower = value.toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = contentLength(value);
          case "transfer-encoding" -> {
            if (!lower.endsWith("chunked")) {
              throw new BadRequest(501, "Transfer-Encoding " + value + " is not supported");
            }
            chunked = true;
          }
          case "connection" -> {
            if (lower.contains("close")) {
              keepAlive = false;
            } else if (lower.contains("keep-alive")) {
              keepAlive = true;
            }
          }
          case "expect" -> expectContinue = lower.equals("100-continue");
          default -> {
            // Not needed to serve the request.
          }
        }
      }
      if (expectContinue && !http10) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      byte[] body = chunked ? readChunked(in) : readFixed(in, Math.max(0, length));
      String target = parts[1];
      int query = target.indexOf('?');
      String path = query < 0 ? target : target.substring(0, query);
      return new Request(path, new String(body, StandardCharsets.UTF_8), keepAlive, http10);
    }

    private static long contentLength(String value) throws BadRequest {
      try {
        long length = Long.parseLong(value);
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
          throw new BadRequest(400, "Content-Length out of range: " + value);
        }
        return length;
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "Malformed Content-Length: " + value);
      }
    }

    private static byte[] readFixed(InputStream in, long length) throws IOException {
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new EOFException("the request body ended after " + body.length + " of " + length
            + " bytes");
      }
      return body;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        // A reader per line: the head's size limit holds for each line, not for the whole body.
        String sizeLine = new HeaderReader(in).line(false);
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
        long size;
        try {
          size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new BadRequest(400, "Malformed chunk size: " + sizeLine);
        }
        if (size < 0 || body.size() + size > Integer.MAX_VALUE - 8) {
          throw new BadRequest(400, "Chunk size out of range: " + sizeLine);
        }
        if (size == 0) {
          // Trailers, up to the empty line that ends the request.
          HeaderReader trailers = new HeaderReader(in);
          for (String t = trailers.line(false); !t.isEmpty(); t = trailers.line(false)) {
            // Trailers carry nothing the runtime needs.
          }
          return body.toByteArray();
        }
        body.write(readFixed(in, size));
        if (!new HeaderReader(in).line(false).isEmpty()) {
          throw new BadRequest(400, "A chunk does not end with CRLF");
        }
      }
    }
  }

  /** Reads CRLF (or LF) terminated lines of a request's head, at most {@link #MAX_HEADER_BYTES}. */
  private static final class HeaderReader {
    private final InputStream in;
    private int total;

    HeaderReader(InputStream in) {
      this.in = in;
    }

    /**
     * @param first true for the first line of a request, which may instead find the
     *     connection's end
     * @return the line without its terminator; null at the end of the stream before a first line
     */
    String line(boolean first) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
      while (true) {
        int b;
        try {
          b = in.read();
        } catch (SocketException e) {
          if (first && buf.size() == 0) {
            return null;
          }
          throw e;
        }
        if (b < 0) {
          if (first && buf.size() == 0) {
            return null;
          }
          throw new EOFException("the connection ended within a request");
        }
        if (++total > MAX_HEADER_BYTES) {
          throw new BadRequest(431, "The request's head exceeds " + MAX_HEADER_BYTES + " bytes");
        }
        if (b == '\n') {
          return buf.toString(StandardCharsets.ISO_8859_1);
        }
        if (b != '\r') {
          buf.write(b);
        }
      }
    }
  }
}
