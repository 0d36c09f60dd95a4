package io.marvel.faas.bench;

import java.util.Locale;

/**
 * Which processes used one job's CPU: the line {@code CPU round=R mode=M job=J containers=S
 * hdfs=S rest=S hdfs_faults=N} (seconds; minor page faults of the HDFS processes, -1 where a
 * line from before had none) that every run prints and {@link HostsReport} reads.
 * {@code containers}: the task containers alive at the job's end; {@code hdfs}: the NameNode and
 * DataNode processes of the simulated hosts (a single-host run's HDFS is a MiniDFSCluster inside
 * the benchmark JVM, so it is in {@code rest}); {@code rest}: the benchmark JVM (client,
 * platform), the processes that start the others, and any process that ended during the job (in
 * its parent's reaped time). The three add up to the RESULT line's CPU-s. On this machine's 2
 * cores a job that keeps both busy takes about its CPU over 2 in wall time, so this tells where a
 * mode's extra wall time went.
 */
record CpuLine(int round, String mode, String job, double containers, double hdfs,
    double rest, long hdfsFaults) {
  static final String PREFIX = "CPU";

  /** @return the line for the CPU used between two snapshots of {@link ProcessTreeCpu} */
  static CpuLine of(int round, String mode, String job, ProcessTreeCpu.Snapshot start,
      ProcessTreeCpu.Snapshot end) {
    double containers = ProcessTreeCpu.seconds(start, end, ProcessTreeCpu.Role.CONTAINER);
    double hdfs = ProcessTreeCpu.seconds(start, end, ProcessTreeCpu.Role.HDFS);
    double total = ProcessTreeCpu.seconds(start, end);
    return new CpuLine(round, mode, job, containers, hdfs, total - containers - hdfs,
        ProcessTreeCpu.minorFaults(start, end, ProcessTreeCpu.Role.HDFS));
  }

  /** @return the line, {@code CPU key=value ...} */
  String toLine() {
    return String.format(Locale.ROOT, "%s round=%d mode=%s job=%s containers=%.2f hdfs=%.2f"
        + " rest=%.2f hdfs_faults=%d", PREFIX, round, mode, job, containers, hdfs, rest,
        hdfsFaults);
  }

  /**
   * @param line a line {@link #toLine} wrote
   * @return its figures
   * @throws IllegalArgumentException naming the line if a field is missing or not a number
   */
  static CpuLine parse(String line) {
    return KeyValues.parse(line, PREFIX, fields -> new CpuLine(
        Integer.parseInt(fields.get("round")), fields.get("mode"), fields.get("job"),
        Double.parseDouble(fields.get("containers")), Double.parseDouble(fields.get("hdfs")),
        Double.parseDouble(fields.get("rest")),
        Long.parseLong(fields.getOrDefault("hdfs_faults", "-1"))));
  }
}
