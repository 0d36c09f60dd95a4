package io.marvel.faas.state;

import java.io.IOException;

/** A stored map output is incomplete or not in the format this build reads. */
public final class CorruptMapOutputException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message names the entry and what is wrong with it */
  public CorruptMapOutputException(String message) {
    super(message);
  }
}
