package io.marvel.faas.launcher;

import io.marvel.whisk.client.ActionInfo;
import io.marvel.whisk.client.Activation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names and retires versions of the task action. Each content of the action (code, main class
 * and limits: its deploy hash) is deployed under a name of its own,
 * {@code <name>-<first 16 hex digits of the hash>}: jobs with other settings, job jars or
 * Marvel versions never replace the action a running job invokes, and concurrent jobs that
 * deploy one content write the same thing under the same name. A version that nobody deployed
 * or ran for the retention period (plus its own time limit, which bounds an activation still
 * running) is removed when another version is deployed, so a namespace does not collect one
 * action per content for ever. Pure functions; the launcher does the calls.
 */
final class TaskActionVersions {
  /** Hex digits of the deploy hash in a version's name: 64 bits, no accidental collisions. */
  static final int HASH_DIGITS = 16;
  private static final Pattern HASH_SUFFIX = Pattern.compile("-[0-9a-f]{" + HASH_DIGITS + "}");

  private TaskActionVersions() {
  }

  /**
   * @param base the configured action name
   * @param deployHash the content's deploy hash, hex
   * @return the name of this content's version
   */
  static String name(String base, String deployHash) {
    return base + "-" + deployHash.substring(0, HASH_DIGITS);
  }

  /**
   * @param base the configured action name
   * @param current the version just deployed
   * @param actions the namespace's actions
   * @param now the current time, epoch ms
   * @param retentionMs how long an unused version stays
   * @return other versions of the task action, deployed by Marvel (they carry a deploy hash),
   *     that were not deployed within their retention; whether they ran is still to be asked
   */
  static List<ActionInfo> notDeployedRecently(String base, String current,
      List<ActionInfo> actions, long now, long retentionMs) {
    return actions.stream()
        .filter(a -> !a.name().equals(current) && isVersion(base, a))
        .filter(a -> a.updated() < idleSince(a, now, retentionMs))
        .toList();
  }

  /**
   * @param version a version of the task action
   * @param newest its newest activation records (newest first), possibly none
   * @param now the current time, epoch ms
   * @param retentionMs how long an unused version stays
   * @return true if no activation of it ended within its retention
   */
  static boolean unused(ActionInfo version, List<Activation> newest, long now,
      long retentionMs) {
    long since = idleSince(version, now, retentionMs);
    return newest.stream().allMatch(a -> Math.max(a.start(), a.end()) < since);
  }

  private static boolean isVersion(String base, ActionInfo action) {
    String name = action.name();
    return action.deployHash() != null && name.startsWith(base)
        && (name.length() == base.length()
            || HASH_SUFFIX.matcher(name.substring(base.length())).matches());
  }

  /** An activation started before this time has ended by now: it ran within its limit. */
  private static long idleSince(ActionInfo version, long now, long retentionMs) {
    return now - retentionMs - version.timeoutMs();
  }
}
