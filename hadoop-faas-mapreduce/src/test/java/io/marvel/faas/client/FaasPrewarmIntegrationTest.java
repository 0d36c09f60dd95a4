package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm-ups (mapreduce.faas.prewarm) on a fresh embedded platform, through its REST API as a stock
 * OpenWhisk is used: a word count of two maps with max-concurrency 2 gets two warm-up
 * activations while it is staged, and both maps run in the containers they started (the
 * containers report them warm: a warm-up was their first activation); warm-ups are no task
 * attempts. A warm-up that fails (its container cannot read the class list it is given) leaves
 * the job to succeed. Without warm-ups the same maps start cold.
 */
class FaasPrewarmIntegrationTest extends FaasClusterHarness {
  private static final int ACTION_MB = 512;

  @Test
  void theFirstMapsRunInTheContainersTheWarmUpsStarted(@TempDir java.nio.file.Path tmp)
      throws Exception {
    try (EmbeddedWhisk whisk = platform(tmp, Map.of())) {
      Job job = wordCount(conf(whisk), "warmed");
      JsonObject summary = summary(job);
      List<JsonObject> warmUps = warmUps(summary);
      assertEquals(2, warmUps.size(), "one warm-up per map of the first wave: " + warmUps);
      Set<String> warmed = new HashSet<>();
      for (JsonObject warmUp : warmUps) {
        assertTrue(warmUp.get("succeeded").getAsBoolean(), warmUp.toString());
        warmed.add(warmUp.get("container").getAsString());
      }
      assertEquals(2, warmed.size(), "each warm-up started a container: " + warmUps);
      for (JsonObject map : maps(summary)) {
        assertEquals("warm", map.get("containerState").getAsString(),
            "the map ran in a container a warm-up started: " + map);
        assertTrue(warmed.contains(map.get("container").getAsString()),
            map + " ran in none of the warm-ups' containers " + warmed);
      }
      assertEquals(2, job.getCounters().findCounter(JobCounter.TOTAL_LAUNCHED_MAPS).getValue(),
          "warm-ups are no map attempts");
    }
  }

  @Test
  void aFailingWarmUpLeavesTheJobToSucceed(@TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path missing = tmp.resolve("no-such-class-list.lst");
    try (EmbeddedWhisk whisk = platform(tmp, Map.of(PlatformSettings.CLASS_LIST_ENV,
        missing.toString()))) {
      Job job = wordCount(conf(whisk), "warm-ups fail");
      JsonObject summary = summary(job);
      List<JsonObject> warmUps = warmUps(summary);
      assertEquals(2, warmUps.size(), warmUps.toString());
      for (JsonObject warmUp : warmUps) {
        assertFalse(warmUp.get("succeeded").getAsBoolean(), warmUp.toString());
        assertTrue(warmUp.get("detail").getAsString().contains(missing.toString()),
            "the failure names the class list: " + warmUp);
      }
      assertEquals(2, job.getCounters().findCounter(JobCounter.TOTAL_LAUNCHED_MAPS).getValue());
      assertEquals(0, job.getCounters().findCounter(JobCounter.NUM_FAILED_MAPS).getValue());
    }
  }

  @Test
  void withoutWarmUpsTheFirstMapsStartCold(@TempDir java.nio.file.Path tmp) throws Exception {
    try (EmbeddedWhisk whisk = platform(tmp, Map.of())) {
      Configuration conf = conf(whisk);
      conf.setBoolean(FaasConfigKeys.PREWARM_KEY, false);
      JsonObject summary = summary(wordCount(conf, "cold"));
      assertTrue(warmUps(summary).isEmpty(), summary.toString());
      for (JsonObject map : maps(summary)) {
        assertEquals("cold", map.get("containerState").getAsString(), map.toString());
      }
    }
  }

  /** A fresh platform: every container it runs is started for the test's job. */
  private static EmbeddedWhisk platform(java.nio.file.Path tmp, Map<String, String> env)
      throws IOException {
    return EmbeddedWhisk.start(PlatformSettings.builder(tmp.resolve("whisk"))
        .poolMemoryMb(ACTION_MB * 3L).containerEnv(env).inheritModuleOptions().build());
  }

  private Configuration conf(EmbeddedWhisk whisk) {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, ACTION_MB);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 2);
    return conf;
  }

  /** Runs a word count of two files (two maps) and one reduce, and checks its output. */
  private Job wordCount(Configuration conf, String name) throws Exception {
    Path in = new Path("/prewarm/" + name.replace(' ', '-') + "/in");
    Path out = new Path("/prewarm/" + name.replace(' ', '-') + "/out");
    writeTwelveWords(in);
    Job job = WordCountJobs.wordCount(conf, name, in, out);
    job.setNumReduceTasks(1);
    assertSucceeds(job);
    String output = new String(output(out), StandardCharsets.UTF_8);
    assertEquals(12, output.lines().count(), output);
    return job;
  }

  private JsonObject summary(Job job) throws IOException {
    return JsonParser.parseString(Files.readString(summaryDir.resolve(job.getJobID() + ".json"),
        StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private static List<JsonObject> warmUps(JsonObject summary) {
    List<JsonObject> list = new ArrayList<>();
    summary.getAsJsonArray("warmUps").forEach(w -> list.add(w.getAsJsonObject()));
    return list;
  }

  private static List<JsonObject> maps(JsonObject summary) {
    List<JsonObject> maps = new ArrayList<>();
    for (JsonElement a : summary.getAsJsonArray("attempts")) {
      if (a.getAsJsonObject().get("attemptId").getAsString().contains("_m_")) {
        maps.add(a.getAsJsonObject());
      }
    }
    assertEquals(2, maps.size(), "two map attempts: " + summary);
    return maps;
  }
}
