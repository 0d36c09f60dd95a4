package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonPrimitive;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.ActionInfo;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.client.WhiskClient;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class TaskActionVersionsTest {
  private static final String BASE = "marvel-mapreduce-task";
  private static final String HASH = "0123456789abcdef".repeat(4);
  private static final long DAY = 86_400_000L;
  private static final long NOW = 100 * DAY;
  private static final int TIMEOUT = 600_000;

  @Test
  void nameIsTheBaseAndSixteenHexDigitsOfTheContentHash() {
    assertEquals(BASE + "-0123456789abcdef", TaskActionVersions.name(BASE, HASH));
  }

  @Test
  void theImageIsPartOfTheContentThatNamesAVersion() throws Exception {
    Configuration conf = new Configuration(false);
    String byDefault = OpenWhiskLauncher.taskAction(FaasSettings.from(conf)).name();
    conf.set(FaasConfigKeys.ACTION_IMAGE_KEY, "registry.example.com/marvel/task-runtime:1");
    ActionSpec pushed = OpenWhiskLauncher.taskAction(FaasSettings.from(conf));
    assertNotEquals(byDefault, pushed.name());
    assertEquals(ActionSpec.BLACKBOX, pushed.kind());
    assertTrue(pushed.name().startsWith(BASE + "-"), pushed.name());
  }

  @Test
  void onlyOtherMarvelVersionsNotDeployedWithinTheRetentionAreCandidates() {
    String current = TaskActionVersions.name(BASE, HASH);
    long old = NOW - DAY - TIMEOUT - 1;
    List<ActionInfo> actions = List.of(
        action(current, old, true),
        action(BASE + "-fedcba9876543210", old, true),
        action(BASE, old, true),
        action(BASE + "-aaaaaaaaaaaaaaaa", NOW - DAY - TIMEOUT + 1, true),
        action(BASE + "-bbbbbbbbbbbbbbbb", old, false),
        action(BASE + "-user", old, true),
        action("wordcount", old, true));
    assertEquals(List.of(BASE + "-fedcba9876543210", BASE),
        TaskActionVersions.notDeployedRecently(BASE, current, actions, NOW, DAY).stream()
            .map(ActionInfo::name).toList());
  }

  @Test
  void aVersionThatRanWithinItsRetentionAndTimeLimitIsInUse() {
    ActionInfo version = action(BASE + "-fedcba9876543210", 0, true);
    long since = NOW - DAY - TIMEOUT;
    assertTrue(TaskActionVersions.unused(version, List.of(), NOW, DAY));
    assertTrue(TaskActionVersions.unused(version, List.of(activation(since - 2, since - 1)),
        NOW, DAY));
    assertFalse(TaskActionVersions.unused(version, List.of(activation(since - 2, since + 1)),
        NOW, DAY));
  }

  private static ActionInfo action(String name, long updated, boolean marvel) {
    return new ActionInfo("guest", name, "0.0.1", "java:8", null, 512, TIMEOUT, 0,
        marvel ? Map.of(WhiskClient.DEPLOY_HASH_ANNOTATION, new JsonPrimitive(HASH)) : Map.of(),
        updated);
  }

  private static Activation activation(long start, long end) {
    return new Activation("0123456789abcdef0123456789abcdef", "guest", "a", start, end,
        ActivationStatus.SUCCESS, null, List.of(), Map.of());
  }
}
