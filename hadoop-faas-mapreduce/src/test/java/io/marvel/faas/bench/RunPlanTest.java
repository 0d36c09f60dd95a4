package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlanTest {
  private static final List<String> MODES = List.of("local", "yarn", "faas-pmem");

  @Test
  void rotatesTheModeOrderByOnePerRound() {
    assertEquals(MODES, RunPlan.modeOrder(MODES, 1));
    assertEquals(List.of("yarn", "faas-pmem", "local"), RunPlan.modeOrder(MODES, 2));
    assertEquals(List.of("faas-pmem", "local", "yarn"), RunPlan.modeOrder(MODES, 3));
    assertEquals(MODES, RunPlan.modeOrder(MODES, 4));
  }

  @Test
  void runsEveryStepAndModeOncePerRoundRoundsOuter() {
    List<RunPlan.Run> runs = RunPlan.runs(List.of("a", "b"), List.of("1", "2"), 1, 2);
    assertEquals(List.of(new RunPlan.Run(1, "1", "a"), new RunPlan.Run(1, "1", "b"),
        new RunPlan.Run(1, "2", "a"), new RunPlan.Run(1, "2", "b"),
        new RunPlan.Run(2, "1", "b"), new RunPlan.Run(2, "1", "a"),
        new RunPlan.Run(2, "2", "b"), new RunPlan.Run(2, "2", "a")), runs);
  }

  @Test
  void aLaterFirstRoundContinuesTheRotation() {
    // Three invocations of one round each give the order of one invocation of three rounds.
    List<RunPlan.Run> split = new java.util.ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      split.addAll(RunPlan.runs(MODES, List.of("2"), round, 1));
    }
    assertEquals(RunPlan.runs(MODES, List.of("2"), 1, 3), split);
    assertEquals(List.of("faas-pmem", "local", "yarn"),
        RunPlan.runs(MODES, List.of("1"), 3, 1).stream().map(RunPlan.Run::mode).toList());
  }

  @Test
  void rejectsNoModesNoStepsAndNoRounds() {
    assertEquals("no modes to run", assertThrows(IllegalArgumentException.class,
        () -> RunPlan.runs(List.of(), List.of("1"), 1, 1)).getMessage());
    assertEquals("no size steps to run", assertThrows(IllegalArgumentException.class,
        () -> RunPlan.runs(MODES, List.of(), 1, 1)).getMessage());
    assertEquals("--runs 0 is below 1", assertThrows(IllegalArgumentException.class,
        () -> RunPlan.runs(MODES, List.of("1"), 1, 0)).getMessage());
    assertEquals("round 0 is below 1", assertThrows(IllegalArgumentException.class,
        () -> RunPlan.runs(MODES, List.of("1"), 0, 1)).getMessage());
  }
}
