package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.protocol.WarmUp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskActionTest {
  @Test
  void malformedArgumentsGiveAnErrorResult() {
    JsonObject result = TaskAction.main(new JsonObject());
    assertEquals("malformed task arguments: action JSON lacks required member 'kind'",
        result.get("error").getAsString());
  }

  @Test
  void aWarmUpAnswersForItsContainerAndRunsNoTask() {
    WarmUp.Reply reply = WarmUp.Reply.fromJson(TaskAction.main(WarmUp.request()));
    assertEquals(TaskAction.containerId(), reply.container());
    // The test JVM has no class list (MARVEL_TASK_CLASSLIST), so it loads none.
    assertEquals(0, reply.classesLoaded());
  }

  @Test
  void missingStagingDirFailsTheTaskWithDiagnostics(@TempDir Path dir) {
    TaskArguments args = new TaskArguments("job_1_0009", "attempt_1_0009_r_000000_0",
        TaskKind.REDUCE, 0, System.getProperty("user.name"), dir.resolve("no-staging").toUri()
            .toString(), null, 0, 1, 1, new StoreLocation(StoreKind.HDFS, dir.toUri().toString()));
    TaskResult result = TaskResult.fromJson(TaskAction.main(args.toJson()));
    assertFalse(result.succeeded());
    assertTrue(result.diagnostics().contains("no-staging"), result.diagnostics());
    assertEquals(TaskAction.containerId(), result.container());
  }
}
