package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuietMachineTest {
  @Test
  void busyIsUserNiceSystemIrqSoftirqAndIdleIsIdleAndIowait() {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (proc(5))
    QuietMachine.CpuTimes t = QuietMachine.CpuTimes.parse("cpu  100 2 30 500 7 1 4 900 0 0");
    assertEquals(100 + 2 + 30 + 1 + 4, t.busy());
    assertEquals(500 + 7, t.idle());
  }

  @Test
  void busyFractionIsOverTheTicksBetweenTwoReadingsAndIgnoresSteal() {
    QuietMachine.CpuTimes before = QuietMachine.CpuTimes.parse("cpu 100 0 0 100 0 0 0 0");
    QuietMachine.CpuTimes after = QuietMachine.CpuTimes.parse("cpu 130 0 10 160 0 0 0 5000");
    assertEquals(40.0 / 100, after.busySince(before), 1e-9);
    assertEquals(0, before.busySince(before));
  }

  @Test
  void aLineThatIsNotTheCpuTotalIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuietMachine.CpuTimes.parse("cpu0 1 2 3 4 5 6 7"));
    assertTrue(e.getMessage().contains("cpu0 1 2 3"), e.getMessage());
  }

  @Test
  void aWaitThatGaveUpSaysSo() {
    String said = new QuietMachine.Wait(60.2, 0.55, false).describe();
    assertTrue(said.contains("60.2 s") && said.contains("55% busy") && said.contains("gave up"),
        said);
    assertFalse(new QuietMachine.Wait(1.0, 0.02, true).describe().contains("gave up"));
  }
}
