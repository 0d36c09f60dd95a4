package io.marvel.faas.task;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.state.MapOutputReader;
import io.marvel.faas.state.PartitionRange;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.RawComparator;
import org.apache.hadoop.mapred.IFile;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Merger;
import org.apache.hadoop.mapred.Merger.Segment;
import org.apache.hadoop.mapred.RawKeyValueIterator;
import org.apache.hadoop.mapred.ShuffleConsumerPlugin;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reduce side's shuffle for the faas framework: instead of fetching map outputs over HTTP,
 * it opens this reducer's partition of every map output in the job's state store and merges
 * them with Hadoop's {@link Merger}. With store {@code pmem} the IFile segments are read
 * straight out of the mapped PMEM files; nothing goes through a socket or a file system.
 *
 * <p>Counters: {@code REDUCE_SHUFFLE_BYTES} and {@code SHUFFLED_MAPS} as Hadoop's shuffle keeps
 * them, plus {@link FaasCounter#PMEM_SHUFFLE_BYTES} or {@link FaasCounter#HDFS_SHUFFLE_BYTES}
 * saying which store the bytes came from, and, counted when the shuffle is closed (after the
 * reduce, before the task reports done), {@link FaasCounter#LOCAL_SHUFFLE_BYTES} and
 * {@link FaasCounter#REMOTE_SHUFFLE_BYTES}: what the readers read from this host and over the
 * network. Regions and streams stay open until {@link #close()}, since the merge reads lazily
 * while the reducer runs.
 *
 * @param <K> map output key type
 * @param <V> map output value type
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class StoreShuffle<K, V> implements ShuffleConsumerPlugin<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreShuffle.class);

  private Context<K, V> context;
  private final List<MapOutputReader> readers = new ArrayList<>();

  @Override
  public void init(Context<K, V> shuffleContext) {
    this.context = shuffleContext;
  }

  @Override
  public RawKeyValueIterator run() throws IOException {
    JobConf conf = context.getJobConf();
    String jobId = context.getReduceId().getJobID().toString();
    int partition = context.getReduceId().getTaskID().getId();
    int maps = conf.getInt(MRJobConfig.NUM_MAPS, -1);
    if (maps < 0) {
      throw new IOException("reduce " + context.getReduceId() + " lacks "
          + MRJobConfig.NUM_MAPS + " in its configuration");
    }
    List<Segment<K, V>> segments = new ArrayList<>();
    StateStore store = StateStores.forTask(conf, jobId);
    try (store) {
      FaasCounter source = store.shuffleBytesCounter();
      for (int map = 0; map < maps; map++) {
        MapOutputReader reader = store.openMapOutput(map);
        readers.add(reader);
        PartitionRange range = reader.range(partition);
        IFile.Reader<K, V> segment = new IFile.Reader<>(conf, reader.openPartition(partition),
            range.partLength(), context.getCodec(), null);
        segments.add(new Segment<>(segment, false, context.getMergedMapOutputsCounter()));
        context.getReduceShuffleBytes().increment(range.partLength());
        context.getReporter().getCounter(source).increment(range.partLength());
        context.getShuffledMapsCounter().increment(1);
        context.getCopyPhase().set((map + 1) / (float) maps);
        context.getReporter().progress();
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    context.getCopyPhase().complete();
    LOG.debug("Reduce {} merges {} segments from store {}", context.getReduceId(),
        segments.size(), store.location());
    @SuppressWarnings("unchecked")
    Class<K> keyClass = (Class<K>) conf.getMapOutputKeyClass();
    @SuppressWarnings("unchecked")
    Class<V> valueClass = (Class<V>) conf.getMapOutputValueClass();
    @SuppressWarnings("unchecked")
    RawComparator<K> comparator = (RawComparator<K>) conf.getOutputKeyComparator();
    return Merger.merge(conf, context.getLocalFS(), keyClass, valueClass, context.getCodec(),
        segments, conf.getInt(MRJobConfig.IO_SORT_FACTOR, MRJobConfig.DEFAULT_IO_SORT_FACTOR),
        new Path(context.getReduceId().toString()), comparator, context.getReporter(), false,
        null, context.getSpilledRecordsCounter(), context.getMergePhase(), TaskType.REDUCE);
  }

  @Override
  public void close() {
    long local = 0;
    long remote = 0;
    for (MapOutputReader reader : readers) {
      local += reader.localBytesRead();
      remote += reader.remoteBytesRead();
    }
    if (!readers.isEmpty()) {
      context.getReporter().getCounter(FaasCounter.LOCAL_SHUFFLE_BYTES).increment(local);
      context.getReporter().getCounter(FaasCounter.REMOTE_SHUFFLE_BYTES).increment(remote);
    }
    for (MapOutputReader reader : readers) {
      try {
        reader.close();
      } catch (IOException e) {
        LOG.warn("Could not close map output of {} for reduce {}", reader,
            context.getReduceId(), e);
      }
    }
    readers.clear();
  }
}
