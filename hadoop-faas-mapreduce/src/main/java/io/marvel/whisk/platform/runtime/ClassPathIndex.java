package io.marvel.whisk.platform.runtime;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The packages a container's class path provides, written ahead (by the platform when it starts,
 * by the task image's build) so that the runtime can tell that a class of an action's own
 * package is not on the class path without opening its ~190 jars: a parent-first lookup of a
 * class the class path does not hold opens every jar (reads its central directory) before it
 * gives up, about 120 ms of CPU in a cold container.
 *
 * <p>The index lists every entry of the class path, with the jars their {@code Class-Path}
 * manifest attributes add, each with its kind, size and modification time, and the package of
 * every file in those jars (multi-release versions included). It is used only if the running
 * JVM's class path has the same entries and every entry is still what the index says;
 * otherwise {@link #load} returns null and class loading walks the class path as before.
 * Directories are not indexed: their content may change, so {@link #mayProvide} looks into
 * them at each question. The index only ever says where not to look first; a class it says is
 * absent is still looked up on the class path when the action's jar lacks it. Immutable.
 *
 * <p>Usage (the task image's build): {@code ClassPathIndex OUTPUT} writes the index of the
 * running JVM's class path.
 */
public final class ClassPathIndex {
  /** The environment variable naming the index file of a container's class path. */
  public static final String ENV = "MARVEL_CLASSPATH_INDEX";
  private static final String HEADER = "marvel-classpath-index 1";
  private static final String ENTRY = "entry ";
  private static final String PACKAGE = "package ";
  private static final String DIR = "dir";
  private static final String MISSING = "missing";
  /** The last line: an index without it was cut short. */
  private static final String END = "end";

  /** The index file's bytes, one char each; its sorted {@code package} lines are searched. */
  private final String text;
  private final int packagesStart;
  private final int packagesEnd;
  private final List<File> dirs;

  private ClassPathIndex(String text, int packagesStart, int packagesEnd, List<File> dirs) {
    this.text = text;
    this.packagesStart = packagesStart;
    this.packagesEnd = packagesEnd;
    this.dirs = dirs;
  }

  /**
   * Writes the index of the running JVM's class path.
   *
   * @param args the output file
   * @throws IOException if a jar cannot be read or the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ClassPathIndex OUTPUT (writes the index of this JVM's class"
          + " path)");
      System.exit(2);
    }
    write(System.getProperty("java.class.path"), Path.of(args[0]));
  }

  /**
   * Writes the index of a class path, atomically (a reader sees the old file or the new one).
   *
   * @param classpath the class path, {@link File#pathSeparator}-separated as the JVM takes it
   * @param file the index file
   * @throws IOException if a jar cannot be read, a {@code Class-Path} attribute names something
   *     other than a file, or the file cannot be written
   */
  public static void write(String classpath, Path file) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    Set<String> found = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(splitClassPath(classpath));
    while (!todo.isEmpty()) {
      String entry = todo.poll();
      if (entries.containsKey(entry)) {
        continue;
      }
      File f = entryFile(entry);
      entries.put(entry, stamp(f));
      if (f.isFile()) {
        todo.addAll(readJar(f, found));
      }
    }
    for (String name : concat(entries.keySet(), found)) {
      if (name.indexOf('\n') >= 0) {
        throw new IOException("cannot index a class path with a line break in a name: " + name);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its file is for its owner alone, and the task image's runtime
    // runs as another user than the build that writes the index.
    Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(HEADER + "\n");
        for (Map.Entry<String, String> e : entries.entrySet()) {
          w.write(ENTRY + e.getValue() + " " + e.getKey() + "\n");
        }
        // Sorted as load searches them: by their UTF-8 bytes.
        Map<String, String> sorted = new TreeMap<>();
        for (String p : found) {
          sorted.put(bytes(p), p);
        }
        for (String p : sorted.values()) {
          w.write(PACKAGE + p + "\n");
        }
        w.write(END + "\n");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * @return the index that {@value #ENV} names, if it fits this JVM's class path; null if the
   *     variable is not set, the index does not fit, or the system class loader is not the JDK's
   *     (then the index says nothing about what that loader finds)
   */
  static ClassPathIndex forThisJvm() {
    String file = System.getenv(ENV);
    if (file == null || file.isEmpty() || System.getProperty("java.system.class.loader") != null) {
      return null;
    }
    return load(Path.of(file), System.getProperty("java.class.path", ""));
  }

  /**
   * Reads an index for this JVM's class path.
   *
   * @param file the index file
   * @param classpath the running JVM's class path
   * @return the index, or null if the file is missing, unreadable or incomplete, or was written
   *     for another class path, or an entry changed since (then nothing may be skipped)
   */
  public static ClassPathIndex load(Path file, String classpath) {
    // The file's UTF-8 bytes one char each (ISO-8859-1 copies them), searched by binary search:
    // a cold JVM interprets this code, and decoding and splitting some 3,000 lines into a set
    // took it tens of milliseconds.
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null;
    }
    String last = "\n" + END + "\n";
    if (!text.startsWith(HEADER + "\n") || !text.endsWith(last)) {
      return null;
    }
    Set<String> wanted = new HashSet<>(splitClassPath(classpath));
    List<File> dirs = new ArrayList<>();
    int line = HEADER.length() + 1;
    while (text.startsWith(ENTRY, line)) {
      int space = text.indexOf(' ', line + ENTRY.length());
      int end = text.indexOf('\n', line);
      if (space < 0 || space > end) {
        return null;
      }
      String entry = new String(text.substring(space + 1, end)
          .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      File f = entryFile(entry);
      String stamp = text.substring(line + ENTRY.length(), space);
      if (!fits(stamp, f)) {
        return null;
      }
      if (DIR.equals(stamp)) {
        dirs.add(f);
      }
      wanted.remove(entry);
      line = end + 1;
    }
    int packagesEnd = text.length() - last.length() + 1;
    if (line < packagesEnd && !text.startsWith(PACKAGE, line)) {
      return null;
    }
    // Every entry of the class path must be in the index (it may hold more: Class-Path jars).
    return wanted.isEmpty() ? new ClassPathIndex(text, line, packagesEnd, dirs) : null;
  }

  /**
   * @param packageName a package, dotted ({@code ""} for the unnamed one)
   * @return false only if no jar of the class path holds a file of that package and no
   *     directory of it has the package's directory
   */
  public boolean mayProvide(String packageName) {
    if (listed(bytes(PACKAGE + packageName))) {
      return true;
    }
    String path = packageName.replace('.', File.separatorChar);
    for (File dir : dirs) {
      if (new File(dir, path).isDirectory()) {
        return true;
      }
    }
    return false;
  }

  /** @return whether that line is one of the sorted lines from packagesStart to packagesEnd */
  private boolean listed(String wanted) {
    int lo = packagesStart;
    int hi = packagesEnd;
    // Both are line starts; each step compares the line around the middle and drops one half.
    while (lo < hi) {
      int start = text.lastIndexOf('\n', (lo + hi) / 2 - 1) + 1;
      int end = text.indexOf('\n', start);
      int c = text.substring(start, end).compareTo(wanted);
      if (c == 0) {
        return true;
      } else if (c < 0) {
        lo = end + 1;
      } else {
        hi = start;
      }
    }
    return false;
  }

  /** @return the string's UTF-8 bytes one char each, as {@link #load} reads the file */
  private static String bytes(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The JVM's reading of a class path: an empty entry is the current directory. */
  private static List<String> splitClassPath(String classpath) {
    List<String> entries = new ArrayList<>();
    int from = 0;
    while (true) {
      int sep = classpath.indexOf(File.pathSeparatorChar, from);
      entries.add(sep < 0 ? classpath.substring(from) : classpath.substring(from, sep));
      if (sep < 0) {
        return entries;
      }
      from = sep + 1;
    }
  }

  private static File entryFile(String entry) {
    return new File(entry.isEmpty() ? "." : entry);
  }

  /** @return whether the entry is still what its stamp says, with as few calls as may be */
  private static boolean fits(String stamp, File f) {
    if (DIR.equals(stamp)) {
      return f.isDirectory();
    }
    if (MISSING.equals(stamp)) {
      return !f.exists();
    }
    // Two calls: a directory's length and time would not match a jar's in practice.
    long modified = f.lastModified();
    return modified != 0 && stamp.equals(f.length() + "@" + modified);
  }

  private static String stamp(File f) {
    if (f.isDirectory()) {
      return DIR;
    }
    return f.isFile() ? f.length() + "@" + f.lastModified() : MISSING;
  }

  /**
   * Adds the packages of a jar's files to {@code found}.
   *
   * @return the entries its {@code Class-Path} attribute adds, as paths
   */
  private static List<String> readJar(File jar, Set<String> found) throws IOException {
    // A plain ZipFile: a JarFile's entries cost more, and a platform writes this at each start.
    try (ZipFile zip = new ZipFile(jar)) {
      String lastDir = null;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
        String name = e.nextElement().getName();
        if (name.startsWith("META-INF/versions/")) {
          // META-INF/versions/<n>/a/b/C.class is a/b/C.class on Java <n> and later.
          int end = name.indexOf('/', "META-INF/versions/".length());
          name = end < 0 ? "" : name.substring(end + 1);
        }
        int slash = Math.max(0, name.lastIndexOf('/'));
        // A jar lists a package's files together: one set entry per run of them.
        if (lastDir == null || slash != lastDir.length() || !name.startsWith(lastDir)) {
          lastDir = name.substring(0, slash);
          found.add(lastDir.replace('/', '.'));
        }
      }
      ZipEntry manifest = zip.getEntry(JarFile.MANIFEST_NAME);
      if (manifest == null) {
        return List.of();
      }
      try (InputStream in = zip.getInputStream(manifest)) {
        String classPath = new Manifest(in).getMainAttributes()
            .getValue(Attributes.Name.CLASS_PATH);
        return classPath == null ? List.of() : classPathAttribute(jar, classPath);
      }
    }
  }

  /** The files a {@code Class-Path} attribute names: URLs relative to the jar's directory. */
  private static List<String> classPathAttribute(File jar, String value) throws IOException {
    List<String> files = new ArrayList<>();
    URI base = jar.getAbsoluteFile().getParentFile().toURI();
    for (String url : value.trim().split("\\s+")) {
      if (url.isEmpty()) {
        continue;
      }
      try {
        URI resolved = base.resolve(new URI(url));
        if (!"file".equals(resolved.getScheme())) {
          throw new IOException("cannot index " + jar + ": its Class-Path names " + url
              + ", which is not a file");
        }
        files.add(new File(resolved).getPath());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IOException("cannot index " + jar + ": its Class-Path names " + url
            + ", which is not a URL: " + e.getMessage(), e);
      }
    }
    return files;
  }
}
