package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TIPStatus;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.tools.CLI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Job.killTask} / {@code failTask} and {@code mapred job -kill-task} / {@code -fail-task}
 * under faas: the attempt is abandoned, never commits, and its task gets a new attempt; kills do
 * not count toward the maximum attempts, fails do.
 */
class FaasKillTaskIntegrationTest extends FaasClusterHarness {
  static final String MARKERS = "test.kill.markers";
  private static final Path INPUT = new Path("/killtask/in");
  private java.nio.file.Path markers;

  @BeforeAll
  static void writeInput() throws IOException {
    write(new Path(INPUT, "a.txt"), "one two three\nfour five one\n");
    write(new Path(INPUT, "b.txt"), "two three\nsix one\n");
  }

  @BeforeEach
  void createMarkerDir() throws IOException {
    markers = Files.createDirectories(pmemDir.resolve("markers"));
  }

  private Job job(Configuration conf, String out) throws IOException {
    conf.set(MARKERS, markers.toString());
    Job job = Job.getInstance(conf, "killtask");
    job.setJarByClass(getClass());
    job.setMapperClass(HeldMapper.class);
    job.setReducerClass(WordCount.IntSumReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(1);
    FileInputFormat.addInputPath(job, INPUT);
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  @Test
  void killedMapAttemptIsReplacedAndNeverCommits() throws Exception {
    Configuration conf = embeddedPlatformConf();
    conf.set(HeldMapper.HOLD, "m0,m1");
    // A mapper busy computing never sees the interrupt that stops an abandoned attempt: the
    // commit gate alone must keep it from publishing.
    conf.setBoolean(HeldMapper.IGNORE_INTERRUPTS, true);
    Job job = job(conf, "/killtask/out-kill");
    job.submit();
    TaskAttemptID held = TaskAttemptID.forName(awaitMarker(markers, "m0-held"));
    TaskAttemptID other = TaskAttemptID.forName(awaitMarker(markers, "m1-held"));
    assertEquals(List.of(held.toString()), report(job, 0).getRunningTaskAttemptIds().stream()
        .map(Object::toString).toList(),
        "the running attempt is listed, as mapred job -list-attempt-ids prints it");

    assertEquals(0, new CLI(conf).run(new String[] {"-kill-task", held.toString()}));
    assertFalse(job.killTask(held, false), "an attempt already killed is not running");
    mark(markers, held + "-killed", "");

    awaitComplete(job, 0);
    TaskAttemptID replacement = report(job, 0).getSuccessfulTaskAttemptId();
    assertFalse(job.killTask(replacement, false), "a finished attempt cannot be killed");
    // Map 1 holds the map stage open while the abandoned attempt runs to its end after its
    // replacement published: it must not publish over it.
    java.nio.file.Path scratch = pmemDir.resolve(job.getJobID().toString()).resolve("scratch")
        .resolve(held.toString());
    assertTrue(Files.isDirectory(scratch), "the abandoned attempt still runs: " + scratch);
    mark(markers, held + "-release", "");
    awaitGone(scratch);
    mark(markers, other + "-release", "");
    assertSucceeds(job);

    String output = new String(output(new Path("/killtask/out-kill")), StandardCharsets.UTF_8);
    assertEquals("five\t1\nfour\t1\none\t3\nsix\t1\nthree\t2\ntwo\t2\n", output);
    TaskReport map0 = report(job, 0);
    assertEquals(TIPStatus.COMPLETE, map0.getCurrentStatus());
    assertTrue(Arrays.stream(map0.getDiagnostics()).anyMatch(
        d -> d.equals(held + " was killed by the user (Job.killTask, mapred job -kill-task)")),
        Arrays.toString(map0.getDiagnostics()));
    Map<String, TaskCompletionEvent.Status> events = new HashMap<>();
    for (TaskCompletionEvent e : job.getTaskCompletionEvents(0, 100)) {
      events.put(e.getTaskAttemptId().toString(), e.getStatus());
    }
    assertEquals(TaskCompletionEvent.Status.KILLED, events.get(held.toString()));
    assertEquals(TaskCompletionEvent.Status.SUCCEEDED, events.get(replacement.toString()));
    Map<String, String> states = summaryStates(job);
    assertEquals("KILLED", states.get(held.toString()));
    assertEquals("SUCCEEDED", states.get(replacement.toString()));
    assertEquals(1, states.values().stream().filter("KILLED"::equals).count(), states::toString);
  }

  @Test
  void killedAttemptIsStoppedInsteadOfRunningToItsEnd() throws Exception {
    Configuration conf = embeddedPlatformConf();
    conf.set(HeldMapper.HOLD, "m0");
    conf.setLong("mapreduce.task.progress-report.interval", 200);
    Job job = job(conf, "/killtask/out-stop");
    job.submit();
    TaskAttemptID held = TaskAttemptID.forName(awaitMarker(markers, "m0-held"));
    java.nio.file.Path scratch = pmemDir.resolve(job.getJobID().toString()).resolve("scratch")
        .resolve(held.toString());
    assertTrue(Files.isDirectory(scratch), "the held attempt runs: " + scratch);

    assertTrue(job.killTask(held, false));
    // Never released: the attempt ends only because it was stopped, and frees its container,
    // well before its wait for the release would time out (60 s).
    long killed = System.nanoTime();
    awaitMarker(markers, held + "-left");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
    assertTrue(seconds < 20, "the killed attempt ran on for " + seconds + " s");
    awaitGone(scratch);
    assertSucceeds(job);
    String output = new String(output(new Path("/killtask/out-stop")), StandardCharsets.UTF_8);
    assertEquals("five\t1\nfour\t1\none\t3\nsix\t1\nthree\t2\ntwo\t2\n", output);
    assertEquals("KILLED", summaryStates(job).get(held.toString()));
  }

  @Test
  void failedAttemptsCountUntilTheJobFailsWithTheUserAsCause() throws Exception {
    Configuration conf = conf("faas");
    conf.setInt("mapreduce.map.maxattempts", 2);
    conf.set(HeldMapper.HOLD, "m0");
    conf.setBoolean(HeldMapper.HOLD_EVERY_ATTEMPT, true);
    Job job = job(conf, "/killtask/out-fail");
    job.submit();
    awaitMarker(markers, attempt(job, 0, 0) + "-started");
    assertTrue(job.killTask(attempt(job, 0, 0), true));
    awaitMarker(markers, attempt(job, 0, 1) + "-started");
    assertEquals(0, new CLI(conf).run(new String[] {"-fail-task",
        attempt(job, 0, 1).toString()}));

    assertFalse(job.waitForCompletion(false));
    assertEquals(JobStatus.State.FAILED, job.getStatus().getState());
    String info = job.getStatus().getFailureInfo();
    assertTrue(info.contains("Task map 0 failed 2 times") && info.contains(
        attempt(job, 0, 1) + " was failed by the user"), info);
    assertFalse(fs.exists(new Path("/killtask/out-fail/_SUCCESS")));
    assertEquals(TIPStatus.FAILED, report(job, 0).getCurrentStatus());
    Map<String, String> states = summaryStates(job);
    assertEquals("FAILED", states.get(attempt(job, 0, 0).toString()));
    assertEquals("FAILED", states.get(attempt(job, 0, 1).toString()));
  }

  private static TaskAttemptID attempt(Job job, int map, int attempt) {
    return new TaskAttemptID(new org.apache.hadoop.mapreduce.TaskID(job.getJobID(),
        TaskType.MAP, map), attempt);
  }

  private static TaskReport report(Job job, int map) throws Exception {
    return job.getTaskReports(TaskType.MAP)[map];
  }

  private static void awaitComplete(Job job, int map) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (report(job, map).getCurrentStatus() != TIPStatus.COMPLETE) {
      assertTrue(System.nanoTime() < deadline, "map " + map + " did not complete");
      Thread.sleep(20);
    }
  }

  private Map<String, String> summaryStates(Job job) throws IOException {
    JsonObject summary = JsonParser.parseString(Files.readString(
        summaryDir.resolve(job.getJobID() + ".json"))).getAsJsonObject();
    Map<String, String> states = new HashMap<>();
    for (JsonElement a : summary.getAsJsonArray("attempts")) {
      states.put(a.getAsJsonObject().get("attemptId").getAsString(),
          a.getAsJsonObject().get("state").getAsString());
    }
    return states;
  }

  static void mark(java.nio.file.Path dir, String name, String content) throws IOException {
    java.nio.file.Path temp = dir.resolve(name + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, dir.resolve(name));
  }

  /** @return the marker's content, once it exists */
  static String awaitMarker(java.nio.file.Path dir, String name)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(dir.resolve(name))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("no " + name + " in " + dir + " within 60 s");
      }
      Thread.sleep(20);
    }
    return Files.readString(dir.resolve(name));
  }

  private static void awaitGone(java.nio.file.Path path) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.exists(path)) {
      assertTrue(System.nanoTime() < deadline, path + " still exists");
      Thread.sleep(20);
    }
  }

  private static java.nio.file.Path markers(TaskAttemptContext context) {
    return Paths.get(context.getConfiguration().get(MARKERS));
  }

  /**
   * Word count mapper that holds attempts of the tasks named in {@link #HOLD} ({@code m<index>})
   * until the test releases them: the first attempt of such a task to start (an earlier one may
   * die with a container) says which it is in {@code m<index>-held}, or with
   * {@link #HOLD_EVERY_ATTEMPT} every attempt says it started. An attempt the test marks as
   * killed adds a record no committed output may contain.
   */
  public static class HeldMapper extends WordCount.TokenizerMapper {
    static final String HOLD = "test.kill.hold";
    static final String HOLD_EVERY_ATTEMPT = "test.kill.hold-every-attempt";
    static final String IGNORE_INTERRUPTS = "test.kill.ignore-interrupts";
    private String attempt;

    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      attempt = context.getTaskAttemptID().toString();
      String task = "m" + context.getTaskAttemptID().getTaskID().getId();
      if (!context.getConfiguration().getStringCollection(HOLD).contains(task)) {
        return;
      }
      java.nio.file.Path dir = markers(context);
      if (context.getConfiguration().getBoolean(HOLD_EVERY_ATTEMPT, false)) {
        mark(dir, attempt + "-started", attempt);
      } else if (firstToClaim(dir.resolve(task + "-claim"))) {
        mark(dir, task + "-held", attempt);
      } else {
        return;
      }
      try {
        while (true) {
          try {
            awaitMarker(dir, attempt + "-release");
            return;
          } catch (InterruptedException e) {
            if (!context.getConfiguration().getBoolean(IGNORE_INTERRUPTS, false)) {
              throw e;
            }
          }
        }
      } finally {
        mark(dir, attempt + "-left", "");
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      if (Files.exists(markers(context).resolve(attempt + "-killed"))) {
        context.write(new Text("output-of-an-abandoned-attempt"), new IntWritable(1));
      }
    }

    private static boolean firstToClaim(java.nio.file.Path claim) throws IOException {
      try {
        Files.createFile(claim);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
  }
}
