package io.marvel.whisk.client;

/** The outcome of an activation, with OpenWhisk's wire names and status codes. */
public enum ActivationStatus {
  /** The action returned a result. */
  SUCCESS("success"),
  /** The action returned an object with an {@code error} key. */
  APPLICATION_ERROR("application error"),
  /** The action failed: init failure, exception, crash, timeout, invalid reply. */
  DEVELOPER_ERROR("action developer error"),
  /** The platform failed, e.g. the container could not be created. */
  WHISK_ERROR("whisk internal error");

  private final String wireName;

  ActivationStatus(String wireName) {
    this.wireName = wireName;
  }

  /** @return the {@code response.status} string */
  public String wireName() {
    return wireName;
  }

  /** @return the {@code statusCode} (0 to 3) */
  public int code() {
    return ordinal();
  }

  /**
   * @param wireName a {@code response.status} string
   * @return the status
   * @throws IllegalArgumentException if the name is not one of OpenWhisk's four
   */
  public static ActivationStatus fromWireName(String wireName) {
    for (ActivationStatus s : values()) {
      if (s.wireName.equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown activation status '" + wireName + "'");
  }

  /**
   * @param code a {@code statusCode} (0 to 3)
   * @return the status
   * @throws IllegalArgumentException if the code is out of range
   */
  public static ActivationStatus fromCode(int code) {
    if (code < 0 || code >= values().length) {
      throw new IllegalArgumentException("unknown activation status code " + code);
    }
    return values()[code];
  }
}
