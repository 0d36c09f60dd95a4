package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link Durability} for tests: it records every call, and it knows what a power cut would
 * leave of a directory tree, which {@link #image} copies. Block file contents count as durable
 * (libpmem persists them); what only a sync makes durable is modelled for the directories the
 * store manages ({@code managed}):
 *
 * <ul>
 *   <li>such a directory exists after the cut only if its entry was listed when its parent was
 *       last synced;</li>
 *   <li>it holds only the entries it listed at its own last sync and still lists now (with the
 *       same file): an entry made or removed since may or may not have reached the disk, and the
 *       image assumes the worst for both;</li>
 *   <li>a file there has the size of its last sync, when it had one.</li>
 * </ul>
 *
 * {@link #commitAll} makes the whole tree durable, as a file system's periodic commit does in
 * quiet time. Everything else of the tree (the stock DataNode's files) is copied as it is.
 * Thread-safe.
 */
public final class PowerCut implements Durability {
  private final Path root;
  private final Predicate<Path> managed;
  private final List<String> calls = new ArrayList<>();
  private final Map<Path, Map<String, Object>> listings = new HashMap<>();
  private final Map<Object, Long> sizes = new HashMap<>();

  /**
   * @param root the tree {@link #image} copies; calls name paths relative to it
   * @param managed which directories of the tree the store manages
   */
  public PowerCut(Path root, Predicate<Path> managed) {
    this.root = root.toAbsolutePath().normalize();
    this.managed = managed;
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    Path at = dir.toAbsolutePath().normalize();
    calls.add("dir " + relative(at));
    listings.put(at, list(at));
  }

  @Override
  public synchronized void syncFile(Path file) throws IOException {
    calls.add("file " + relative(file.toAbsolutePath().normalize()));
    sizes.put(key(file), Files.size(file));
  }

  /** @return the calls so far, each "dir path" or "file path" relative to the root */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the calls so far (not what they made durable). */
  public synchronized void clearCalls() {
    calls.clear();
  }

  /** Makes everything in the tree durable as it is now. */
  public synchronized void commitAll() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path path : (Iterable<Path>) all::iterator) {
        try {
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            listings.put(path, list(path));
          } else if (managed.test(path.getParent())) {
            sizes.put(key(path), Files.size(path));
          }
        } catch (NoSuchFileException gone) {
          // Removed while walking: as if the commit came a moment later.
        }
      }
    }
  }

  /**
   * Copies the tree as a power cut now would leave it.
   *
   * @param target a directory that does not exist yet
   */
  public synchronized void image(Path target) throws IOException {
    copy(root, target);
  }

  private void copy(Path dir, Path to) throws IOException {
    Files.createDirectories(to);
    boolean managedDir = managed.test(dir);
    Map<String, Object> durable = listings.getOrDefault(dir, Map.of());
    for (Map.Entry<String, Object> entry : list(dir).entrySet()) {
      Path path = dir.resolve(entry.getKey());
      boolean survives = entry.getValue().equals(durable.get(entry.getKey()));
      try {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          if (survives || (!managedDir && !managed.test(path))) {
            copy(path, to.resolve(entry.getKey()));
          }
        } else if (survives || !managedDir) {
          Path copy = to.resolve(entry.getKey());
          Files.copy(path, copy);
          Long size = managedDir ? sizes.get(entry.getValue()) : null;
          if (size != null) {
            try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
              file.setLength(size);
            }
          }
        }
      } catch (NoSuchFileException gone) {
        // Removed while copying: as if the cut came a moment later.
      }
    }
  }

  private static Map<String, Object> list(Path dir) throws IOException {
    Map<String, Object> entries = new HashMap<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        try {
          entries.put(child.getFileName().toString(), key(child));
        } catch (NoSuchFileException gone) {
          // Removed while listing.
        }
      }
    }
    return entries;
  }

  private static Object key(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  private String relative(Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }
}
