package io.marvel.hdfs.pmem.store;

import java.nio.file.Path;
import org.apache.hadoop.hdfs.server.datanode.DataNode;

/**
 * A DataNode process that kills itself ({@code Runtime.halt}, no shutdown hooks, as SIGKILL)
 * around the first rewrite of a partial chunk's checksum: {@code main(confFile)} with the
 * environment variable {@value #HALT_AT} set to {@value #BEFORE_REWRITE} or
 * {@value #AFTER_REWRITE}.
 */
public final class MidPacketCrashDataNode {
  /** The environment variable naming where to halt. */
  public static final String HALT_AT = "MARVEL_HALT_AT";
  /** Halt just before the checksum is overwritten. */
  public static final String BEFORE_REWRITE = "before-checksum-rewrite";
  /** Halt just after the checksum was overwritten, before the longer length is recorded. */
  public static final String AFTER_REWRITE = "after-checksum-rewrite";
  /** The exit code of the halted process. */
  public static final int HALTED = 97;

  private MidPacketCrashDataNode() {
  }

  /**
   * @param args the path of the configuration file
   */
  public static void main(String[] args) {
    String at = System.getenv(HALT_AT);
    PmemFaultInjector.set(new PmemFaultInjector() {
      @Override
      void beforeChecksumRewrite(Path metaFile) {
        if (BEFORE_REWRITE.equals(at)) {
          Runtime.getRuntime().halt(HALTED);
        }
      }

      @Override
      void afterChecksumRewrite(Path metaFile) {
        if (AFTER_REWRITE.equals(at)) {
          Runtime.getRuntime().halt(HALTED);
        }
      }
    });
    DataNode.main(new String[] {"-conf", args[0]});
  }
}
