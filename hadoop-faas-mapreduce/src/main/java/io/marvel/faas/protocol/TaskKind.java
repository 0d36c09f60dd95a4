package io.marvel.faas.protocol;

/** The two kinds of task an activation runs. */
public enum TaskKind {
  /** Runs Hadoop's {@code MapTask} over one input split. */
  MAP,
  /** Runs Hadoop's {@code ReduceTask} over one partition of every map output. */
  REDUCE
}
