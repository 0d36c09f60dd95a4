package io.marvel.faas.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The order of {@code bench-mapreduce}'s runs: rounds one after the other; in each round every
 * size step, and at each step every mode once, in an order rotated by one mode per round (round
 * 1: a, b, c; round 2: b, c, a; round 3: c, a, b), so that no mode always runs first or right
 * after another one, and drift of the machine spreads over all modes. A run split over several
 * invocations continues the rotation by starting at a later round.
 */
final class RunPlan {
  private RunPlan() {
  }

  /**
   * One run: one JVM of {@link MapReduceBenchmark}.
   *
   * @param round 1-based round
   * @param step the size step, as given
   * @param mode the framework
   */
  record Run(int round, String step, String mode) {
  }

  /**
   * @param modes the modes, in the order of round 1
   * @param round 1-based round
   * @return the modes in the order of that round
   * @throws IllegalArgumentException if there are no modes or the round is below 1
   */
  static List<String> modeOrder(List<String> modes, int round) {
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("no modes to run");
    }
    if (round < 1) {
      throw new IllegalArgumentException("round " + round + " is below 1");
    }
    int shift = (round - 1) % modes.size();
    List<String> order = new ArrayList<>(modes.subList(shift, modes.size()));
    order.addAll(modes.subList(0, shift));
    return order;
  }

  /**
   * @param modes the modes, in the order of round 1
   * @param steps the size steps, smallest first
   * @param firstRound the first round to run (1 for a fresh series)
   * @param rounds how many rounds, at least 1
   * @return every run, in the order to run them
   * @throws IllegalArgumentException if a list is empty or a count is out of range
   */
  static List<Run> runs(List<String> modes, List<String> steps, int firstRound, int rounds) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("no size steps to run");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--runs " + rounds + " is below 1");
    }
    List<Run> runs = new ArrayList<>();
    for (int round = firstRound; round < firstRound + rounds; round++) {
      for (String step : steps) {
        for (String mode : modeOrder(modes, round)) {
          runs.add(new Run(round, step, mode));
        }
      }
    }
    return runs;
  }

  /**
   * Prints the plan, one run a line: {@code round step mode}.
   *
   * @param args {@code <modes,...> <steps,...> <first-round> <rounds>}
   */
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: RunPlan <modes,...> <steps,...> <first-round> <rounds>");
      System.exit(2);
    }
    try {
      for (Run run : runs(Arrays.asList(args[0].split(",")), Arrays.asList(args[1].split(",")),
          Integer.parseInt(args[2]), Integer.parseInt(args[3]))) {
        System.out.println(run.round() + " " + run.step() + " " + run.mode());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench-mapreduce: " + e.getMessage());
      System.exit(2);
    }
  }
}
