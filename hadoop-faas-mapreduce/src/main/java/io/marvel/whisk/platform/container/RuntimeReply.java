package io.marvel.whisk.platform.container;

/**
 * A reply of the action runtime to {@code /init} or {@code /run}.
 *
 * @param status the HTTP status
 * @param body the body text (UTF-8)
 */
public record RuntimeReply(int status, String body) {
}
