package io.marvel.whisk.platform.container;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AppCDS archive (the JDK's class data sharing) of the classes a task container loads, used by
 * every container JVM of a platform so that they map those classes instead of reading, parsing
 * and verifying them from the jars.
 *
 * <p>Made from a class list (the distribution builds one by running a map and a reduce,
 * {@code lib/task-classes.lst}) as a dynamic archive on top of the JDK's own, in a cache dir,
 * under a key of the java launcher, the JDK's module image, the JVM options, the class list and
 * every jar of the class path with its size and modification time: the JVM refuses an archive
 * made for other jars, and a changed jar or JDK simply makes a new one. The JDK archives classes
 * from jars only, and only if no class comes from a directory before them, so the archive's
 * class path is the container's jars and containers that use it get the jars first and the
 * directories (a configuration dir, build output) after them.
 *
 * <p>Whatever goes wrong degrades to containers without the archive, never to a failed
 * container: a failed dump or an archive the JVM does not accept is logged once as a WARN, and
 * containers always run with {@code -Xshare:auto}, so an archive that stops matching later (a
 * jar replaced under a running platform) leaves them on the JDK's own archive, with the JVM's
 * warning "The top archive failed to load" in their output. Thread-safe.
 */
public final class ClassDataArchive {
  private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
  /** The archive's file name in its key dir. */
  static final String ARCHIVE_FILE = "classes.jsa";
  /** The jar holding {@link ClassListLoader}, the dump's main class, in the key dir. */
  static final String LOADER_JAR = "class-list-loader.jar";
  private static final long DUMP_TIMEOUT_S = 300;
  /**
   * The heap of the JVMs that make and check the archive: small, like a container's, so that
   * they use compressed object pointers as containers do (an archive and its users must agree;
   * a default heap on a machine of over 128 GB would not).
   */
  private static final String SMALL_HEAP = "-Xmx256m";
  /** Archives of other keys made longer ago are removed when a new archive is made. */
  private static final long STALE_MS = TimeUnit.DAYS.toMillis(1);

  private final Path classList;
  private final Path cacheDir;
  private final Path java;
  private final String classpath;
  private final List<String> jvmOptions;
  private volatile Launch launch;

  /**
   * How to start a container JVM.
   *
   * @param classpath the class path
   * @param jvmOptions options for the archive (none without one)
   */
  public record Launch(String classpath, List<String> jvmOptions) {
    /** Copies the options. */
    public Launch {
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  /**
   * @param classList the class list, or null for no archive
   * @param cacheDir where archives are made and kept, one sub dir per key
   * @param java the containers' java launcher
   * @param classpath the containers' class path
   * @param jvmOptions the containers' JVM options (an archive is made with the same)
   */
  public ClassDataArchive(Path classList, Path cacheDir, Path java, String classpath,
      List<String> jvmOptions) {
    this.classList = classList;
    this.cacheDir = cacheDir;
    this.java = java;
    this.classpath = classpath;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.launch = new Launch(classpath, List.of());
  }

  /** @return how to start a container now: with the archive once {@link #prepare} made it */
  public Launch launch() {
    return launch;
  }

  /**
   * Makes the archive unless the cache has it, checks that the container JVM accepts it, and
   * from then on {@link #launch} uses it. Never throws: a failure is logged and containers
   * start without the archive. Takes seconds when it makes the archive (a JVM loads the
   * listed classes); call it off the request path.
   *
   * @return null if containers now use the archive, else why not (as logged)
   */
  public String prepare() {
    if (classList == null) {
      return "no class list given";
    }
    if (!Files.isRegularFile(classList)) {
      return warn("Containers start without a class data archive: the class list " + classList
          + " does not exist (the distribution has it in lib/task-classes.lst)");
    }
    try {
      ClassPath parts = ClassPath.split(classpath);
      if (parts.jars().isEmpty()) {
        LOG.info("the container class path holds no jar: no class data archive");
        return "no jar on the container class path";
      }
      Path dir = cacheDir.resolve(key(parts.jars()));
      Path archive = dir.resolve(ARCHIVE_FILE);
      Path loaderJar = dir.resolve(LOADER_JAR);
      if (!Files.exists(archive)) {
        Files.createDirectories(dir);
        writeLoaderJar(loaderJar);
        String failure = dump(parts, loaderJar, archive);
        if (failure != null) {
          return warn(failure);
        }
        removeStale(dir);
      }
      List<String> jars = new ArrayList<>(parts.jars());
      jars.add(loaderJar.toString());
      String ordered = ClassPath.join(jars, parts.rest());
      List<String> options = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
      String refusal = refusal(ordered, archive);
      if (refusal != null) {
        return warn("Containers start without the class data archive " + archive + ": the"
            + " container JVM does not accept it (" + refusal + "). It is made again when the"
            + " JDK or a jar changes; delete " + dir + " to make it again now.");
      }
      launch = new Launch(ordered, options);
      LOG.info("containers share the classes of {} (from {})", archive, classList);
      return null;
    } catch (IOException | UncheckedIOException e) {
      return warn("Containers start without a class data archive: it could not be made in "
          + cacheDir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String warn(String message) {
    LOG.warn(message);
    return message;
  }

  private String key(List<String> jars) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    Path javaHome = java.toRealPath().getParent().getParent();
    update(sha, java.toRealPath().toString());
    update(sha, fileStamp(javaHome.resolve("lib").resolve("modules")));
    jvmOptions.forEach(o -> update(sha, o));
    update(sha, fileStamp(classList));
    for (String jar : jars) {
      update(sha, jar + "|" + fileStamp(Path.of(jar)));
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  private static String fileStamp(Path file) throws IOException {
    return Files.exists(file)
        ? Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis() : "none";
  }

  private static void update(MessageDigest sha, String s) {
    sha.update(s.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }

  /** Writes the loader's jar once: its size and time are part of the archive's check. */
  private static void writeLoaderJar(Path jar) throws IOException {
    if (Files.exists(jar)) {
      return;
    }
    Path tmp = Files.createTempFile(jar.getParent(), "loader", ".tmp");
    String entry = ClassListLoader.class.getName().replace('.', '/') + ".class";
    try (InputStream in = ClassListLoader.class.getResourceAsStream("/" + entry);
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
      if (in == null) {
        throw new IOException("no class file " + entry + " on the class path");
      }
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    try {
      Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // Another platform wrote it first; its copy is the one an archive may already name.
      Files.deleteIfExists(tmp);
    }
  }

  /** @return null if the archive was made, else why not */
  private String dump(ClassPath parts, Path loaderJar, Path archive)
      throws IOException, InterruptedException {
    Path tmp = archive.resolveSibling(ARCHIVE_FILE + "." + ProcessHandle.current().pid());
    Path log = archive.resolveSibling("dump.log");
    List<String> jars = new ArrayList<>(parts.jars());
    jars.add(loaderJar.toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    cmd.add(SMALL_HEAP);
    // ClassListLoader installs a security manager, as containers do (JvmContainer).
    cmd.add("-Djava.security.manager=allow");
    cmd.add("-XX:ArchiveClassesAtExit=" + tmp);
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, jars));
    cmd.add(ClassListLoader.class.getName());
    cmd.add(classList.toString());
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(DUMP_TIMEOUT_S, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    if (!ended || p.exitValue() != 0 || !Files.exists(tmp)) {
      Files.deleteIfExists(tmp);
      return "Containers start without a class data archive: making it failed ("
          + (ended ? "exit code " + p.exitValue() : "not done in " + DUMP_TIMEOUT_S + " s")
          + "); see " + log;
    }
    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    LOG.info("made the class data archive {} in {} ms", archive,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return null;
  }

  /** @return null if a container JVM accepts the archive, else what the JVM said */
  private String refusal(String containerClasspath, Path archive)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    cmd.add(SMALL_HEAP);
    cmd.add("-XX:SharedArchiveFile=" + archive);
    // on: the probe fails where a container would silently go without the archive.
    cmd.add("-Xshare:on");
    cmd.add("-cp");
    cmd.add(containerClasspath);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "its check did not end within 60 s";
    }
    if (p.exitValue() == 0 && !output.contains("top archive failed")) {
      return null;
    }
    return String.join(" ", output.lines().filter(l -> !l.startsWith("openjdk")
        && !l.startsWith("OpenJDK")).toList()).strip();
  }

  /**
   * Removes the archives of other keys made over a day ago (each rebuilt jar leaves one). A
   * platform still using one keeps its mapping; its later containers start without it.
   */
  private void removeStale(Path keep) {
    long now = System.currentTimeMillis();
    try (var dirs = Files.list(cacheDir)) {
      for (Path dir : dirs.filter(d -> !d.equals(keep)).toList()) {
        Path archive = dir.resolve(ARCHIVE_FILE);
        if (Files.getLastModifiedTime(Files.exists(archive) ? archive : dir).toMillis()
            < now - STALE_MS) {
          JvmContainer.deleteTree(dir);
        }
      }
    } catch (IOException e) {
      LOG.debug("could not sweep old class data archives in {}: {}", cacheDir, e.toString());
    }
  }
}
