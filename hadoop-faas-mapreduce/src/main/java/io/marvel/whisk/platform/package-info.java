/**
 * A single-machine platform compatible with Apache OpenWhisk, for running Marvel's task actions
 * without an OpenWhisk deployment.
 *
 * <p>{@link io.marvel.whisk.platform.EmbeddedWhisk#start} starts it from {@link
 * io.marvel.whisk.platform.settings.PlatformSettings}: a controller speaking OpenWhisk's REST API
 * on 127.0.0.1 ({@code controller}), an invoker with a memory-limited pool of containers
 * ({@code invoker}), each container a separate JVM ({@code container}) running the action
 * runtime ({@code runtime}) that serves {@code /init} and {@code /run} for Java actions. The
 * container class path, the "runtime image", is a setting. {@link
 * io.marvel.whisk.platform.WhiskMain} runs it in the foreground for
 * {@code dev-support/bin/marvel-whisk}.
 */
package io.marvel.whisk.platform;
