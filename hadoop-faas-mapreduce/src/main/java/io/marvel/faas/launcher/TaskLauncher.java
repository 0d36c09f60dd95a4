package io.marvel.faas.launcher;

import io.marvel.faas.protocol.TaskArguments;
import java.io.IOException;
import java.util.List;

/**
 * Launches task activations for the coordinator. Implementations: {@link OpenWhiskLauncher}
 * (through OpenWhisk's REST API) and {@link InJvmLauncher} (the action's entry point on a
 * thread of this JVM). Thread-safe: the coordinator launches several activations at once.
 */
public interface TaskLauncher extends AutoCloseable {
  /**
   * Makes sure activations can be launched: the platform is reachable, the credentials are
   * accepted, the task action is deployed in its current version. Idempotent.
   *
   * @throws IOException naming the endpoint and what to fix
   */
  void prepare() throws IOException;

  /**
   * Runs one activation and waits for its end, at most the configured activation timeout.
   *
   * @param args the task attempt
   * @return how it ended
   * @throws InterruptedException if the coordinator is interrupted (job killed)
   */
  ActivationOutcome launch(TaskArguments args) throws InterruptedException;

  /**
   * Runs one warm-up activation ({@link io.marvel.faas.protocol.WarmUp}) of the task action, so
   * that the platform starts a container the job's tasks then reuse; after {@link #prepare()}.
   * Never fails a job: a failure is the result's.
   *
   * @return how it ended; launchers without containers of their own run none
   * @throws InterruptedException if interrupted while waiting for it
   */
  default WarmUpResult warmUp() throws InterruptedException {
    return WarmUpResult.failed("none", 0, "this launcher has no containers to warm up");
  }

  /** @return the warm-ups run for this launcher's job ahead of its tasks, as they ended */
  default List<WarmUpResult> warmUps() {
    return List.of();
  }

  /**
   * @param activationId an activation this launcher created
   * @return its log lines; empty when its platform keeps none (in-JVM activations log where
   *     this JVM logs)
   * @throws IOException if the platform cannot be asked
   */
  List<String> activationLogs(String activationId) throws IOException;

  /**
   * Tells the launcher that a job ended, so it can drop what it kept for it.
   *
   * @param jobId the job id
   */
  void jobEnded(String jobId);

  /** Releases the launcher's resources; idempotent. */
  @Override
  void close();
}
