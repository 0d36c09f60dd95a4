package io.marvel.faas.task;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.ipc.ProtocolSignature;
import org.apache.hadoop.mapred.AMFeedback;
import org.apache.hadoop.mapred.Counters;
import org.apache.hadoop.mapred.MapTaskCompletionEventsUpdate;
import org.apache.hadoop.mapred.TaskCompletionEvent;
import org.apache.hadoop.mapred.TaskStatus;
import org.apache.hadoop.mapred.TaskUmbilicalProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The umbilical of one task attempt running inside an activation: it records the status and
 * counters the task reports and answers the task's questions locally, since there is no
 * application master to ask.
 *
 * <p>It is exposed as a dynamic proxy of {@link TaskUmbilicalProtocol} (as Hadoop's RPC client
 * exposes it) because two parameter types of that interface are package-private to
 * {@code org.apache.hadoop.mapred}, so no class outside that package can implement it directly.
 *
 * <p>Commit: {@code canCommit} grants the commit once the attempt has claimed it through its
 * {@link AttemptCommit} gate, and throws when the coordinator abandoned the attempt (killed or
 * failed by the user), so an abandoned attempt never commits. The coordinator starts a new
 * attempt only when the previous one ended or was abandoned (no speculation); the
 * OutputCommitter's task commit replaces anything an earlier, lost attempt committed.
 *
 * <p>Progress: each periodic status update of Hadoop's reporter thread goes to the attempt's
 * {@link ProgressReporter}, which the coordinator reads while the activation runs.
 *
 * <p>Thread-safe: the task's reporter thread and its main thread both call in.
 */
final class LocalUmbilical implements InvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LocalUmbilical.class);

  private final String attemptId;
  private final AttemptCommit commit;
  private final Thread attemptThread;
  private final ProgressReporter progress;
  private final List<String> diagnostics = new ArrayList<>();
  private Counters counters = new Counters();
  private boolean done;
  private boolean ended;
  private boolean interrupted;

  /**
   * @param attemptId the task attempt
   * @param commit its commit permission
   * @param attemptThread the thread running the attempt, interrupted when it was abandoned
   * @param progress where the attempt's progress goes while it runs
   */
  LocalUmbilical(String attemptId, AttemptCommit commit, Thread attemptThread,
      ProgressReporter progress) {
    this.attemptId = attemptId;
    this.commit = commit;
    this.attemptThread = attemptThread;
    this.progress = progress;
  }

  /** @return the protocol proxy to hand to {@code Task.run} */
  TaskUmbilicalProtocol protocol() {
    return (TaskUmbilicalProtocol) Proxy.newProxyInstance(
        TaskUmbilicalProtocol.class.getClassLoader(),
        new Class<?>[] {TaskUmbilicalProtocol.class}, this);
  }

  /** @return the counters of the latest status the task sent */
  synchronized Counters counters() {
    return counters;
  }

  /** @return true once the task said it is done */
  synchronized boolean isDone() {
    return done;
  }

  /** Marks the attempt as ended, successful or not: later status updates find no task. */
  synchronized void end() {
    ended = true;
  }

  /**
   * Interrupts the attempt's thread once the attempt can no longer commit (see
   * {@link AttemptCommit#isAbandoned}): OpenWhisk cannot cancel its activation, and an
   * interrupted task fails at its next wait or read instead of running to its end for nothing.
   * Called on the reporter thread's periodic status updates.
   */
  /** @return true if the attempt was interrupted because it can no longer commit */
  synchronized boolean stoppedAsAbandoned() {
    return interrupted;
  }

  private void stopIfAbandoned() {
    // Asked outside the lock: the task thread's own calls need not wait for the file system.
    boolean abandoned = stoppedAsAbandoned() || commit.isAbandoned();
    synchronized (this) {
      if (ended || !abandoned) {
        return;
      }
      if (!interrupted) {
        LOG.info("Task attempt {} can no longer commit (abandoned or its job ended);"
            + " interrupting it", attemptId);
        interrupted = true;
      }
      // Again at every update: code that swallowed an interrupt gets another one.
      attemptThread.interrupt();
    }
  }

  private synchronized boolean isEnded() {
    return ended;
  }

  /** @return diagnostics the task reported, oldest first */
  synchronized List<String> diagnostics() {
    return List.copyOf(diagnostics);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "statusUpdate", "commitPending", "preempted" -> {
        TaskStatus status = (TaskStatus) args[1];
        record(status);
        if (method.getName().equals("statusUpdate")) {
          // The reporter thread's periodic calls only: the task's own thread (its last update
          // before done) never waits for the staging file system, and its end is the result.
          if (status != null && Thread.currentThread() != attemptThread && !isEnded()) {
            progress.report(status.getProgress());
          }
          stopIfAbandoned();
        }
        if (method.getReturnType() == AMFeedback.class) {
          AMFeedback feedback = new AMFeedback();
          // After the attempt ended, "not found" makes the reporter thread of a failed
          // attempt (Hadoop stops it only on success) end itself; see TaskAttemptRunner.
          feedback.setTaskFound(!isEnded());
          return feedback;
        }
        return null;
      }
      case "canCommit" -> {
        commit.claim();
        return true;
      }
      case "done" -> {
        synchronized (this) {
          done = true;
        }
        return null;
      }
      case "reportDiagnosticInfo", "shuffleError", "fsError" -> {
        addDiagnostic(method.getName() + ": " + args[1]);
        return null;
      }
      case "fatalError" -> {
        addDiagnostic("fatalError: " + args[1]);
        return null;
      }
      case "getMapCompletionEvents" -> {
        return new MapTaskCompletionEventsUpdate(new TaskCompletionEvent[0], false);
      }
      case "getProtocolVersion" -> {
        return TaskUmbilicalProtocol.versionID;
      }
      case "getProtocolSignature" -> {
        return new ProtocolSignature(TaskUmbilicalProtocol.versionID, null);
      }
      case "reportNextRecordRange", "setCheckpointID" -> {
        // Record skipping and checkpoints need an application master; nothing to keep here.
        return null;
      }
      case "getTask", "getCheckpointID" -> {
        return null;
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "toString" -> {
        return "LocalUmbilical[" + attemptId + "]";
      }
      default -> throw new UnsupportedOperationException("umbilical call " + method.getName()
          + " is not supported for task attempt " + attemptId);
    }
  }

  private synchronized void record(TaskStatus status) {
    if (status != null && status.getCounters() != null) {
      Counters copy = new Counters();
      copy.incrAllCounters(status.getCounters());
      counters = copy;
    }
  }

  private void addDiagnostic(String text) {
    LOG.warn("Task attempt {} reported {}", attemptId, text);
    synchronized (this) {
      diagnostics.add(text);
    }
  }
}
