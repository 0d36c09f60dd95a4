package io.marvel.faas.launcher;

import io.marvel.faas.protocol.TaskArguments;
import java.io.IOException;
import java.util.List;

/**
 * A job's launcher whose first task launches use the containers its warm-ups started: each
 * launch passes the {@link WarmUps} gate first. Everything else is the wrapped launcher's.
 */
public final class WarmedLauncher implements TaskLauncher {
  private final TaskLauncher launcher;
  private final WarmUps warmUps;

  /**
   * @param launcher the job's launcher, closed with this one
   * @param warmUps the job's warm-ups
   */
  public WarmedLauncher(TaskLauncher launcher, WarmUps warmUps) {
    this.launcher = launcher;
    this.warmUps = warmUps;
  }

  @Override
  public void prepare() throws IOException {
    launcher.prepare();
  }

  @Override
  public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
    warmUps.beforeLaunch();
    return launcher.launch(args);
  }

  @Override
  public WarmUpResult warmUp() throws InterruptedException {
    return launcher.warmUp();
  }

  @Override
  public List<WarmUpResult> warmUps() {
    return warmUps.results();
  }

  @Override
  public List<String> activationLogs(String activationId) throws IOException {
    return launcher.activationLogs(activationId);
  }

  @Override
  public void jobEnded(String jobId) {
    launcher.jobEnded(jobId);
  }

  @Override
  public void close() {
    launcher.close();
  }
}
