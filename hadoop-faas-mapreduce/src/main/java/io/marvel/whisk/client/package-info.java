/**
 * A Java client of Apache OpenWhisk's REST API, free of Hadoop and of the embedded platform.
 *
 * <p>{@link io.marvel.whisk.client.WhiskSettings} says where and how to connect; build it with
 * {@link io.marvel.whisk.client.WhiskSettings#of} or resolve it the {@code wsk} way with
 * {@link io.marvel.whisk.client.WskProps#resolve()} ({@code ~/.wskprops}, {@code WSK_CONFIG_FILE},
 * {@code __OW_API_HOST}, {@code __OW_API_KEY}, {@code __OW_NAMESPACE}, {@code __OW_IGNORE_CERTS}).
 * {@link io.marvel.whisk.client.WhiskClient} deploys actions, of a Java kind or as a docker
 * image ({@code blackbox}) that takes a jar ({@link io.marvel.whisk.client.ActionSpec}), invokes
 * them blocking or not, reads activations ({@link io.marvel.whisk.client.Activation}) and the
 * namespace's limits ({@link io.marvel.whisk.client.NamespaceLimits}). Every failure is a
 * {@link io.marvel.whisk.client.WhiskException} whose message names the operation, the endpoint,
 * the status and OpenWhisk's error and code.
 */
package io.marvel.whisk.client;
