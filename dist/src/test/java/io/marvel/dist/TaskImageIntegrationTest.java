package io.marvel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.protocol.WarmUp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task image of {@code docker/Dockerfile}, built from the tarball on the Debian base that
 * {@code dev-support/bin/marvel-docker-base} makes, and run as OpenWhisk's invoker runs a
 * blackbox action ({@link DockerWhisk}): a word count submitted with {@code hadoop jar} (in a
 * container of the same image, as the image's user) runs its map and reduce tasks in the image,
 * with the action's memory as the container's limit and a PMEM directory of /dev/shm mounted at
 * /mnt/pmem. Skipped, saying why, where Docker cannot be used.
 */
@Tag("integration")
class TaskImageIntegrationTest {
  /** The base image the test builds on; made by dev-support/bin/marvel-docker-base. */
  private static final String BASE_IMAGE =
      System.getProperty("marvel.docker.base", "marvel/debian-jre17:bookworm");
  private static final String EXAMPLES =
      "/opt/marvel/share/hadoop/mapreduce/hadoop-mapreduce-examples-3.4.2.jar";
  /** The action's memory: a stock OpenWhisk's largest (application.conf, whisk.memory.max). */
  private static final int ACTION_MEMORY_MB = 512;
  /** Container.scala's ACTIVATION_LOG_SENTINEL, printed on both streams after each /run. */
  private static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

  @TempDir
  Path dir;

  @Test
  void aWordCountRunsItsMapsAndReduceInTheImageAsOpenWhiskRunsIt() throws Exception {
    Optional<String> unusable = Docker.unusable();
    if (unusable.isPresent()) {
      System.err.println("TaskImageIntegrationTest skipped: Docker is not usable: "
          + unusable.get());
      Assumptions.abort("Docker is not usable: " + unusable.get());
    }
    if (Docker.run(30, "image", "inspect", BASE_IMAGE).exitCode() != 0) {
      throw new IOException("the base image " + BASE_IMAGE + " is missing: make it with"
          + " dev-support/bin/marvel-docker-base (a Debian 12 with Java 17 and libpmem, from"
          + " Debian's packages)");
    }
    String image = "marvel/task-runtime-test:" + UUID.randomUUID().toString().substring(0, 8);
    Path pmem = Files.createTempDirectory(Paths.get("/dev/shm"), "marvel-image-test-");
    List<String> clients = new ArrayList<>();
    String hostUid = Files.getAttribute(dir, "unix:uid").toString();
    // The job's files (input, staging dir, output) and the PMEM dir belong to the image's user,
    // at the same path in every container, as HDFS and PMEM are on invoker hosts.
    Path work = Files.createDirectory(dir.resolve("work"));
    List<String> volumes = List.of(work + ":" + work, pmem + ":/mnt/pmem");
    boolean chowned = false;
    try {
      Path home = unpack();
      Docker.ok(600, "build", "--network", "host", "--build-arg", "BASE_IMAGE=" + BASE_IMAGE,
          "-f", home.resolve("docker/Dockerfile").toString(), "-t", image, home.toString());
      String[] user = Docker.ok(60, "run", "--rm", "--network", "host", "--entrypoint", "sh",
          image, "-c", "id -u; id -un").split("\n");
      assertEquals("marvel", user[1].strip(), "the image runs as its named user");
      assertEquals("null", Docker.ok(30, "image", "inspect", "-f", "{{json .Config.Volumes}}",
          image).strip(), "no VOLUME: it would leave an anonymous volume per container");

      Map<String, Integer> expected = writeInput(Files.createDirectory(work.resolve("in")));
      chowned = true;
      chown(image, volumes, user[0].strip());

      try (DockerWhisk whisk = new DockerWhisk(image, volumes)) {
        String client = "marvel-test-client-" + UUID.randomUUID().toString().substring(0, 8);
        clients.add(client);
        Docker.Result job = Docker.run(600, clientCommand(client, image, volumes, whisk, work));
        assertEquals(0, job.exitCode(), "hadoop jar wordcount failed:\n" + job.err() + job.out());

        assertEquals(expected, readCounts(work.resolve("out/part-r-00000")));
        checkActivations(whisk);
      }
    } finally {
      Docker.removeQuietly("rm", clients);
      if (chowned) {
        // Back to the test's user, who may not be root, so that it can delete them.
        try {
          chown(image, volumes, hostUid);
        } catch (IOException e) {
          System.err.println("could not give " + volumes + " back to uid " + hostUid + ": " + e);
        }
      }
      Docker.removeQuietly("rmi", List.of(image));
      deleteTree(pmem);
    }
  }

  /**
   * The job's warm-up (one: max-concurrency 1) loaded the image's task class list, and the
   * tasks ran once each in the same warm container, which printed the sentinels, ran as the
   * image's user with the action's memory, and had only the operator's mounts.
   */
  private static void checkActivations(DockerWhisk whisk) throws Exception {
    List<String> attempts = new ArrayList<>();
    int warmUps = 0;
    for (JsonObject a : whisk.activations()) {
      JsonObject result = a.getAsJsonObject("response").getAsJsonObject("result");
      if (WarmUp.isRequest(result)) {
        warmUps++;
        assertTrue(WarmUp.Reply.fromJson(result).classesLoaded() > 0,
            "the warm-up loaded the image's class list: " + result);
        continue;
      }
      TaskResult task = TaskResult.fromJson(result);
      assertTrue(task.succeeded(), task.diagnostics());
      attempts.add(task.attemptId().replaceFirst(".*_([mr])_0*(\\d+)_\\d+$", "$1$2"));
    }
    attempts.sort(null);
    assertEquals(List.of("m0", "m1", "r0"), attempts, "two maps and a reduce, once each");
    assertEquals(1, warmUps, "one warm-up for a first wave of one");
    List<String> containers = whisk.containers();
    assertEquals(1, containers.size(), "one warm container served the warm-up and the tasks");
    String container = containers.get(0);
    Docker.Result logs = Docker.run(60, "logs", container);
    assertEquals(4, logs.out().split(SENTINEL, -1).length - 1,
        "a sentinel on stdout after each /run:\n" + logs.out());
    assertEquals(4, logs.err().split(SENTINEL, -1).length - 1,
        "a sentinel on stderr after each /run:\n" + logs.err());
    assertEquals("bind bind", Docker.ok(30, "inspect", "-f",
        "{{range .Mounts}}{{.Type}} {{end}}", container).strip(),
        "only the operator's two mounts, no anonymous volume");
    assertEquals("marvel " + ACTION_MEMORY_MB * 1024L * 1024L, Docker.ok(30, "inspect",
        "-f", "{{.Config.User}} {{.HostConfig.Memory}}", container).strip(),
        "the image's own user (no --user), the action's memory as the limit");
  }

  /** Gives the mounted directories to a uid, in a container of the image run as root. */
  private static void chown(String image, List<String> volumes, String uid)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "host", "--user",
        "0", "--entrypoint", "chown"));
    for (String volume : volumes) {
      args.addAll(List.of("-v", volume));
    }
    args.addAll(List.of(image, "-R", uid));
    volumes.forEach(v -> args.add(v.substring(v.indexOf(':') + 1)));
    Docker.ok(120, args);
  }

  /** `hadoop jar` of the examples' word count, run as the image's user in the image. */
  private static List<String> clientCommand(String name, String image, List<String> volumes,
      DockerWhisk whisk, Path work) {
    List<String> args = new ArrayList<>(List.of("run", "--name", name, "--network", "host"));
    for (String volume : volumes) {
      args.add("-v");
      args.add(volume);
    }
    args.addAll(List.of("--entrypoint", "sh", image, "-c",
        "exec java @$MARVEL_HOME/libexec/add-opens.args"
            + " -Djava.library.path=$MARVEL_HOME/lib/native org.apache.hadoop.util.RunJar \"$@\"",
        "hadoop-jar", EXAMPLES, "wordcount"));
    Map<String, String> conf = new TreeMap<>();
    conf.put("fs.defaultFS", "file:///");
    conf.put("mapreduce.framework.name", "faas");
    conf.put("mapreduce.faas.launcher", "openwhisk");
    conf.put("mapreduce.faas.openwhisk.apihost", whisk.apiHost());
    conf.put("mapreduce.faas.openwhisk.auth",
        "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:" + "k".repeat(64));
    conf.put("mapreduce.faas.action.memory-mb", Integer.toString(ACTION_MEMORY_MB));
    conf.put("mapreduce.faas.max-concurrency", "1");
    conf.put("mapreduce.faas.state.store", "pmem");
    conf.put("mapreduce.faas.state.pmem.dir", "/mnt/pmem");
    conf.put("yarn.app.mapreduce.am.staging-dir", work.resolve("staging").toString());
    conf.put("mapreduce.faas.summary.dir", work.resolve("summaries").toString());
    conf.forEach((key, value) -> args.addAll(List.of("-D", key + "=" + value)));
    args.add(work.resolve("in").toString());
    args.add(work.resolve("out").toString());
    return args;
  }

  /** Two input files, so two maps; some words are not ASCII. */
  private static Map<String, Integer> writeInput(Path in) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (int file = 0; file < 2; file++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 3000; i++) {
        String word = (i % 5 == 0 ? "grüße" : "w") + ((i * 31 + file) % 89);
        text.append(word).append(i % 8 == 7 ? '\n' : ' ');
        counts.merge(word, 1, Integer::sum);
      }
      Files.writeString(in.resolve("part" + file + ".txt"), text);
    }
    return counts;
  }

  private static Map<String, Integer> readCounts(Path file) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] kv = line.split("\t");
      counts.put(kv[0], Integer.parseInt(kv[1]));
    }
    return counts;
  }

  private Path unpack() throws IOException, InterruptedException {
    Path tarball = Paths.get(System.getProperty("marvel.tarball"));
    if (!Files.isRegularFile(tarball)) {
      throw new IOException(tarball + " is missing: run 'mvn package' before this test");
    }
    Path into = Files.createDirectory(dir.resolve("unpacked"));
    Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", into.toString())
        .inheritIO().start();
    if (tar.waitFor() != 0) {
      throw new IOException("tar could not unpack " + tarball);
    }
    try (var entries = Files.list(into)) {
      return entries.findFirst().orElseThrow(() -> new IOException("empty " + tarball));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
