/**
 * Launching a job's task activations: {@code TaskLauncher}, implemented by
 * {@code OpenWhiskLauncher} (OpenWhisk's REST API; the task action built by {@code ActionJar}
 * and deployed once per content, {@code TaskActionVersions}, after {@code PlatformLimitsCheck}
 * compared the settings with the namespace's limits) and {@code InJvmLauncher} (the
 * action's entry point on a thread of this JVM), chosen by {@code Launchers}; how an activation
 * ended ({@code ActivationOutcome}, {@code ActivationFailure}); and {@code EmbeddedPlatform},
 * the one embedded OpenWhisk-compatible platform of a JVM, run in the shape the jobs' settings
 * ask for ({@code PlatformShape}). Knows neither the coordinator nor the job registry.
 */
package io.marvel.faas.launcher;
