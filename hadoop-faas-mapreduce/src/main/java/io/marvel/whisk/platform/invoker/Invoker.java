package io.marvel.whisk.platform.invoker;

import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.container.ClassDataArchive;
import io.marvel.whisk.platform.container.ClassPathIndexFile;
import io.marvel.whisk.platform.container.Container;
import io.marvel.whisk.platform.container.ContainerSpec;
import io.marvel.whisk.platform.container.ContainerStarter;
import io.marvel.whisk.platform.container.ContainerStarters;
import io.marvel.whisk.platform.invoker.PoolDecision.AtLimit;
import io.marvel.whisk.platform.invoker.PoolDecision.EvictAndStart;
import io.marvel.whisk.platform.invoker.PoolDecision.UsePrewarm;
import io.marvel.whisk.platform.invoker.PoolDecision.UseWarm;
import io.marvel.whisk.platform.invoker.PoolDecision.Wait;
import io.marvel.whisk.platform.invoker.PoolEntry.Busy;
import io.marvel.whisk.platform.invoker.PoolEntry.Idle;
import io.marvel.whisk.platform.invoker.PoolEntry.Prewarmed;
import io.marvel.whisk.platform.invoker.PoolEntry.Starting;
import io.marvel.whisk.platform.settings.RuntimeImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs activations in a pool of container JVMs limited by memory, following OpenWhisk's classic
 * ContainerPool: warm reuse, prewarms, LRU eviction to make room, a FIFO queue when full, idle
 * eviction, and destruction of a container after a developer error. The decisions themselves
 * are the pure functions of {@link ContainerPool}; this class applies them. Thread-safe; the
 * pool state is guarded by this object's monitor, container processes are started and stopped
 * outside it.
 */
public final class Invoker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
  private static final String PREWARM_KIND = "java:8";
  /** How {@code java:8} actions (and prewarms) run: OpenWhisk's Java kind, as JVM processes. */
  private static final String JAVA_STARTER = RuntimeImages.JVM_STARTER;

  private final PlatformSettings settings;
  private final String apiHost;
  private final Path containersDir;
  /** Null: containers run on this machine as it is. */
  private final HostPlacement placement;
  private final ClassDataArchive classData;
  /** The environment entry naming the index of the containers' class path, or none. */
  private volatile Map<String, String> classPathIndex = Map.of();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Map<String, PoolEntry> entries = new LinkedHashMap<>();
  private final Map<String, Container> containers = new HashMap<>();
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final AtomicLong nextId = new AtomicLong();
  private long peakMemoryMb;
  private boolean closed;

  private record Pending(ActivationJob job, CompletableFuture<ActivationRecord> done) {
  }

  /**
   * @param settings the platform settings (pool memory, prewarms, container JVM)
   * @param apiHost the controller's URL, given to containers as {@code __OW_API_HOST}
   * @param containersDir where this invoker's containers get their work directories; owned by
   *     this invoker alone
   * @param placement which host each new container goes to, or null for this machine as it is
   * @param classData the class data archive its containers share once it is prepared
   * @throws IllegalArgumentException if the settings map an image to an unknown starter
   */
  public Invoker(PlatformSettings settings, String apiHost, Path containersDir,
      HostPlacement placement, ClassDataArchive classData) {
    settings.runtimeImages().values().forEach(ContainerStarters::named);
    this.settings = settings;
    this.apiHost = apiHost;
    this.containersDir = containersDir;
    this.placement = placement;
    this.classData = classData;
    this.workers = Executors.newCachedThreadPool(daemon("invoker-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("invoker-timer"));
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Prepares the class data archive (seconds when it has to be made, once per JDK and class
   * path; a fraction of one to check it otherwise) and writes the index of the containers' class
   * path (a fraction of a second), then starts the prewarms and the idle-eviction timer. Every
   * container then starts with the archive, or every one without.
   */
  public void start() {
    classData.prepare();
    classPathIndex = ClassPathIndexFile.write(classData.launch().classpath(),
        containersDir.resolve("classpath.idx"));
    long period = Math.max(50, Math.min(1000, settings.idleContainerTimeout().toMillis() / 2));
    timer.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    synchronized (this) {
      topUpPrewarms();
    }
  }

  /**
   * Queues an activation.
   *
   * @param job the activation
   * @return completes with the activation's record; never completes exceptionally
   */
  public CompletableFuture<ActivationRecord> submit(ActivationJob job) {
    CompletableFuture<ActivationRecord> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        done.complete(whiskError(job, "The platform is stopping."));
        return done;
      }
      String image = job.action().image();
      if (image != null && starterName(job.action()) == null) {
        // OpenWhisk's invoker pulls any image it does not have; this platform has no registry,
        // so it reports what OpenWhisk reports when the pull fails (DockerContainer.scala:
        // BlackboxStartupError with Messages.imagePullError, a developer error in
        // ContainerProxy.scala).
        done.complete(ActivationRunner.failure(job, ActivationStatus.DEVELOPER_ERROR,
            "Failed to pull container image '" + RuntimeImages.normalize(image) + "'."));
        return done;
      }
      int memory = job.action().limits().memoryMb();
      if (memory > settings.poolMemoryMb()) {
        done.complete(whiskError(job, "The action needs " + memory
            + " MB but the container pool holds only " + settings.poolMemoryMb()
            + " MB; lower the action's memory limit or enlarge the pool."));
        return done;
      }
      queue.add(new Pending(job, done));
      dispatch();
    }
    return done;
  }

  private static ActivationRecord whiskError(ActivationJob job, String message) {
    return ActivationRunner.failure(job, ActivationStatus.WHISK_ERROR, message);
  }

  /** @return the pool's current state */
  public synchronized PoolSnapshot snapshot() {
    List<Long> pids = containers.values().stream().map(Container::pid).toList();
    return new PoolSnapshot(entries.size(), ContainerPool.usedMemoryMb(entries.values()),
        peakMemoryMb, settings.poolMemoryMb(), queue.size(), pids);
  }

  // Guarded by this.
  private void dispatch() {
    Iterator<Pending> waiting = queue.iterator();
    while (waiting.hasNext() && !closed) {
      Pending head = waiting.next();
      ExecutableAction action = head.job().action();
      PoolDecision decision = ContainerPool.decide(action, head.job().namespace(),
          entries.values(), settings.poolMemoryMb());
      if (decision instanceof Wait) {
        // FIFO as in OpenWhisk: nothing overtakes an activation waiting for pool memory.
        return;
      }
      if (decision instanceof AtLimit) {
        continue;
      }
      waiting.remove();
      Busy busy = new Busy(action.containerKey(), head.job().namespace());
      if (decision instanceof UseWarm warm) {
        entries.put(warm.id(), new PoolEntry(warm.id(), action.limits().memoryMb(), busy));
        Container c = containers.get(warm.id());
        workers.execute(() -> runIn(head, c, false));
      } else if (decision instanceof UsePrewarm prewarm) {
        entries.put(prewarm.id(), new PoolEntry(prewarm.id(), action.limits().memoryMb(), busy));
        Container c = containers.get(prewarm.id());
        workers.execute(() -> runIn(head, c, true));
        topUpPrewarms();
      } else {
        if (decision instanceof EvictAndStart evict) {
          evict.victims().forEach(this::removeLater);
        }
        String id = newId();
        entries.put(id, new PoolEntry(id, action.limits().memoryMb(), busy));
        workers.execute(() -> coldStartAndRun(head, id));
      }
      peakMemoryMb = Math.max(peakMemoryMb, ContainerPool.usedMemoryMb(entries.values()));
    }
  }

  private String newId() {
    return "c" + nextId.incrementAndGet();
  }

  /** @return the name of the starter that runs the action, null for an unknown image */
  private String starterName(ExecutableAction action) {
    return action.isBlackbox()
        ? settings.runtimeImages().get(RuntimeImages.normalize(action.image())) : JAVA_STARTER;
  }

  private ContainerSpec spec(String id, String image, int memoryMb) {
    ClassDataArchive.Launch launch = classData.launch();
    List<String> options = new ArrayList<>(settings.containerJvmOptions());
    options.addAll(launch.jvmOptions());
    return new ContainerSpec(id, image, memoryMb, settings.javaExecutable(),
        launch.classpath(), options, containerEnv(), containersDir.resolve(id),
        settings.containerStartTimeout(), placement == null ? null : placement.next());
  }

  private Map<String, String> containerEnv() {
    Map<String, String> env = new HashMap<>(settings.containerEnv());
    classPathIndex.forEach(env::putIfAbsent);
    if (settings.classList() != null) {
      env.putIfAbsent(PlatformSettings.CLASS_LIST_ENV, settings.classList().toString());
    }
    env.put("__OW_API_HOST", apiHost);
    return env;
  }

  private void coldStartAndRun(Pending pending, String id) {
    ExecutableAction action = pending.job().action();
    Container container;
    try {
      container = startContainer(id, action.image(), action.limits().memoryMb(),
          ContainerStarters.named(starterName(action)));
    } catch (IOException e) {
      LOG.error("activation {}: could not start a container: {}", pending.job().activationId(),
          e.getMessage());
      synchronized (this) {
        entries.remove(id);
        dispatch();
      }
      pending.done().complete(whiskError(pending.job(),
          "Failed to start a container: " + e.getMessage()));
      return;
    }
    if (container != null) {
      runIn(pending, container, true);
    } else {
      pending.done().complete(whiskError(pending.job(),
          "The platform stopped before the activation could run."));
    }
  }

  /** @return the started container, or null if the invoker closed meanwhile */
  private Container startContainer(String id, String image, int memoryMb,
      ContainerStarter starter) throws IOException {
    Container container;
    try {
      container = starter.start(spec(id, image, memoryMb));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting container " + id, e);
    }
    synchronized (this) {
      if (!closed) {
        containers.put(id, container);
        if (container.host().isPresent()) {
          LOG.info("container {} started on {} (pid {}, {} MB)", id, container.host().get(),
              container.pid(), memoryMb);
        } else {
          LOG.info("container {} started (pid {}, {} MB)", id, container.pid(), memoryMb);
        }
        return container;
      }
    }
    container.close();
    return null;
  }

  private void runIn(Pending pending, Container container, boolean needsInit) {
    ActivationRunner.Outcome outcome;
    try {
      outcome = ActivationRunner.run(pending.job(), container, needsInit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new ActivationRunner.Outcome(whiskError(pending.job(),
          "The platform stopped while the activation ran."), false);
    }
    boolean keep = settings.reuseContainers() && outcome.keepContainer() && container.isAlive();
    if (!keep) {
      // Killed before its memory returns to the pool and before the caller hears of the
      // failure, so a replacement never overlaps the broken container.
      container.close();
    }
    // The pool is updated before the caller learns the result, so that a follow-up request
    // finds this container idle and warm.
    synchronized (this) {
      if (keep && !closed) {
        entries.put(container.id(), new PoolEntry(container.id(), container.memoryMb(),
            new Idle(pending.job().action().containerKey(), pending.job().namespace(),
                System.currentTimeMillis())));
      } else {
        removeLater(container.id());
      }
      dispatch();
    }
    pending.done().complete(outcome.record());
  }

  // Guarded by this.
  private void removeLater(String id) {
    entries.remove(id);
    Container c = containers.remove(id);
    if (c != null) {
      LOG.info("container {} (pid {}) destroyed", id, c.pid());
      workers.execute(c::close);
    }
  }

  // Guarded by this.
  private void topUpPrewarms() {
    int n = ContainerPool.prewarmsToStart(entries.values(), settings.prewarmCount(),
        settings.prewarmMemoryMb(), settings.poolMemoryMb());
    for (int i = 0; i < n && !closed; i++) {
      String id = newId();
      entries.put(id, new PoolEntry(id, settings.prewarmMemoryMb(), new Starting()));
      workers.execute(() -> startPrewarm(id));
    }
    peakMemoryMb = Math.max(peakMemoryMb, ContainerPool.usedMemoryMb(entries.values()));
  }

  private void startPrewarm(String id) {
    try {
      Container c = startContainer(id, null, settings.prewarmMemoryMb(),
          ContainerStarters.named(JAVA_STARTER));
      synchronized (this) {
        if (c != null) {
          entries.put(id, new PoolEntry(id, c.memoryMb(), new Prewarmed(PREWARM_KIND)));
        }
        dispatch();
      }
    } catch (IOException e) {
      LOG.warn("prewarm container {} failed to start: {}", id, e.getMessage());
      synchronized (this) {
        entries.remove(id);
        dispatch();
      }
    }
  }

  private void evictIdle() {
    synchronized (this) {
      List<String> expired = ContainerPool.expired(entries.values(), System.currentTimeMillis(),
          settings.idleContainerTimeout().toMillis());
      for (String id : expired) {
        LOG.info("container {} idle for {} ms, evicting", id,
            settings.idleContainerTimeout().toMillis());
        removeLater(id);
      }
      if (!expired.isEmpty()) {
        topUpPrewarms();
        dispatch();
      }
    }
  }

  /**
   * Stops the invoker: queued activations complete with a whisk error, running ones end with
   * a developer error when their container is killed, and every container process is destroyed
   * before this returns.
   */
  @Override
  public void close() {
    List<Pending> dropped;
    List<Container> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      all = new ArrayList<>(containers.values());
      containers.clear();
      entries.clear();
    }
    timer.shutdownNow();
    for (Pending p : dropped) {
      p.done().complete(whiskError(p.job(),
          "The platform stopped before the activation could run."));
    }
    all.forEach(Container::close);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("invoker workers still busy 15 s after stop; interrupting them");
        workers.shutdownNow();
        workers.awaitTermination(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("invoker stopped; {} containers destroyed", all.size());
  }
}
