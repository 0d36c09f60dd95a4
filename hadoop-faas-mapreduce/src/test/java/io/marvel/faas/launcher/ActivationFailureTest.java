package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.MarvelBuild;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class ActivationFailureTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private static String describe(ActivationStatus status, String error,
      Map<String, JsonElement> annotations, Configuration conf) {
    JsonObject result = new JsonObject();
    result.addProperty("error", error);
    Activation a = new Activation(ID, "guest", "marvel-mapreduce-task-0123456789abcdef", 1, 2,
        status, result, List.of(), annotations);
    return ActivationFailure.describe(a, FaasSettings.from(conf));
  }

  private static String describe(ActivationStatus status, String error) {
    return describe(status, error, Map.of(), new Configuration(false));
  }

  @Test
  void aContainerThatDiedIsNotCalledAnErrorOfTheTasksCode() {
    assertEquals("activation " + ID + ": its container process died while it ran the attempt;"
        + " this is no error of the task's code, which the task reports as a failed task with"
        + " its stack trace. The process was killed (by a signal, e.g. the kernel's OOM killer),"
        + " crashed, or something in it called System.exit. The platform says: The action did"
        + " not produce a valid response and exited unexpectedly. Its container process (pid 42)"
        + " was killed by signal 9 (SIGKILL). (OpenWhisk status: action developer error)",
        describe(ActivationStatus.DEVELOPER_ERROR, "The action did not"
            + " produce a valid response and exited unexpectedly. Its container process (pid 42)"
            + " was killed by signal 9 (SIGKILL)."));
  }

  /**
   * OpenWhisk stops an activation at its time limit as a developer error with
   * {@code Messages.timedoutActivation} ("The action exceeded its time limits of N
   * milliseconds.", {@code common/scala/.../http/ErrorResponse.scala}) and the annotation
   * {@code timeout: true} ({@code core/invoker/.../containerpool/ContainerProxy.scala}).
   */
  @Test
  void aTaskPastTheTimeLimitNamesTheLimitTheSettingAndTheFix() {
    Configuration conf = new Configuration(false);
    conf.setLong(FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY, 2000);
    String expected = "activation " + ID + " ran past the task's time limit of 2000 ms"
        + " (mapreduce.faas.activation.timeout-ms = 2000) and was stopped. Give the job more,"
        + " smaller tasks (more maps: a smaller mapreduce.input.fileinputformat.split.maxsize;"
        + " more reducers: mapreduce.job.reduces), or raise"
        + " mapreduce.faas.activation.timeout-ms (at most the platform's maxActionTimeout, which"
        + " an OpenWhisk operator raises with CONFIG_whisk_timeLimit_max). The platform says:"
        + " The action exceeded its time limits of 2000 milliseconds. (OpenWhisk status: action"
        + " developer error)";
    assertEquals(expected, describe(ActivationStatus.DEVELOPER_ERROR,
        "The action exceeded its time limits of 2000 milliseconds.",
        Map.of("timeout", new JsonPrimitive(true)), conf));
    assertEquals(expected, describe(ActivationStatus.DEVELOPER_ERROR,
        "The action exceeded its time limits of 2000 milliseconds.", Map.of(), conf),
        "the message alone, where a platform sets no annotation");
  }

  /**
   * OpenWhisk's invoker fails an activation whose blackbox image it cannot pull as a developer
   * error "Failed to pull container image 'NAME'." ({@code Messages.imagePullError},
   * {@code core/invoker/.../containerpool/docker/DockerContainer.scala}).
   */
  @Test
  void anImageThePlatformCannotPullNamesTheSettingAndTheFix() {
    Configuration conf = new Configuration(false);
    conf.set(FaasConfigKeys.ACTION_IMAGE_KEY, "registry.invalid/marvel/task-runtime:9");
    assertEquals("activation " + ID + ": the platform cannot start the task image"
        + " registry.invalid/marvel/task-runtime:9 (mapreduce.faas.action.image). Set"
        + " mapreduce.faas.action.image to an image the platform can run: on an OpenWhisk"
        + " deployment, the image the distribution builds (dist/docker) pushed to a registry its"
        + " invokers pull from and named with that registry (e.g."
        + " registry.example.com:5000/marvel/task-runtime:" + MarvelBuild.VERSION + "); on"
        + " Marvel's embedded platform, the default marvel/task-runtime:" + MarvelBuild.VERSION
        + ". The platform says: Failed to pull container image"
        + " 'registry.invalid/marvel/task-runtime:9'. (OpenWhisk status: action developer error)",
        describe(ActivationStatus.DEVELOPER_ERROR, "Failed to pull container image"
            + " 'registry.invalid/marvel/task-runtime:9'.", Map.of(), conf));
  }

  @Test
  void otherFailuresKeepThePlatformsStatusAndError() {
    assertEquals("activation " + ID + " ended with whisk internal error: The platform is"
        + " stopping.", describe(ActivationStatus.WHISK_ERROR, "The platform is stopping."));
    assertEquals("activation " + ID + " ended with application error: The action exceeded its"
        + " time limits of 1000 milliseconds.", describe(ActivationStatus.APPLICATION_ERROR,
        "The action exceeded its time limits of 1000 milliseconds."),
        "the task's own result is not the platform's time limit");
  }
}
