package io.marvel.whisk.platform.controller;

/**
 * A request the controller refuses, with the HTTP status and the message of OpenWhisk's error
 * body.
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException notFound() {
    return new ApiException(404, "The requested resource does not exist.");
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
