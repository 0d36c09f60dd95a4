package io.marvel.whisk.platform.controller;

/** The {@code limit} and {@code skip} query parameters of collection listings. */
final class Paging {
  static final int DEFAULT_LIMIT = 30;
  static final int MAX_LIMIT = 200;

  private Paging() {
  }

  /** @return the page size: default 30, 0 means 200 @throws ApiException 400 if out of range */
  static int limit(String value) throws ApiException {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    int limit = parse("limit", value);
    if (limit < 0 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("The value '" + value + "' is not in the range of 0 to "
          + MAX_LIMIT + " for the parameter 'limit'.");
    }
    return limit == 0 ? MAX_LIMIT : limit;
  }

  /** @return how many to skip, default 0 @throws ApiException 400 if negative or not a number */
  static int skip(String value) throws ApiException {
    if (value == null) {
      return 0;
    }
    int skip = parse("skip", value);
    if (skip < 0) {
      throw ApiException.badRequest("The value '" + value + "' is not valid for 'skip': use 0"
          + " or more.");
    }
    return skip;
  }

  static long epochMs(String name, String value, long fallback) throws ApiException {
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("The value '" + value + "' is not valid for '" + name
          + "': use epoch milliseconds.");
    }
  }

  private static int parse(String name, String value) throws ApiException {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("The value '" + value + "' is not an integer for the"
          + " parameter '" + name + "'.");
    }
  }
}
