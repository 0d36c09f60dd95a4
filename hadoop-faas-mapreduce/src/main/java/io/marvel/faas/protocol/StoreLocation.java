package io.marvel.faas.protocol;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a job's intermediate state lives: the store kind and its root. The root is a local
 * directory for {@code pmem} and a file system URI for {@code hdfs}; the job's own directory is
 * below it, named by job id.
 *
 * @param kind the store kind
 * @param root the store root (absolute local path or fully qualified URI)
 */
public record StoreLocation(StoreKind kind, String root) {
  /** Validates both fields. */
  public StoreLocation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(root, "root");
    if (root.isEmpty()) {
      throw new IllegalArgumentException("state store root is empty for store " + kind);
    }
  }

  /** The closed set of state store kinds. */
  public enum StoreKind {
    /** Map outputs as PMEM files on one host, written through native-pmem. */
    PMEM,
    /** Map outputs as files on a Hadoop file system, usually under the staging dir. */
    HDFS;

    /** @return the name used in configuration: {@code pmem} or {@code hdfs} */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a configured store name, case-insensitive
     * @return the kind
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static StoreKind fromConfigName(String name) {
      for (StoreKind kind : values()) {
        if (kind.configName().equalsIgnoreCase(name.trim())) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown state store '" + name
          + "', expected one of: pmem, hdfs");
    }
  }
}
