package io.marvel.whisk.client;

import java.io.IOException;

/**
 * A failed OpenWhisk call. The message names the operation, the endpoint, the HTTP status and
 * OpenWhisk's error message and code (its transaction id), plus a hint for the usual fixes.
 */
public class WhiskException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String endpoint;
  private final String whiskError;
  private final String whiskCode;

  /**
   * @param message the full message
   * @param statusCode the HTTP status, or 0 if there was no reply
   * @param endpoint method and URL of the call
   * @param whiskError OpenWhisk's {@code error} text, or null
   * @param whiskCode OpenWhisk's {@code code} (transaction id), or null
   * @param cause the underlying failure, or null
   */
  public WhiskException(String message, int statusCode, String endpoint, String whiskError,
      String whiskCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.endpoint = endpoint;
    this.whiskError = whiskError;
    this.whiskCode = whiskCode;
  }

  /** @return the HTTP status, or 0 if the server gave no reply */
  public int statusCode() {
    return statusCode;
  }

  /** @return method and URL of the failed call */
  public String endpoint() {
    return endpoint;
  }

  /** @return OpenWhisk's {@code error} message, or null */
  public String whiskError() {
    return whiskError;
  }

  /** @return OpenWhisk's {@code code} (transaction id), or null */
  public String whiskCode() {
    return whiskCode;
  }
}
